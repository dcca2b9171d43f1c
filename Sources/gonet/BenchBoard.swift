import ArgumentParser
import Foundation
import GoRecords
import GoRules

struct BenchBoard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "board",
        abstract: "Moves/s replaying recorded games with full legality checks, and random playouts/s, on one core.",
        discussion: """
            EXAMPLES:
              gonet bench board
              gonet bench board --games 500 --seconds 5
            """)

    @Argument(help: "SGF files or directories to replay (default: Games/).")
    var data: [String] = ["Games"]

    @Option(help: "Games to load for replay.")
    var games = 20_000

    @Option(help: "Seconds to spend on each measurement.")
    var seconds = 3.0

    func run() throws {
        let files = try failing { try SourceFiles.expand(data) }
        var records: [[Int16]] = []
        var colors: [[Stone]] = []
        load: for path in files {
            let reader = try SGFReader(path: path)
            while let e = try reader.nextEntry() {
                guard case .success(let r) = e.record, r.size == 19, r.setup.isEmpty, r.edits.isEmpty else { continue }
                records.append(r.moves.map { Int16($0.move.index(size: Board.standardSize)) })
                colors.append(r.moves.map(\.color))
                if records.count >= games { break load }
            }
        }
        guard !records.isEmpty else { throw ValidationError("no 19x19 games found in \(data.joined(separator: " "))") }
        let totalMoves = records.reduce(0) { $0 + $1.count }
        print(
            "replay: \(Report.count(records.count)) games, \(Report.count(totalMoves)) moves loaded from \(files.count) file\(files.count == 1 ? "" : "s")"
        )

        // Replay with legality checks, cycling over the games until the time is up.
        var moves = 0
        var illegal = 0
        var checksum: UInt64 = 0
        let start = Date()
        var elapsed = 0.0
        repeat {
            for (g, game) in records.enumerated() {
                var board = Board(size: Board.standardSize)
                let c = colors[g]
                for (i, m) in game.enumerated() where board.play(index: Int(m), c[i]) != .legal { illegal += 1 }
                moves += game.count
                checksum ^= board.hash
            }
            elapsed = Date().timeIntervalSince(start)
        } while elapsed < seconds
        let replayRate = Double(moves) / elapsed
        print(
            "replay: \(Report.count(Int(replayRate))) moves/s (\(Report.count(moves)) moves in \(Report.fixed(elapsed, 2)) s, \(illegal) illegal, hash \(String(checksum, radix: 16)))"
        )

        // Random playouts from the empty board.
        var rng = RandomSource(seed: 1)
        var scratch: [Int16] = []
        scratch.reserveCapacity(19 * 19)
        var playouts = 0
        var playoutMoves = 0
        let empty = Board(size: Board.standardSize)
        let start2 = Date()
        repeat {
            for _ in 0..<100 {
                var b = empty
                playoutMoves += b.playRandomGame(from: .black, using: &rng, maxMoves: 1000, scratch: &scratch)
            }
            playouts += 100
            elapsed = Date().timeIntervalSince(start2)
        } while elapsed < seconds
        print(
            "playouts: \(Report.count(Int(Double(playouts) / elapsed))) random games/s on 19x19 (\(Report.fixed(Double(playoutMoves) / Double(playouts), 1)) moves each, \(Report.count(Int(Double(playoutMoves) / elapsed))) moves/s)"
        )
        print("target: 2,000,000 replayed moves/s on one core: \(replayRate >= 2_000_000 ? "met" : "not met")")
    }
}
