import Foundation
import GoNetwork
import ONNX
import XCTest

/// `bench nn`'s ONNX Runtime column: a network exported and timed by the venv's Python.
final class ONNXRuntimeTimingTests: XCTestCase {
    func network() -> FamilyNetwork {
        let net = FamilyNetwork(Architecture.Family(trunk: .resnet, blocks: 1, filters: 8))
        net.initialize(seed: 3)
        return net
    }

    func testEachBatchGetsARate() throws {
        let rates = try ONNXRuntimeTiming.positionsPerSecond(
            network(), batches: [1, 3], threads: 1, minTime: 0.05, python: try python())
        XCTAssertEqual(Set(rates.keys), [1, 3])
        for (batch, rate) in rates { XCTAssert(rate.isFinite && rate > 0, "batch \(batch): \(rate)") }
    }

    func testAMissingOrFailingPythonIsNamed() {
        let missing = "/nonexistent/python3"
        XCTAssertThrowsError(
            try ONNXRuntimeTiming.positionsPerSecond(
                network(), batches: [1], threads: 1, minTime: 0.05, python: missing)
        ) { XCTAssert("\($0)".hasPrefix("\(missing): cannot run"), "\($0)") }
        // A shell reads the timing script as commands and fails: its complaint is passed on.
        XCTAssertThrowsError(
            try ONNXRuntimeTiming.positionsPerSecond(
                network(), batches: [1], threads: 1, minTime: 0.05, python: "/bin/sh")
        ) { XCTAssert("\($0)".hasPrefix("/bin/sh: ONNX Runtime timing failed"), "\($0)") }
    }
}
