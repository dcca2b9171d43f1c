import Foundation
import GoNetwork
import GoRules
import NeuralNet
import XCTest

/// Heads files (`NAME.heads.safetensors`): round trips, the network they belong to, and broken files.
final class HeadsFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-heads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let family = Architecture.Family(
        trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2, valueHead: .pool, valueFilters: 3,
        valueHidden: 8)

    /// A random network with random ownership and score heads, saved as `n.safetensors` and its heads beside it.
    func savedPair() throws -> (FamilyNetwork, network: String, heads: String) {
        let net = FamilyNetwork(Self.family)
        net.initialize(seed: 3)
        net.addOwnershipHead(seed: 4)
        net.addScoreHead(seed: 5)
        for p in net.analysisHeadParameters where p.name.hasSuffix("bias") { p.value = p.value.map { _ in 0.3 } }
        let path = dir.appendingPathComponent("n.safetensors").path
        try net.save(path: path)
        let heads = HeadsFile.path(besideNetwork: path)
        try net.saveHeads(path: heads)
        return (net, path, heads)
    }

    func position() -> EncodedPosition {
        var g = Game(size: 19, komi: 7.5)
        for (x, y) in [(3, 3), (15, 15), (2, 15), (16, 2), (9, 9)] { try! g.play(.play(Point(x: x, y: y))) }
        return EncodedPosition(g)
    }

    func testTheHeadsBesideANetworkLoadWithItAndAnswerAsTrained() throws {
        let (net, path, heads) = try savedPair()
        XCTAssertEqual(heads, dir.appendingPathComponent("n.heads.safetensors").path)
        let back = try HeadsFile.loadNetwork(path: path, heads: .beside)
        XCTAssertEqual(back.analysisHeads, [.ownership, .score])
        let a = net.headsSymmetric(position())
        let b = back.headsSymmetric(position())
        XCTAssertEqual(try XCTUnwrap(a.score), try XCTUnwrap(b.score))
        XCTAssertEqual(try XCTUnwrap(a.ownership), try XCTUnwrap(b.ownership))
        XCTAssertNotEqual(a.score, 0)
        // The network file itself keeps the policy and value contract.
        XCTAssertTrue(try SafeTensors.read(path: path).entries.keys.allSatisfy { !$0.hasPrefix("score.") })
        XCTAssertEqual(try HeadsFile.loadNetwork(path: path, heads: .none).analysisHeads, [])
        XCTAssertEqual(try HeadsFile.loadNetwork(path: path, heads: .file(heads)).analysisHeads, [.ownership, .score])
        // No heads file beside: the network alone, no error.
        try FileManager.default.removeItem(atPath: heads)
        XCTAssertEqual(try HeadsFile.loadNetwork(path: path, heads: .beside).analysisHeads, [])
    }

    func testSymmetricOwnershipTurnsWithTheBoard() throws {
        let (net, _, _) = try savedPair()
        // The same position transposed: its ownership is the transpose, to rounding.
        let moves = [(3, 3), (15, 15), (2, 15), (16, 2), (9, 9), (4, 10)]
        var g = Game(size: 19, komi: 7.5)
        var t = Game(size: 19, komi: 7.5)
        for (x, y) in moves {
            try g.play(.play(Point(x: x, y: y)))
            try t.play(.play(Point(x: y, y: x)))
        }
        let a = try XCTUnwrap(net.headsSymmetric(EncodedPosition(g)).ownership)
        let b = try XCTUnwrap(net.headsSymmetric(EncodedPosition(t)).ownership)
        for y in 0..<19 { for x in 0..<19 { XCTAssertEqual(a[y * 19 + x], b[x * 19 + y], accuracy: 1e-5) } }
        XCTAssertEqual(
            try XCTUnwrap(net.headsSymmetric(EncodedPosition(g)).score),
            try XCTUnwrap(net.headsSymmetric(EncodedPosition(t)).score), accuracy: 1e-4)
    }

    func testHeadsOfAnotherNetworkAreRefused() throws {
        let (_, path, heads) = try savedPair()
        // Renaming the network keeps its heads (the digest reads tensors only) ...
        var renamed = try NetworkFile.load(path: path)
        renamed.metadata["name"] = "another name"
        try renamed.save(path: path)
        XCTAssertEqual(try HeadsFile.loadNetwork(path: path, heads: .file(heads)).analysisHeads, [.ownership, .score])
        // ... retraining it does not.
        renamed = try NetworkFile.load(path: path)
        renamed.parameters[0].value[0] += 0.001
        try renamed.save(path: path)
        XCTAssertThrowsError(try HeadsFile.loadNetwork(path: path, heads: .file(heads))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(heads + ": the heads were trained for another network (digest "), message)
            XCTAssertTrue(message.contains("this network's \(renamed.digest)"), message)
        }
        // Found beside the network rather than asked for, they are skipped, saying why, and it plays.
        var skipped: [String] = []
        let alone = try HeadsFile.loadNetwork(path: path, heads: .beside) { skipped.append("\($0)") }
        XCTAssertEqual(alone.analysisHeads, [])
        XCTAssertEqual(skipped.count, 1)
        XCTAssertTrue(skipped[0].hasPrefix(heads + ": the heads were trained for another network (digest "), skipped[0])
    }

    func testBrokenHeadsFilesAreRefusedWithEveryReason() throws {
        let (net, path, heads) = try savedPair()
        func refused(_ edit: (inout SafeTensors) -> Void) throws -> String {
            var file = try SafeTensors.read(path: heads)
            edit(&file)
            let broken = dir.appendingPathComponent("broken.heads.safetensors").path
            try file.write(path: broken)
            do {
                _ = try HeadsFile.loadNetwork(path: path, heads: .file(broken))
                XCTFail("accepted")
                return ""
            } catch { return "\(error)" }
        }
        let wrongShape = try refused { $0.set("score.fc.weight", Tensor(shape: [1, 3], data: [1, 2, 3])) }
        XCTAssertTrue(
            wrongShape.contains("tensor score.fc.weight missing, not F32, or not of shape [1, 8]"), wrongShape)
        let nan = try refused { $0.set("ownership.out.bias", Tensor(shape: [1], data: [.nan])) }
        XCTAssertTrue(nan.contains("tensor ownership.out.bias has a non-finite value"), nan)
        let extra = try refused { $0.set("reply.out.weight", Tensor(shape: [1], data: [0])) }
        XCTAssertTrue(extra.contains("unexpected tensor reply.out.weight"), extra)
        let notHeads = try refused { $0.metadata["format"] = "gonet-network/1" }
        XCTAssertTrue(notHeads.contains("not a heads file (format \"gonet-network/1\""), notHeads)
        let empty = try refused { $0.entries = [:] }
        XCTAssertTrue(empty.contains("no ownership or score head in the file"), empty)
        // A network file given as heads, and garbage bytes.
        XCTAssertThrowsError(try HeadsFile.loadNetwork(path: path, heads: .file(path)))
        let garbage = dir.appendingPathComponent("garbage.heads.safetensors").path
        try Data("not safetensors".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try HeadsFile.loadNetwork(path: path, heads: .file(garbage))) {
            XCTAssertTrue("\($0)".hasPrefix(garbage + ": "), "\($0)")
        }
        // None of it touched the network: it still loads with its good heads.
        XCTAssertEqual(
            try HeadsFile.loadNetwork(path: path, heads: .beside).headsSymmetric(position()).score,
            net.headsSymmetric(position()).score)
    }

    func testOneHeadAloneIsAHeadsFile() throws {
        let net = FamilyNetwork(Self.family)
        net.initialize(seed: 3)
        net.addScoreHead(seed: 5)
        let path = dir.appendingPathComponent("s.safetensors").path
        try net.save(path: path)
        try net.saveHeads(path: HeadsFile.path(besideNetwork: path))
        let back = try HeadsFile.loadNetwork(path: path, heads: .beside)
        XCTAssertEqual(back.analysisHeads, [.score])
        XCTAssertNil(back.headsSymmetric(position()).ownership)
    }
}
