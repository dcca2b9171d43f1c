import Foundation
import GoNetwork
import GoRules
import NeuralNet
import ONNX
import TestSupport
import XCTest

let repository = TestPaths.packageRoot.path

/// The venv's Python with ONNX Runtime (scripts/onnx-venv makes it). Without it the tests fail,
/// unless GONET_SKIP_ONNX=1 says the machine runs without PyPI.
func python() throws -> String {
    if ProcessInfo.processInfo.environment["GONET_SKIP_ONNX"] == "1" { throw XCTSkip("GONET_SKIP_ONNX=1") }
    guard let f = popen("'\(repository)/scripts/onnx-venv'", "r") else { throw XCTSkip("popen") }
    var out = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    let status = pclose(f)
    let path = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard status == 0, !path.isEmpty else {
        XCTFail("scripts/onnx-venv could not make the venv with ONNX Runtime")
        throw XCTSkip("no ONNX Runtime")
    }
    return path
}

final class ONNXExportTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-onnx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    /// Every architecture gonet makes: both trunks, both heads of each kind, no blocks, global
    /// pooling, squeeze-and-excitation.
    static let architectures: [Architecture.Family] = [
        Architecture.Family(
            trunk: .resnet, blocks: 2, filters: 8, policyHead: .fc, policyFilters: 2, valueHead: .fc, valueFilters: 1,
            valueHidden: 16),
        Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 12, policyHead: .conv, policyFilters: 4, valueHead: .pool,
            valueFilters: 3, valueHidden: 8),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 8, expansion: 24, policyHead: .conv, policyFilters: 2,
            valueHead: .pool, valueFilters: 2, valueHidden: 8),
        Architecture.Family(
            trunk: .mobile, blocks: 1, filters: 6, expansion: 12, policyHead: .fc, policyFilters: 2, valueHead: .fc,
            valueFilters: 1, valueHidden: 4),
        Architecture.Family(
            trunk: .resnet, blocks: 0, filters: 4, policyHead: .conv, policyFilters: 1, valueHead: .pool,
            valueFilters: 1, valueHidden: 2),
        Architecture.Family(
            trunk: .resnet, blocks: 4, filters: 6, policyHead: .conv, policyFilters: 2, valueHead: .pool,
            valueFilters: 2, valueHidden: 4, globalPoolEvery: 2),
        Architecture.Family(
            trunk: .mobile, blocks: 1, filters: 5, expansion: 10, policyHead: .fc, policyFilters: 1, valueHead: .fc,
            valueFilters: 1, valueHidden: 3, globalPoolEvery: 1),
        Architecture.Family(
            trunk: .resnet, blocks: 2, filters: 6, policyHead: .conv, policyFilters: 2, valueHead: .pool,
            valueFilters: 2, valueHidden: 4, globalPoolEvery: 2, squeezeExcitation: 3),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 4, expansion: 8, policyHead: .conv, policyFilters: 2,
            valueHead: .pool, valueFilters: 2, valueHidden: 4, squeezeExcitation: 2),
        Architecture.Family(
            trunk: .resnet, blocks: 2, filters: 6, policyHead: .conv, policyFilters: 2, valueHead: .pool,
            valueFilters: 2, valueHidden: 4, globalPoolEvery: 2, squeezeExcitation: 3, activation: .swish),
        Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 5, policyHead: .fc, policyFilters: 1, valueHead: .fc,
            valueFilters: 1, valueHidden: 3, activation: .hardSwish),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 4, expansion: 8, policyHead: .fc, policyFilters: 2,
            valueHead: .pool, valueFilters: 2, valueHidden: 4, globalPoolEvery: 1, activation: .swish),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 4, expansion: 8, policyHead: .conv, policyFilters: 2,
            valueHead: .fc, valueFilters: 1, valueHidden: 4, squeezeExcitation: 2, activation: .hardSwish),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 4, expansion: 8, policyHead: .conv, policyFilters: 2,
            valueHead: .pool, valueFilters: 2, valueHidden: 4, globalPoolEvery: 2, activation: .swish,
            depthwiseKernel: .five),
        Architecture.Family(
            trunk: .mobile, blocks: 2, filters: 4, expansion: 7, policyHead: .conv, policyFilters: 2,
            valueHead: .fc, valueFilters: 1, valueHidden: 4, squeezeExcitation: 2, depthwiseKernel: .mixed),
    ]

    /// A network with random weights and batch-norm statistics far from the identity, so that
    /// every tensor's place in the graph matters.
    static func network(_ a: Architecture.Family, seed: UInt64) -> PolicyValueNetwork {
        let net = FamilyNetwork(a)
        net.initialize(seed: seed)
        var rng = RandomSource(seed: seed &+ 99)
        for p in net.parameters where p.name.hasSuffix("running_mean") || p.name.hasSuffix("running_var") {
            let variance = p.name.hasSuffix("running_var")
            p.value = p.value.map { _ in variance ? Float(0.5 + rng.uniform()) : Float(rng.uniform() - 0.5) }
        }
        for p in net.parameters where p.name.hasSuffix("bn3.weight") || p.name.hasSuffix("bn2.weight") {
            p.value = p.value.map { _ in Float(0.5 + rng.uniform()) }
        }
        net.weightsChanged()
        return net
    }

    /// Planes of random positions: a stone, or not, on each point; ataris and last moves sprinkled.
    static func planes(batch: Int, seed: UInt64) -> [Float] {
        var rng = RandomSource(seed: seed)
        var x = [Float](repeating: 0, count: batch * 6 * 361)
        for b in 0..<batch {
            let white: Float = rng.uniform() < 0.5 ? 1 : 0
            for i in 0..<361 {
                let r = rng.uniform()
                let plane = r < 0.3 ? 0 : r < 0.6 ? 1 : 2
                x[b * 2166 + plane * 361 + i] = 1
                if plane < 2, rng.uniform() < 0.05 { x[b * 2166 + 4 * 361 + i] = 1 }
                x[b * 2166 + 5 * 361 + i] = white
            }
            x[b * 2166 + 3 * 361 + rng.below(361)] = 1
        }
        return x
    }

    func testExportedNetworksGiveONNXRuntimeTheOutputsOfGonet() throws {
        let py = try python()
        let planes = try PlanesBatch(batch: 3, seed: 5, in: scratch)
        for (n, a) in Self.architectures.enumerated() {
            let net = Self.network(a, seed: UInt64(n + 1))
            let model = "\(scratch!)/net\(n).onnx"
            try ONNXExport.write(net, to: model)
            let (policy, value) = planes.gonet(net)
            let ort = try planes.runtime(model, python: py, prefix: "\(scratch!)/out\(n)")
            assertClose(ort.policy, policy, "policy of \(a.json)")
            assertClose(ort.value, value, "value of \(a.json)")
        }
    }
}
