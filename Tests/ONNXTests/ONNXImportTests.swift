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
        let batch = 3
        let x = ONNXExportTests.planes(batch: batch, seed: 9)
        let input = "\(scratch!)/planes.f32"
        try x.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: input)) }
        for name in ["torch-resnet", "torch-mobile", "keras-nhwc"] {
            let model = "\(fixtures)/\(name).onnx"
            let (net, report) = try ONNXImport.network(path: model)
            XCTAssertEqual(report.inputWasNHWC, name == "keras-nhwc")
            XCTAssertEqual(report.policyWasSoftmax, name == "keras-nhwc")
            XCTAssertEqual(report.valueWasSigmoid, name == "keras-nhwc")
            let (logits, values) = x.withUnsafeBufferPointer {
                net.forward(planes: $0.baseAddress!, batch: batch, training: false)
            }
            var policy = Array(UnsafeBufferPointer(start: logits, count: batch * 362))
            let value = Array(UnsafeBufferPointer(start: values, count: batch))
            let prefix = "\(scratch!)/\(name)"
            XCTAssertEqual(
                system(
                    "'\(py)' '\(repository)/Tests/ONNXTests/run_onnx.py' '\(model)' '\(input)' \(batch) '\(prefix)'"), 0
            )
            let ortPolicy = try floats("\(prefix).policy")
            var ortValue = try floats("\(prefix).value")
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
            refusal("\(fixtures)/leaky.onnx"),
            "\(fixtures)/leaky.onnx: node \"stem_relu\" (LeakyRelu): gonet expects Relu after node \"stem_bn\" (BatchNormalization)"
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
            "\(noValue): node \"value.tanh\" (Tanh): gonet expects the head to end here (Sigmoid or Tanh, then an output)"
        )
    }
}
