import Foundation
import GoNetwork
import GoRecords
import GoRules
import TestSupport
import Training
import XCTest

/// The ownership head's targets: the judged end of counted games, and the loader carrying them
/// through the shuffle and the symmetries.
final class FinalOwnershipTests: XCTestCase {
    /// GNU Go's self-play games, counted by area with GNU Go's own dead stones.
    static let records: [GameRecord] = {
        let sample = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
        guard let reader = try? SGFReader(path: sample) else { return [] }
        return reader.prefix(30).compactMap { try? $0.record.get() }
    }()

    static func counted(_ r: GameRecord) -> Double? {
        guard case .win(let w, .score(let points)) = r.result else { return nil }
        return w == .black ? points : -points
    }

    func testCountedGamesGiveOwnersThatAddUpToTheirResult() throws {
        let counted = Self.records.filter { Self.counted($0) != nil }
        XCTAssertGreaterThan(counted.count, 10)
        var judged = 0
        for r in counted {
            guard let owners = FinalOwnership.of(r) else { continue }
            judged += 1
            XCTAssertEqual(owners.count, 361)
            let black = owners.filter { $0 == .black }.count
            let white = owners.filter { $0 == .white }.count
            // Area scoring (these games' rules): the owners are the count.
            XCTAssertEqual(Double(black - white) - r.komi, Self.counted(r)!, "\(r.blackPlayer) \(r.date)")
            // The last position's stones are owned by their colour or, dead, by the opponent.
            let board = try r.game(afterMoves: r.moves.count).board
            for p in board.allPoints where board[p] != nil {
                XCTAssertNotNil(owners[p.index(size: 19)], "a stone's point is never neutral: \(p)")
            }
        }
        // The playouts misjudge a few ends (a seki or a large group called dead, 10 to 130 points
        // from the count): those games give no targets. 21 of these 25.
        XCTAssertGreaterThanOrEqual(judged, counted.count * 3 / 4, "judged \(judged) of \(counted.count)")
    }

    func testGamesWithoutACountOrWithAnotherResultGiveNone() throws {
        let r = try XCTUnwrap(Self.records.first { Self.counted($0) != nil && FinalOwnership.of($0) != nil })
        let margin = Self.counted(r)!
        var resigned = r
        resigned.result = .win(margin > 0 ? .black : .white, .resignation)
        XCTAssertNil(FinalOwnership.of(resigned))
        var flipped = r
        flipped.result = .win(margin > 0 ? .white : .black, .score(abs(margin)))
        XCTAssertNil(FinalOwnership.of(flipped), "the judged count has the other winner")
        var far = r
        far.result = .win(margin > 0 ? .black : .white, .score(abs(margin) + 10))
        XCTAssertNil(FinalOwnership.of(far), "ten points from the judged count")
        var near = r
        near.result = .win(margin > 0 ? .black : .white, .score(abs(margin) + 2))
        XCTAssertNotNil(FinalOwnership.of(near), "a territory count two points away")
        var unknown = r
        unknown.result = .unknown
        XCTAssertNil(FinalOwnership.of(unknown))
    }

    /// Every sample of a judged game carries the final owners from its side to move's view, under
    /// the symmetry its planes went through; the others carry none.
    func testLoaderCarriesOwnersWithTheSymmetryOfThePlanes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-owners-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let games = Array(Self.records.prefix(12))
        let archive = dir.appendingPathComponent("g.games.zst").path
        let w = try GameArchiveWriter(path: archive)
        for r in games { try w.write(r) }
        try w.finish()

        // Each position's planes (symmetry 0) → the owners its targets must be. Positions from
        // move 20 on only: earlier ones (the empty board, a first stone on a star point) recur
        // across games, up to a symmetry, with other owners.
        var expected: [[Float]: [Float]?] = [:]
        for r in games {
            let owners = FinalOwnership.of(r)
            for m in 20..<r.moves.count {
                let planes = Features.planes(try TrainingSample.at(r, move: m).position)
                let me = r.moves[m].color
                expected[planes] = owners.map { o in o.map { $0 == nil ? Float(0) : $0 == me ? 1 : -1 } }
            }
        }
        var c = LoaderConfiguration(files: [archive])
        c.batchSize = 50
        c.shuffleBuffer = 300
        c.ownership = true
        let loader = try DataLoader(c)
        var carried = 0
        var positions = 0
        var symmetriesSeen = Set<Int>()
        while let b = loader.next() {
            let n = b.count
            XCTAssertEqual(b.ownershipTargets.count, n * 361)
            XCTAssertEqual(b.ownershipMask.count, n)
            for s in 0..<n {
                positions += 1
                // The symmetries that take the sample's planes back to a position of the games
                // (more than one for a symmetric position): the targets go back with one of them.
                let row = Array(b.ownershipTargets[(s * 361)..<((s + 1) * 361)])
                var matches: [(k: Int, owners: [Float]?)] = []
                for k in 0..<8 {
                    var planes = [Float](repeating: 0, count: 6 * 361)
                    for c in 0..<6 {
                        for i in 0..<361 {
                            planes[c * 361 + i] = b.planes[c * n * 361 + s * 361 + Symmetry.apply(k, i)]
                        }
                    }
                    if let owners = expected[planes] { matches.append((k, owners)) }
                }
                guard let first = matches.first else { continue }
                if first.owners == nil {
                    XCTAssertEqual(b.ownershipMask[s], 0)
                    continue
                }
                XCTAssertEqual(b.ownershipMask[s], 1)
                let back = matches.first { m in (0..<361).map { row[Symmetry.apply(m.k, $0)] } == m.owners! }
                XCTAssertNotNil(back, "targets that no symmetry of the planes takes back to the game's owners")
                if matches.count == 1 { symmetriesSeen.insert(first.k) }
                carried += 1
            }
        }
        XCTAssertEqual(positions, games.reduce(0) { $0 + $1.moves.count })
        XCTAssertGreaterThan(carried, positions / 3)
        XCTAssertGreaterThan(symmetriesSeen.count, 4)
    }
}
