import Foundation
import GoNetwork
import GoRecords
import GoRules
import NeuralNet
import TestSupport
import Training
import XCTest

final class ShardWriterTests: XCTestCase {
    var dir: String!
    var archive: String!
    var records: [GameRecord] = []

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-shards-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let sample = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
        records = try SGFReader(path: sample).prefix(12).map { try $0.record.get() }
        archive = "\(dir!)/s.games.zst"
        let w = try GameArchiveWriter(path: archive)
        for r in records { try w.write(r) }
        try w.finish()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// Each position of `records` as gonet encodes it: planes at symmetry 0 and the targets.
    func expected(_ records: [GameRecord]) throws -> [String] {
        var out: [String] = []
        var planes = [Float](repeating: 0, count: 6 * 361)
        for r in records {
            for m in 0..<r.moves.count {
                let s = try TrainingSample.at(r, move: m)
                s.position.codes.withUnsafeBufferPointer { codes in
                    planes.withUnsafeMutableBufferPointer {
                        Features.encode(
                            codes: codes.baseAddress!, toMove: s.position.toMove,
                            theirLastMove: s.position.theirLastMove, symmetry: 0, into: $0.baseAddress!,
                            planeStride: 361)
                    }
                }
                let reply = m + 1 < r.moves.count ? r.moves[m + 1].move.index() : -1
                // The score for the player to move, where the game was counted.
                var score = "none"
                if case .win(let w, .score(let points)) = r.result {
                    score = "\(w == r.moves[m].color ? Float(points) : -Float(points))"
                }
                out.append("\(planes) \(s.policyTarget) \(s.valueTarget) \(s.valueMask) \(reply) \(score)")
            }
        }
        return out.sorted()
    }

    /// Each position of a shard file.
    func positions(_ path: String) throws -> [String] {
        let f = try SafeTensors.read(path: path)
        XCTAssertEqual(f.metadata["format"], "gonet-shard/1")
        XCTAssertEqual(f.metadata["features"], "planes6-v1")
        let planes = try XCTUnwrap(f.tensor("planes"))
        let n = planes.shape[0]
        XCTAssertEqual(planes.shape, [n, 6, 19, 19])
        XCTAssertEqual(f.entries["policy_target"]?.dtype, .I64)
        XCTAssertEqual(f.entries["policy_target"]?.shape, [n])
        let policy = try XCTUnwrap(f.tensor("policy_target")).data
        let value = try XCTUnwrap(f.tensor("value_target")).data
        let mask = try XCTUnwrap(f.tensor("value_mask")).data
        XCTAssertEqual(f.entries["reply_target"]?.dtype, .I64)
        let reply = try XCTUnwrap(f.tensor("reply_target")).data
        let score = try XCTUnwrap(f.tensor("score_target")).data
        let scoreMask = try XCTUnwrap(f.tensor("score_mask")).data
        return (0..<n).map { s in
            "\(Array(planes.data[(s * 2166)..<((s + 1) * 2166)])) \(Int(policy[s])) \(value[s]) \(mask[s]) \(Int(reply[s])) \(scoreMask[s] > 0 ? "\(score[s])" : "none")"
        }
    }

    func testShardsHoldEveryPositionOnceInFixedSizesSplitByGame() throws {
        var o = ShardOptions(archives: [archive], directory: "\(dir!)/out")
        o.positions = 300
        o.validationFraction = 0.3
        o.shuffleBuffer = 1000
        let s = try ShardWriter.write(o)
        let validation = try XCTUnwrap(s.validation)
        let total = records.reduce(0) { $0 + $1.moves.count }
        XCTAssertEqual(s.train.positions + validation.positions, total)
        XCTAssertEqual(s.train.games + validation.games, records.count)
        XCTAssertEqual(s.train.files.count, (s.train.positions + 299) / 300)
        var trainPositions: [String] = []
        for (i, f) in s.train.files.enumerated() {
            let p = try positions("\(dir!)/out/\(f)")
            if i < s.train.files.count - 1 { XCTAssertEqual(p.count, 300, "every shard but the last is full") }
            trainPositions += p
        }
        var validationPositions: [String] = []
        for f in validation.files { validationPositions += try positions("\(dir!)/out/\(f)") }
        let isValidation = records.map { GameSplit.isValidation($0, fraction: 0.3) }
        XCTAssertEqual(trainPositions.sorted(), try expected(zip(records, isValidation).filter { !$0.1 }.map(\.0)))
        XCTAssertEqual(validationPositions.sorted(), try expected(zip(records, isValidation).filter(\.1).map(\.0)))
        XCTAssertNotEqual(trainPositions.prefix(50), trainPositions.sorted().prefix(50), "shuffled")
        let summary = try JSONDecoder().decode(
            ShardSummary.self, from: Data(contentsOf: URL(fileURLWithPath: "\(dir!)/out/shards.json")))
        XCTAssertEqual(summary, s)
    }

    func testSymmetriesMovePlanesAndTargetsTogether() throws {
        var o = ShardOptions(archives: [archive], directory: "\(dir!)/sym")
        o.positions = 100_000
        o.symmetries = true
        let s = try ShardWriter.write(o)
        XCTAssertEqual(s.train.files.count, 1)
        let f = try SafeTensors.read(path: "\(dir!)/sym/\(s.train.files[0])")
        let planes = try XCTUnwrap(f.tensor("planes")).data
        let policy = try XCTUnwrap(f.tensor("policy_target")).data
        // The move played is on an empty point of its own position, whatever the symmetry.
        for n in 0..<policy.count where policy[n] < 361 {
            XCTAssertEqual(planes[n * 2166 + 2 * 361 + Int(policy[n])], 1, "position \(n)")
        }
        XCTAssertNotEqual(try positions("\(dir!)/sym/\(s.train.files[0])").sorted(), try expected(records))
    }

    /// With `--ownership`, the owners of a counted game add up to its score: these games are
    /// counted by area, so the side to move's points less the opponent's are its score plus komi
    /// (minus komi for White), under every symmetry.
    func testOwnershipTargetsAddUpToTheScore() throws {
        var o = ShardOptions(archives: [archive], directory: "\(dir!)/own")
        o.positions = 100_000
        o.symmetries = true
        o.ownership = true
        let s = try ShardWriter.write(o)
        let f = try SafeTensors.read(path: "\(dir!)/own/\(s.train.files[0])")
        let owners = try XCTUnwrap(f.tensor("ownership_target"))
        let mask = try XCTUnwrap(f.tensor("ownership_mask")).data
        let score = try XCTUnwrap(f.tensor("score_target")).data
        let planes = try XCTUnwrap(f.tensor("planes")).data
        XCTAssertEqual(owners.shape, [mask.count, 19, 19])
        let komi = Float(records[0].komi)
        var carried = 0
        for n in 0..<mask.count where mask[n] == 1 {
            let row = owners.data[(n * 361)..<((n + 1) * 361)]
            XCTAssertTrue(row.allSatisfy { $0 == 1 || $0 == -1 || $0 == 0 })
            let white = planes[n * 2166 + 5 * 361] == 1
            XCTAssertEqual(row.reduce(0, +), score[n] + (white ? -komi : komi), "position \(n)")
            carried += 1
        }
        XCTAssertGreaterThan(carried, mask.count / 3)
        o.ownership = false
        o.directory = "\(dir!)/none"
        let without = try ShardWriter.write(o)
        XCTAssertNil(try SafeTensors.read(path: "\(dir!)/none/\(without.train.files[0])").tensor("ownership_target"))
    }

    func testBadOptionsAreRefusedByName() {
        var o = ShardOptions(archives: [archive], directory: "\(dir!)/bad")
        o.positions = 0
        XCTAssertThrowsError(try ShardWriter.write(o)) { e in
            XCTAssertEqual("\(e)", "positions per shard must be 1 to 262144, not 0")
        }
        o.positions = 10
        o.archives = ["\(dir!)/missing.games.zst"]
        XCTAssertThrowsError(try ShardWriter.write(o))
    }
}
