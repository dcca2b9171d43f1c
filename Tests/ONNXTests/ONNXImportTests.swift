import Foundation
import GoNetwork
import NeuralNet
import ONNX
import XCTest

final class ONNXImportTests: XCTestCase {
    var scratch: String!
    let fixtures = repository + "/Tests/ONNXTests/Fixtures"

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-onnxi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func testImportOfAnExportIsTheSameNetwork() throws {
        for (n, a) in ONNXExportTests.architectures.enumerated() {
            let net = ONNXExportTests.network(a, seed: UInt64(n + 10))
            let path = "\(scratch!)/rt\(n).onnx"
            try ONNXExport.write(net, to: path)
            let (back, report) = try ONNXImport.network(path: path)
            XCTAssertEqual(back.architecture, net.architecture)
            XCTAssertEqual(report.architecture, a.summary)
            XCTAssertFalse(report.inputWasNHWC || report.policyWasSoftmax || report.valueWasSigmoid)
            for (p, q) in zip(net.parameters, back.parameters) {
                XCTAssertEqual(p.name, q.name)
                for (x, y) in zip(p.value, q.value) {
                    XCTAssertEqual(x, y, accuracy: 1e-6 * max(1, abs(x)), "\(p.name) of \(a.json)")
                }
            }
        }
    }

    /// PyTorch's exports (batch norms folded into biases) and a tf2onnx-shaped Keras graph give,
    /// once imported, what ONNX Runtime computes on the original graph.
    func testImportedNetworksGiveONNXRuntimeTheirOutputs() throws {
        let py = try python()
        let planes = try PlanesBatch(batch: 3, seed: 9, in: scratch)
        let batch = planes.batch
        // The first three are of gonet's family and run natively; the others run as graphs
        // (tiny-graph is the seed of the fuzz targets: it must stay one that imports).
        for name in ["torch-resnet", "torch-mobile", "keras-nhwc", "leaky", "torch-zoo", "keras-zoo", "tiny-graph"] {
            let model = "\(fixtures)/\(name).onnx"
            let (net, report) = try ONNXImport.network(path: model, value: name == "keras-zoo" ? .tanh : nil)
            let keras = ["keras-nhwc", "leaky", "keras-zoo"].contains(name)
            XCTAssertEqual(
                net.architecture.family != nil, ["torch-resnet", "torch-mobile", "keras-nhwc"].contains(name), name)
            XCTAssertEqual(report.inputWasNHWC, keras, name)
            XCTAssertEqual(report.policyWasSoftmax, ["keras-nhwc", "leaky", "torch-zoo"].contains(name), name)
            XCTAssertEqual(report.valueWasSigmoid, ["keras-nhwc", "leaky", "torch-zoo"].contains(name), name)
            // The file gonet writes reads back as the same network.
            let saved = "\(scratch!)/\(name).safetensors"
            try net.save(path: saved)
            let again = try NetworkFile.load(path: saved)
            XCTAssertEqual(again.architecture, net.architecture, name)
            XCTAssertEqual(again.parameterCount, net.parameterCount, name)
            var (policy, value) = planes.gonet(net)
            var (ortPolicy, ortValue) = try planes.runtime(model, python: py, prefix: "\(scratch!)/\(name)")
            if report.policyWasSoftmax {
                // The graph gives probabilities: compare gonet's softmax with them.
                for b in 0..<batch {
                    let row = Array(policy[(b * 362)..<((b + 1) * 362)])
                    let top = row.max()!
                    let e = row.map { exp($0 - top) }
                    let s = e.reduce(0, +)
                    for i in 0..<362 { policy[b * 362 + i] = e[i] / s }
                }
            }
            if report.valueWasSigmoid { ortValue = ortValue.map { 2 * $0 - 1 } }
            assertClose(ortPolicy, policy, "policy of \(name)")
            assertClose(ortValue, value, "value of \(name)")
        }
    }

    func testWhatIsNotGonetsFamilyOrNotONNXIsRefusedByName() throws {
        func refusal(_ path: String) -> String {
            do {
                _ = try ONNXImport.network(path: path)
                return "imported"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(
            refusal("\(fixtures)/unsupported.onnx"),
            "\(fixtures)/unsupported.onnx: node \"b_erf\" (Erf): operator Erf is not one gonet reads (docs/ONNX.md lists them)"
        )
        XCTAssertEqual(
            refusal("\(fixtures)/keras-zoo.onnx"),
            "\(fixtures)/keras-zoo.onnx: the value output does not end in Tanh or Sigmoid; say which it is (gonet net import --value tanh|sigmoid)"
        )
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/torch-mobile.onnx"))
        let truncated = "\(scratch!)/truncated.onnx"
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: truncated))
        XCTAssertTrue(refusal(truncated).hasPrefix("\(truncated): not an ONNX model (protobuf: "), refusal(truncated))
        let garbage = "\(scratch!)/garbage.onnx"
        // A field whose length prefix claims 2⁶² bytes.
        try Data([0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, 0x01]).write(
            to: URL(fileURLWithPath: garbage))
        XCTAssertTrue(refusal(garbage).hasPrefix("\(garbage): not an ONNX model"), refusal(garbage))
        let empty = "\(scratch!)/empty.onnx"
        try Data().write(to: URL(fileURLWithPath: empty))
        XCTAssertEqual(refusal(empty), "\(empty): the model has no graph")
        // A wrong input shape and a missing output, made by editing an export.
        var model = ONNXExport.model(ONNXExportTests.network(ONNXExportTests.architectures[2], seed: 1))
        model.graph.input[0] = ONNXExport.valueInfo("planes", [nil, 8, 19, 19])
        let wrongInput = "\(scratch!)/input.onnx"
        try model.serializedData().write(to: URL(fileURLWithPath: wrongInput))
        XCTAssertEqual(
            refusal(wrongInput),
            "\(wrongInput): input \"planes\" has shape [\"N\", \"8\", \"19\", \"19\"]; gonet gives [N, 6, 19, 19] or [N, 19, 19, 6]"
        )
        model = ONNXExport.model(ONNXExportTests.network(ONNXExportTests.architectures[2], seed: 1))
        model.graph.output.removeLast()
        let noValue = "\(scratch!)/novalue.onnx"
        try model.serializedData().write(to: URL(fileURLWithPath: noValue))
        XCTAssertEqual(
            refusal(noValue),
            "\(noValue): gonet needs an output of 362 numbers (the policy) and one of 1 (the value); the outputs are policy"
        )
    }
}

extension ONNXImportTests {
    /// MixConv as PyTorch exports it: a Split (sizes as an input) into depthwise convolutions of
    /// 3x3 and 5x5, a Concat. Uneven groups, a gate brought to [N, C, 1, 1] by two Unsqueezes and a
    /// Slice of channels (end INT64_MAX) import as a graph,
    /// the family's shape with folded batch norms as a native mixed mobile network, whether its
    /// MixConv is a Split or two Slices (PyTorch's `x[:, :k]`, `x[:, k:]`); all give ONNX
    /// Runtime's outputs, and each exports again to the same network.
    func testSplitChannelsImportAsGraphAndAsTheMixedFamily() throws {
        let py = try python()
        XCTAssertEqual(system("'\(py)' '\(repository)/Tests/ONNXTests/split_graph.py' '\(scratch!)'"), 0)
        let planes = try PlanesBatch(batch: 2, seed: 12, in: scratch)
        for name in ["mixconv-graph", "mixconv-family", "mixconv-sliced"] {
            let model = "\(scratch!)/\(name).onnx"
            let (net, _) = try ONNXImport.network(path: model)
            switch net.architecture {
            case .graph(let spec):
                XCTAssertEqual(name, "mixconv-graph")
                let slices = spec.nodes.filter { $0.op == .slice }.map { [$0.first!, $0.channels!] }
                XCTAssertEqual(slices, [[0, 3], [3, 2], [5, 2], [2, 5]])
            case .family(let a):
                XCTAssertNotEqual(name, "mixconv-graph")
                XCTAssertEqual(a.depthwiseKernel, .mixed)
                XCTAssertEqual(a.expansion, 7)
            }
            let ort = try planes.runtime(model, python: py, prefix: "\(scratch!)/\(name)")
            let (policy, value) = planes.gonet(net)
            assertClose(ort.policy, policy, "policy of \(name)")
            assertClose(ort.value, value, "value of \(name)")
            let again = "\(scratch!)/\(name)-again.onnx"
            try ONNXExport.write(net, to: again)
            let (back, _) = try ONNXImport.network(path: again)
            XCTAssertEqual(back.architecture, net.architecture, name)
            let ortAgain = try planes.runtime(again, python: py, prefix: "\(scratch!)/\(name)-again")
            assertClose(ortAgain.policy, policy, "policy of \(name) exported again")
        }
    }

    /// A 5x5 depthwise convolution outside the family (here with a bias and a LeakyRelu) imports
    /// as a graph network that gives ONNX Runtime's outputs; a 7x7 one is refused by node.
    func testAFiveByFiveDepthwiseGraphImports() throws {
        let py = try python()
        var spec = GraphSpec(
            nodes: [
                .init(.conv, [-1]), .init(.conv, [0]), .init(.leakyRelu, [1]), .init(.mean, [2]),
                .init(.dense, [3]), .init(.dense, [3]), .init(.tanh, [5]),
            ], policy: 4, value: 6)
        spec.nodes[0].channels = 4
        spec.nodes[0].kernel = 3
        spec.nodes[1].channels = 4
        spec.nodes[1].kernel = 5
        spec.nodes[1].depthwise = true
        spec.nodes[2].a = 0.1
        spec.nodes[4].channels = 362
        spec.nodes[5].channels = 1
        let net = try GraphNetwork(spec)
        net.initialize(seed: 6)
        let model = "\(scratch!)/dw5-graph.onnx"
        try ONNXExport.write(net, to: model)
        let (back, _) = try ONNXImport.network(path: model)
        XCTAssertEqual(back.architecture, .graph(spec))
        let planes = try PlanesBatch(batch: 2, seed: 8, in: scratch)
        let ort = try planes.runtime(model, python: py, prefix: "\(scratch!)/dw5-graph")
        let (policy, value) = planes.gonet(back)
        assertClose(ort.policy, policy, "policy of a 5x5 depthwise graph")
        assertClose(ort.value, value, "value of a 5x5 depthwise graph")

        spec.nodes[1].kernel = 7
        XCTAssertThrowsError(try GraphNetwork(spec)) {
            XCTAssertTrue("\($0)".contains("a depthwise convolution is 3x3 or 5x5, C to C"), "\($0)")
        }
    }

    /// A graph network (outside gonet's family) exported again gives ONNX Runtime gonet's outputs,
    /// and imported again it is the same network.
    func testGraphNetworksExportToONNXAndBack() throws {
        let py = try python()
        let planes = try PlanesBatch(batch: 2, seed: 4, in: scratch)
        for name in ["leaky", "torch-zoo", "keras-zoo"] {
            let (net, _) = try ONNXImport.network(
                path: "\(fixtures)/\(name).onnx", value: name == "keras-zoo" ? .tanh : nil)
            XCTAssertNil(net.architecture.family)
            let model = "\(scratch!)/\(name)-again.onnx"
            try ONNXExport.write(net, to: model)
            let (policy, value) = planes.gonet(net)
            let ort = try planes.runtime(model, python: py, prefix: "\(scratch!)/\(name)-again")
            assertClose(ort.policy, policy, "policy of \(name) exported")
            assertClose(ort.value, value, "value of \(name) exported")
            // A value that was read as a tanh by the user's word needs that word again.
            let (back, _) = try ONNXImport.network(path: model, value: name == "keras-zoo" ? .tanh : nil)
            let (p2, v2) = planes.gonet(back)
            assertClose(p2, policy, "policy of \(name) imported again")
            assertClose(v2, value, "value of \(name) imported again")
        }
    }
}

extension ONNXImportTests {
    /// Axes and shapes a hostile model gives as huge or non-finite floats are refused, not trapped on.
    func testHostileAxesAndShapesAreRefusedNotTrapped() throws {
        let good = try Onnx_ModelProto(
            serializedBytes: try Data(contentsOf: URL(fileURLWithPath: "\(fixtures)/tiny-graph.onnx")))
        for bad: Float in [1e30, .nan, 2.5] {
            var model = good
            let i = try XCTUnwrap(model.graph.node.firstIndex { $0.opType == "ReduceMean" })
            // Opset 18's form: the axes as a second input, here a float constant.
            model.graph.node[i].attribute.removeAll { $0.name == "axes" }
            var axes = Onnx_TensorProto()
            axes.name = "bad_axes"
            axes.dims = [2]
            axes.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            axes.floatData = [bad, 3]
            model.graph.initializer.append(axes)
            model.graph.node[i].input.append("bad_axes")
            let path = "\(scratch!)/bad-axes.onnx"
            try model.serializedData().write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ONNXImport.network(path: path)) { e in
                XCTAssertTrue("\(e)".contains("node \"mean\" (ReduceMean): gonet averages over the board"), "\(e)")
            }
        }
    }
}

extension ONNXImportTests {
    /// A pooling bias that gonet's family does not make (the maxima before the means) imports as
    /// a graph network: its global maxima give ONNX Runtime's outputs, before and after exporting
    /// it again.
    func testAPoolingBiasOutsideTheFamilyImportsAsAGraph() throws {
        let py = try python()
        let a = Architecture.Family(
            trunk: .resnet, blocks: 2, filters: 6, policyHead: .conv, policyFilters: 2, valueHead: .pool,
            valueFilters: 2, valueHidden: 4, globalPoolEvery: 1)
        var model = ONNXExport.model(ONNXExportTests.network(a, seed: 21))
        let i = try XCTUnwrap(model.graph.node.firstIndex { $0.name == "blocks.1.pool.concat" })
        model.graph.node[i].input.reverse()
        let path = "\(scratch!)/max-first.onnx"
        try model.serializedData().write(to: URL(fileURLWithPath: path))
        let (net, _) = try ONNXImport.network(path: path)
        guard case .graph(let spec) = net.architecture else { return XCTFail("imported as \(net.architecture.json)") }
        XCTAssertEqual(spec.nodes.filter { $0.op == .max }.count, 2, "one global maximum a block")
        let planes = try PlanesBatch(batch: 2, seed: 6, in: scratch)
        let (policy, value) = planes.gonet(net)
        let ort = try planes.runtime(path, python: py, prefix: "\(scratch!)/max-first")
        assertClose(policy, ort.policy, "policy")
        assertClose(value, ort.value, "value")
        let again = "\(scratch!)/max-first-again.onnx"
        try ONNXExport.write(net, to: again)
        let ortAgain = try planes.runtime(again, python: py, prefix: "\(scratch!)/max-first-again")
        assertClose(ortAgain.policy, policy, "policy exported again")
        assertClose(ortAgain.value, value, "value exported again")
    }
}
