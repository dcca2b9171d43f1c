import Foundation
import NeuralNet
import TestSupport
import XCTest

/// The PyTorch reference fixtures: the plain family's networks in the test data folder's
/// `fixtures` (`$GONET_SHARED`, or `shared` beside the checkout; CONTRIBUTING.md), and the networks
/// with global pooling, gates, smooth activations and 5x5 or mixed depthwise filters committed
/// beside these tests (`Fixtures/make_fixtures.py` made them).
enum Fixtures {
    static let names = ["resnet-2x8", "mobile-2x8e16", "resnet-1x4-h3", "mobile-3x8e24-conv"]
    static let blockNames = [
        "resnet-3x8-pool-se-swish", "resnet-2x8-pool-se", "mobile-2x8e13-mixed-hswish", "mobile-3x8e16-k5-se-swish",
    ]

    static let directory = TestPaths.sharedData.appendingPathComponent("fixtures")
    static let committed = TestPaths.packageRoot.appendingPathComponent("Tests/GoNetworkTests/Fixtures")

    static func path(_ file: String) throws -> String {
        let mine = committed.appendingPathComponent(file).path
        if FileManager.default.fileExists(atPath: mine) { return mine }
        let p = directory.appendingPathComponent(file).path
        guard FileManager.default.fileExists(atPath: p) else { throw XCTSkip("fixture \(p) is missing") }
        return p
    }

    static func read(_ file: String) throws -> SafeTensors { try SafeTensors.read(path: path(file)) }
}

/// Asserts the fixtures' tolerance: 1e-4 relative, and 1e-3 for values near zero, whose error is
/// measured against a floor instead of their own magnitude: 1% of the tensor's largest magnitude,
/// and at least `minimumFloor` (for gradients, 0.1% of the network's largest gradient: float32
/// sums that cancel to an exact zero in PyTorch's float64, such as a bias feeding a batch norm,
/// keep ~1e-8 of rounding).
func assertClose(
    _ actual: [Float], _ expected: [Float], _ what: String, minimumFloor: Float = 1e-6,
    tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("\(what): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    let floor = max((expected.map { abs($0) }.max() ?? 0) * 1e-2, minimumFloor)
    for i in actual.indices {
        let nearZero = abs(expected[i]) < floor
        let error = abs(actual[i] - expected[i]) / max(abs(expected[i]), floor)
        if !(error <= (nearZero ? 10 * tolerance : tolerance)) {
            XCTFail(
                "\(what)[\(i)]: \(actual[i]) vs PyTorch \(expected[i]) (relative error \(error))", file: file,
                line: line)
            return
        }
    }
}
