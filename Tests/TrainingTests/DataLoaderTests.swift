import Foundation
import GoNetwork
import GoRecords
import GoRules
import TestSupport
import Training
import XCTest

final class DataLoaderTests: XCTestCase {
    var dir: URL!
    var archive: String!
    var records: [GameRecord] = []

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let sample = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
        let reader = try SGFReader(path: sample)
        records = try reader.prefix(30).map { try $0.record.get() }
        archive = dir.appendingPathComponent("s.games.zst").path
        let w = try GameArchiveWriter(path: archive)
        for r in records { try w.write(r) }
        try w.finish()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func config(seed: UInt64 = 3) -> LoaderConfiguration {
        var c = LoaderConfiguration(files: [archive])
        c.batchSize = 64
        c.shuffleBuffer = 500
        c.seed = seed
        return c
    }

    func all(_ c: LoaderConfiguration) throws -> [TrainingBatch] {
        let loader = try DataLoader(c)
        var out: [TrainingBatch] = []
        while let b = loader.next() { out.append(b) }
        return out
    }

    /// A sample's identity: its 6 planes (at symmetry 0) and its targets.
    func signatures(_ batches: [TrainingBatch]) -> [String] {
        var out: [String] = []
        for b in batches {
            let n = b.count
            for s in 0..<n {
                var planes: [Float] = []
                for p in 0..<6 {
                    let start: Int = p * n * 361 + s * 361
                    planes += b.planes[start..<(start + 361)]
                }
                let score = b.scoreMask[s] > 0 ? "\(b.scoreTargets[s])" : "none"
                out.append(
                    "\(planes.hashValue) \(b.policyTargets[s]) \(b.valueTargets[s]) \(b.valueMask[s]) \(b.replyTargets[s]) \(score)"
                )
            }
        }
        return out.sorted()
    }

    /// What `signatures` gives for the position before move `m` of a record, straight from it.
    static func signature(_ r: GameRecord, move m: Int) throws -> String {
        let s = try TrainingSample.at(r, move: m)
        // The opponent's reply: the record's next move, −1 after the last.
        let reply = m + 1 < r.moves.count ? r.moves[m + 1].move.index() : -1
        // The score for the player to move, where the game was counted.
        var score = "none"
        if case .win(let w, .score(let points)) = r.result {
            score = "\(w == r.moves[m].color ? Float(points) : -Float(points))"
        }
        return
            "\(Features.planes(s.position).hashValue) \(s.policyTarget) \(s.valueTarget) \(s.valueMask) \(reply) \(score)"
    }

    func testEveryPositionOfAnEpochAppearsExactlyOnce() throws {
        var c = config()
        c.randomSymmetry = false
        let batches = try all(c)
        let positions = records.reduce(0) { $0 + $1.moves.count }
        XCTAssertEqual(batches.reduce(0) { $0 + $1.count }, positions)
        XCTAssertTrue(batches.dropLast().allSatisfy { $0.count == 64 }, "only the last batch is partial")
        // The same positions straight from the records, one by one.
        var expected: [String] = []
        for r in records {
            for m in 0..<r.moves.count {
                expected.append(try Self.signature(r, move: m))
            }
        }
        XCTAssertEqual(signatures(batches), expected.sorted())
        XCTAssertTrue(expected.contains { !$0.hasSuffix(" none") }, "the sample games include counted ones")
    }

    func testKeepEveryTakesOnePositionInNAcrossGames() throws {
        var c = config()
        c.randomSymmetry = false
        c.keepEvery = 7
        let batches = try all(c)
        // Positions are counted across games: global positions 7, 14, 21, … (1-based) are kept.
        var expected: [String] = []
        var seen = 0
        for r in records {
            for m in 0..<r.moves.count {
                seen += 1
                guard seen % 7 == 0 else { continue }
                expected.append(try Self.signature(r, move: m))
            }
        }
        XCTAssertEqual(expected.count, records.reduce(0) { $0 + $1.moves.count } / 7)
        XCTAssertEqual(signatures(batches), expected.sorted())
    }

    func testDeterministicForASeedAndShuffled() throws {
        let a = try all(config(seed: 9))
        let b = try all(config(seed: 9))
        let c = try all(config(seed: 10))
        XCTAssertEqual(a.map(\.planes), b.map(\.planes))
        XCTAssertEqual(a.map(\.policyTargets), b.map(\.policyTargets))
        XCTAssertNotEqual(a.map(\.policyTargets), c.map(\.policyTargets))
        // Shuffled: the first batch is not the first game's opening.
        XCTAssertNotEqual(
            Array(a[0].policyTargets.prefix(10)), records[0].moves.prefix(10).map { Int32($0.move.index()) })
    }

    func testRandomSymmetriesMapTargetsWithPlanes() throws {
        var c = config()
        c.epochs = 1
        let batches = try all(c)
        var symmetric: [String] = []
        // Under any symmetry, the target point is empty in the planes (plane 2 set), or it is a
        // pass; the reply is a pass or another point (the target holds a stone by then).
        for b in batches {
            let n = b.count
            for s in 0..<n where b.policyTargets[s] < 361 {
                XCTAssertEqual(b.planes[2 * n * 361 + s * 361 + Int(b.policyTargets[s])], 1, "target on an empty point")
                XCTAssertNotEqual(b.replyTargets[s], b.policyTargets[s])
            }
            // The replies move with the planes: the opponent replies on a point that is empty now
            // or holds one of its own stones that the target move captures, never on a stone of
            // the player to move (plane 0).
            for s in 0..<n where b.replyTargets[s] >= 0 && b.replyTargets[s] < 361 {
                XCTAssertEqual(b.planes[0 * n * 361 + s * 361 + Int(b.replyTargets[s])], 0, "reply on our stone")
            }
            symmetric.append(contentsOf: b.policyTargets.map(String.init))
        }
        XCTAssertEqual(symmetric.count, records.reduce(0) { $0 + $1.moves.count })
    }

    func testValidationSplitIsDisjointAndComplete() throws {
        var train = config()
        var valid = config()
        train.validationFraction = 0.3
        valid.validationFraction = 0.3
        valid.validation = true
        let t = try all(train)
        let v = try all(valid)
        let total = records.reduce(0) { $0 + $1.moves.count }
        let tv = t.reduce(0) { $0 + $1.count } + v.reduce(0) { $0 + $1.count }
        XCTAssertEqual(tv, total)
        let validGames = records.filter { GameSplit.isValidation($0, fraction: 0.3) }
        XCTAssertEqual(v.reduce(0) { $0 + $1.count }, validGames.reduce(0) { $0 + $1.moves.count })
        XCTAssertGreaterThan(validGames.count, 3)
        XCTAssertLessThan(validGames.count, 20)
    }

    func testEndlessModeKeepsGoingAndStops() throws {
        var c = config()
        c.epochs = nil
        let loader = try DataLoader(c)
        let positions = records.reduce(0) { $0 + $1.moves.count }
        var seen = 0
        for _ in 0..<(positions / 64 * 3) { seen += loader.next()!.count }
        XCTAssertGreaterThan(seen, 2 * positions)
        loader.stop()
    }

    func testCorruptArchiveKeepsEarlierGames() throws {
        // Large and varied enough for many zstd blocks, so the part before the cut decodes.
        let tygem = TestPaths.packageRoot.appendingPathComponent("Games/tygem-2016-07-sample3000.sgf.zst").path
        let big = dir.appendingPathComponent("big.games.zst").path
        let w = try GameArchiveWriter(path: big)
        for e in try SGFReader(path: tygem).prefix(1000) { if case .success(let r) = e.record { try w.write(r) } }
        try w.finish()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: big)))
        bytes = Array(bytes.prefix(bytes.count * 2 / 3))
        let cut = dir.appendingPathComponent("cut.games.zst").path
        try Data(bytes).write(to: URL(fileURLWithPath: cut))
        var c = config()
        c.files = [cut]
        let loader = try DataLoader(c)
        var n = 0
        while let b = loader.next() { n += b.count }
        let stats = loader.statistics
        XCTAssertGreaterThan(stats.games, 5, "\(stats.errors)")
        XCTAssertEqual(n, stats.positions)
        XCTAssertEqual(stats.errors.count, 1)
        XCTAssertTrue(stats.errors[0].hasPrefix("\(cut): "), stats.errors[0])
    }

    /// `gonet eval` on a file that is not an archive: the error `games info` gives, not "0 positions".
    func testEvaluatingAFileThatIsNotAnArchiveIsAnError() throws {
        let junk = dir.appendingPathComponent("junk.games.zst").path
        try Data((0..<1000).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: junk))
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2,
                valueHead: .pool, valueFilters: 2, valueHidden: 4))
        XCTAssertThrowsError(try Evaluator.evaluate(net, files: [junk])) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(junk): "), "\(e)")
        }
        XCTAssertGreaterThan(
            try Evaluator.evaluate(net, files: [archive]).positions, 0, "a good archive still evaluates")
    }
}
