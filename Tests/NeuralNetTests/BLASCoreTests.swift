import XCTest

@testable import NeuralNet

/// When gonet names OpenBLAS's kernels for it: only in place of the generic fallback, and never
/// against a user's own `OPENBLAS_CORETYPE`.
final class BLASCoreTests: XCTestCase {
    func testTheGenericFallbackIsReplacedByTheKernelsTheCPURuns() {
        XCTAssertEqual(BLASCore.correction(running: "Prescott", cpu: "Cooperlake", variable: nil), "Cooperlake")
        XCTAssertEqual(BLASCore.correction(running: "Prescott", cpu: "Haswell", variable: nil), "Haswell")
    }

    func testAKnownCPUKeepsOpenBLASsOwnChoice() {
        XCTAssertNil(BLASCore.correction(running: "Zen", cpu: "Haswell", variable: nil))
        XCTAssertNil(BLASCore.correction(running: "Cooperlake", cpu: "Cooperlake", variable: nil))
        XCTAssertNil(BLASCore.correction(running: "Haswell", cpu: "SkylakeX", variable: nil))
    }

    func testAUsersSettingAndAnOldCPUAreLeftAlone() {
        XCTAssertNil(BLASCore.correction(running: "Prescott", cpu: "SkylakeX", variable: "Prescott"))
        XCTAssertNil(BLASCore.correction(running: "Prescott", cpu: "SkylakeX", variable: ""))
        XCTAssertNil(BLASCore.correction(running: "Prescott", cpu: nil, variable: nil))
    }

    func testTheKernelsAreOnesOpenBLASNames() {
        XCTAssertFalse(BLASCore.name.isEmpty)
        if let c = BLASCore.correction { XCTAssertTrue(["Cooperlake", "SkylakeX", "Haswell"].contains(c), c) }
    }
}
