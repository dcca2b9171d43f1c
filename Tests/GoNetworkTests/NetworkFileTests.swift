import Foundation
import GoNetwork
import NeuralNet
import XCTest

final class NetworkFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testCountsOfTheMediumNetwork() {
        let net = FamilyNetwork(Architecture.Family(trunk: .resnet, blocks: 6, filters: 64))
        XCTAssertEqual(net.parameterCount, 802_341)
        // 13 3x3 convolutions (one 6→64, twelve 64→64), two 1x1 heads, three dense layers.
        let convMacs = 361 * (6 * 64 * 9 + 12 * 64 * 64 * 9 + 64 * 2 + 64 * 1)
        let denseMacs = 722 * 362 + 361 * 256 + 256
        XCTAssertEqual(net.flopsPerPosition, 2 * (convMacs + denseMacs))
    }

    func testSaveLoadRoundTripKeepsWeightsAndMetadata() throws {
        let a = Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 8, expansion: 16, policyHead: .conv, policyFilters: 4, valueHead: .pool,
            valueFilters: 2, valueHidden: 8)
        let net = FamilyNetwork(a)
        net.initialize(seed: 9)
        net.metadata["name"] = "tiny"
        let path = dir.appendingPathComponent("n.safetensors").path
        try net.save(path: path)
        let back = try NetworkFile.load(path: path)
        XCTAssertEqual(back.architecture, .family(a))
        XCTAssertEqual(back.metadata["name"], "tiny")
        XCTAssertEqual(back.metadata["format"], "gonet-network/1")
        for (p, q) in zip(net.parameters, back.parameters) { XCTAssertEqual(p.value, q.value, p.name) }
        let planes = (0..<(2 * 6 * 361)).map { Float($0 % 7 == 0 ? 1 : 0) }
        XCTAssertEqual(net.evaluate(planes: planes, batch: 2).value, back.evaluate(planes: planes, batch: 2).value)
        let probs = back.evaluate(planes: planes, batch: 2).policy
        XCTAssertEqual(probs[0..<362].reduce(0, +), 1, accuracy: 1e-5)
    }

    /// A network of `a` with seeded weights, and what loading its file gives back (checked to have
    /// the same architecture).
    func savedAndLoaded(_ a: Architecture.Family, seed: UInt64) throws -> (FamilyNetwork, PolicyValueNetwork) {
        let net = FamilyNetwork(a)
        net.initialize(seed: seed)
        let path = dir.appendingPathComponent("\(UUID().uuidString).safetensors").path
        try net.save(path: path)
        let back = try NetworkFile.load(path: path)
        XCTAssertEqual(back.architecture, .family(a))
        return (net, back)
    }

    /// The trunk's activation is written only when it is not ReLU, read back, and refused by name
    /// when unknown.
    func testTheTrunksActivationRoundTrips() throws {
        var a = Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 4, policyHead: .conv, policyFilters: 1, valueHead: .pool,
            valueFilters: 1, valueHidden: 4)
        XCTAssertFalse(a.json.contains("activation"))
        for f in Architecture.Family.TrunkActivation.allCases {
            a.activation = f
            let (net, back) = try savedAndLoaded(a, seed: 4)
            let planes = (0..<(6 * 361)).map { Float($0 % 5 == 0 ? 1 : 0) }
            XCTAssertEqual(net.evaluate(planes: planes, batch: 1).value, back.evaluate(planes: planes, batch: 1).value)
        }
        XCTAssertTrue(a.json.contains("\"activation\": \"hard-swish\""), a.json)
        XCTAssertEqual(
            a.summary, "resnet 1x4, hard-swish, conv policy head (1 filters), pool value head (1 filters, 4 hidden)")
        let json = a.json.replacingOccurrences(of: "hard-swish", with: "gelu")
        XCTAssertThrowsError(try Architecture(json: json)) { error in
            XCTAssertEqual("\(error)", "unknown activation \"gelu\" (relu, swish or hard-swish)")
        }
    }

    /// A mobile trunk's depthwise filters are kept in the file (5x5 filters: 25 weights a
    /// channel; mixed: 3x3 and 5x5 groups) and anything but 3, 5 or "mixed" refused.
    func testTheDepthwiseKernelRoundTrips() throws {
        let a = Architecture.Family(
            trunk: .mobile, blocks: 1, filters: 4, expansion: 8, policyHead: .conv, policyFilters: 1,
            valueHead: .pool, valueFilters: 1, valueHidden: 4, depthwiseKernel: .five)
        XCTAssertEqual(
            FamilyNetwork(a).parameterCount
                - FamilyNetwork(
                    Architecture.Family(
                        trunk: .mobile, blocks: 1, filters: 4, expansion: 8, policyHead: .conv, policyFilters: 1,
                        valueHead: .pool, valueFilters: 1, valueHidden: 4)
                ).parameterCount, 8 * (25 - 9))
        let (net, back) = try savedAndLoaded(a, seed: 2)
        XCTAssertEqual(net.parameters.map(\.value), back.parameters.map(\.value))
        XCTAssertTrue(a.json.contains("\"depthwise_kernel\": 5"), a.json)
        XCTAssertTrue(a.summary.hasPrefix("mobile 1x4 expansion 8 depthwise 5x5,"), a.summary)
        var mixed = a
        mixed.depthwiseKernel = .mixed
        let (mixedNet, mixedBack) = try savedAndLoaded(mixed, seed: 3)
        XCTAssertEqual(mixedNet.parameters.map(\.value), mixedBack.parameters.map(\.value))
        XCTAssertEqual(mixedBack.architecture, .family(mixed))
        XCTAssertTrue(mixed.json.contains("\"depthwise_kernel\": \"mixed\""), mixed.json)
        XCTAssertTrue(mixed.summary.hasPrefix("mobile 1x4 expansion 8 depthwise 3x3+5x5,"), mixed.summary)
        // Four channels of 3x3 filters and four of 5x5: 4 · (25 − 9) more weights than 3x3 alone.
        XCTAssertEqual(
            mixedNet.parameters.filter { $0.name.hasPrefix("blocks.0.depthwise") }.map(\.name),
            ["blocks.0.depthwise.0.weight", "blocks.0.depthwise.1.weight"])
        XCTAssertEqual(FamilyNetwork(a).parameterCount - FamilyNetwork(mixed).parameterCount, 4 * (25 - 9))
        for (side, message) in [
            ("4", "architecture \"depthwise_kernel\" must be 3, 5 or \"mixed\", not 4"),
            ("\"7\"", "architecture \"depthwise_kernel\" must be 3, 5 or \"mixed\", not 7"),
            ("\"mix\"", "architecture \"depthwise_kernel\" must be 3, 5 or \"mixed\", not mix"),
        ] {
            XCTAssertThrowsError(try Architecture(json: a.json.replacingOccurrences(of: ": 5}", with: ": \(side)}"))) {
                XCTAssertEqual("\($0)", message)
            }
        }
    }

    func testSeededInitialisationIsReproducible() {
        let a = Architecture.Family(trunk: .resnet, blocks: 1, filters: 4)
        let x = FamilyNetwork(a)
        let y = FamilyNetwork(a)
        let z = FamilyNetwork(a)
        x.initialize(seed: 1)
        y.initialize(seed: 1)
        z.initialize(seed: 2)
        XCTAssertEqual(x.parameters.map(\.value), y.parameters.map(\.value))
        XCTAssertNotEqual(x.parameters.map(\.value), z.parameters.map(\.value))
        // He initialisation: the stem's weights have variance 2 / fan-in (54).
        let w = x.parameters.first { $0.name == "stem.conv.weight" }!.value
        let variance = w.map { Double($0 * $0) }.reduce(0, +) / Double(w.count)
        XCTAssertEqual(variance, 2.0 / 54, accuracy: 0.3 * 2.0 / 54)
    }

    /// Rewrites the fixture network with a change, returning the load error's text.
    func loadError(_ change: (inout SafeTensors) -> Void) throws -> String {
        var file = try Fixtures.read("resnet-2x8.safetensors")
        change(&file)
        let path = dir.appendingPathComponent("bad.safetensors").path
        try file.write(path: path)
        do {
            _ = try NetworkFile.load(path: path)
            return "loaded"
        } catch {
            return "\(error)".replacingOccurrences(of: path, with: "bad.safetensors")
        }
    }

    func testBrokenNetworkFilesAreRejectedNamingTheTensor() throws {
        // Outside the assertions, so a missing fixture skips the test instead of failing each check.
        _ = try Fixtures.path("resnet-2x8.safetensors")
        XCTAssertEqual(
            try loadError { $0.entries["policy.fc.bias"] = nil }, "bad.safetensors: missing tensor policy.fc.bias")
        XCTAssertEqual(
            try loadError { $0.set("extra.weight", Tensor(shape: [1], data: [0])) },
            "bad.safetensors: unexpected tensor extra.weight")
        XCTAssertEqual(
            try loadError { $0.set("stem.bn.bias", Tensor(shape: [9], data: [Float](repeating: 0, count: 9))) },
            "bad.safetensors: tensor stem.bn.bias has shape [9], expected [8]")
        XCTAssertEqual(
            try loadError { $0.set("stem.bn.bias", int64: [Int64](repeating: 0, count: 8), shape: [8]) },
            "bad.safetensors: tensor stem.bn.bias has dtype I64, expected F32")
        XCTAssertEqual(
            try loadError { f in
                var t = f.tensor("blocks.1.conv2.weight")!
                t.data[17] = .nan
                f.set("blocks.1.conv2.weight", t)
            }, "bad.safetensors: tensor blocks.1.conv2.weight has a non-finite value (nan) at index 17")
        // Finite weights so large that the outputs overflow: refused at load, not at the first genmove.
        XCTAssertEqual(
            try loadError { f in
                for name in f.entries.keys where name.hasSuffix("weight") {
                    var t = f.tensor(name)!
                    t.data = t.data.map { _ in 3e37 }
                    f.set(name, t)
                }
            }, "bad.safetensors: a forward pass on the empty board gives non-finite outputs (weights too large)")
        XCTAssertEqual(
            try loadError { f in
                var t = f.tensor("value.bn.running_var")!
                t.data[0] = -1
                f.set("value.bn.running_var", t)
            }, "bad.safetensors: tensor value.bn.running_var has a negative running variance (-1.0) at index 0")
        XCTAssertEqual(
            try loadError { $0.metadata["format"] = "gonet-network/9" },
            "bad.safetensors: unknown format \"gonet-network/9\" (expected gonet-network/1)")
        XCTAssertEqual(
            try loadError { $0.metadata["features"] = "planes17" },
            "bad.safetensors: unknown features \"planes17\" (expected planes6-v1)")
        XCTAssertEqual(
            try loadError {
                $0.metadata["architecture"] = "{\"trunk\": \"transformer\", \"blocks\": 2, \"filters\": 8}"
            },
            "bad.safetensors: unknown trunk \"transformer\" (resnet, mobile or graph)")
        XCTAssertEqual(
            try loadError { $0.metadata["architecture"] = "{\"trunk\": \"resnet\", \"blocks\": 2}" },
            "bad.safetensors: architecture lacks \"filters\"")
        XCTAssertEqual(
            try loadError {
                $0.metadata["architecture"] = "{\"trunk\": \"resnet\", \"blocks\": 2, \"filters\": 100000000}"
            },
            "bad.safetensors: architecture \"filters\" must be an integer in 1…1024, not 100000000")
        XCTAssertEqual(
            try loadError { f in
                f.entries["policy.fc.bias"] = nil
                f.metadata["features"] = "x"
            }, "bad.safetensors: unknown features \"x\" (expected planes6-v1); missing tensor policy.fc.bias",
            "every reason in one message")
    }

    func testTruncatedFileIsRejected() throws {
        let src = try Fixtures.path("resnet-2x8.safetensors")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: src))
        let path = dir.appendingPathComponent("cut.safetensors").path
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try NetworkFile.load(path: path)) { e in
            XCTAssertTrue("\(e)".hasPrefix("\(path): tensor "), "\(e)")
            XCTAssertTrue("\(e)".contains("point past the end of the data"), "\(e)")
        }
    }

    /// `net forward` on finite inputs whose outputs overflow: an error naming the position, not a file of NaNs.
    func testForwardRefusesNonFiniteOutputs() throws {
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 2,
                valueHead: .pool, valueFilters: 2, valueHidden: 4))
        net.initialize(seed: 1)
        var input = SafeTensors()
        var planes = [Float](repeating: 0, count: 2 * 6 * 361)
        for i in (6 * 361)..<planes.count { planes[i] = 3e38 }
        input.set("planes", Tensor(shape: [2, 6, 19, 19], data: planes))
        XCTAssertThrowsError(try net.forward(file: input, path: "in.safetensors")) { e in
            XCTAssertTrue("\(e)".hasPrefix("in.safetensors: the network's output for position 1 is not finite"), "\(e)")
        }
    }
}

extension NetworkFileTests {
    /// Graph architectures (imported networks) from a hostile file are refused naming the node.
    func testHostileGraphArchitecturesAreRefusedByNode() {
        func refusal(_ graph: String) -> String {
            do {
                _ = try Architecture(json: "{\"trunk\": \"graph\", \"graph\": \(graph)}")
                return "accepted"
            } catch { return "\(error)" }
        }
        let dense362 = "{\"op\": \"dense\", \"inputs\": [1], \"channels\": 362}"
        let dense1 = "{\"op\": \"dense\", \"inputs\": [1], \"channels\": 1}"
        let mean = "{\"op\": \"mean\", \"inputs\": [-1]}"
        XCTAssertEqual(
            refusal("{\"nodes\": [\(mean), \(mean), \(dense362), \(dense1)], \"policy\": 2, \"value\": 3}"), "accepted")
        XCTAssertEqual(
            refusal("{\"nodes\": [\(mean), {\"op\": \"mean\", \"inputs\": [2]}], \"policy\": 0, \"value\": 1}"),
            "graph node 1 (mean): input 2 is not an earlier node")
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"conv\", \"inputs\": [-1], \"channels\": 100000, \"kernel\": 3}], \"policy\": 0, \"value\": 0}"
            ),
            "graph node 0 (conv): channels must be in 1...4096, not 100000")
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"conv\", \"inputs\": [-1], \"channels\": 8, \"kernel\": 5}], \"policy\": 0, \"value\": 0}"
            ),
            "graph node 0 (conv): kernel 1 or 3, not 5")
        // A slice past the channels it reads, or with no first channel.
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"slice\", \"inputs\": [-1], \"first\": 4, \"channels\": 3}], \"policy\": 0, \"value\": 0}"
            ),
            "graph node 0 (slice): channels from 4, 3 of them, of 6")
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"slice\", \"inputs\": [-1], \"channels\": 3}], \"policy\": 0, \"value\": 0}"),
            "graph node 0 (slice): a slice needs \"first\"")
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"slice\", \"inputs\": [-1], \"first\": 9223372036854775807, \"channels\": 3}], \"policy\": 0, \"value\": 0}"
            ),
            "graph node 0 (slice): channels from 9223372036854775807, 3 of them, of 6")
        XCTAssertEqual(
            refusal("{\"nodes\": [\(mean), \(mean), \(dense1), \(dense1)], \"policy\": 2, \"value\": 3}"),
            "graph's policy node 2 must give 362 values")
        XCTAssertEqual(
            refusal("{\"nodes\": [{\"op\": \"add\", \"inputs\": [-1]}], \"policy\": 0, \"value\": 0}"),
            "graph node 0 (add): 1 inputs")
        XCTAssertEqual(
            refusal(
                "{\"nodes\": [{\"op\": \"leaky_relu\", \"inputs\": [-1], \"a\": 1e39}], \"policy\": 0, \"value\": 0}"
            )
            .hasPrefix("architecture \"graph\" is not a graph"), true)
        XCTAssertTrue(
            refusal("{\"nodes\": [{\"op\": \"erf\", \"inputs\": [-1]}], \"policy\": 0, \"value\": 0}").hasPrefix(
                "architecture \"graph\" is not a graph"))
        // A thousand 4096-channel 3x3 convolutions: 151 million weights each, past the limit at the fourth.
        let big = (0..<1000).map { "{\"op\": \"conv\", \"inputs\": [\($0 - 1)], \"channels\": 4096, \"kernel\": 3}" }
        XCTAssertTrue(
            refusal("{\"nodes\": [\(big.joined(separator: ", "))], \"policy\": 0, \"value\": 0}").contains(
                "the graph's weights or activations so far pass gonet's limits"))
        XCTAssertEqual(refusal("[1, 2]"), "architecture \"graph\" is not a graph: " + "\(decodingFailure("[1, 2]"))")
    }

    private func decodingFailure(_ json: String) -> String {
        do {
            _ = try JSONDecoder().decode(GraphSpec.self, from: Data(json.utf8))
            return ""
        } catch { return "\(error)" }
    }
}
