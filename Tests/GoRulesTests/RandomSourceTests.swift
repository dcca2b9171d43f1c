import Foundation
import GoRules
import XCTest

/// The one random API (uniform doubles, Box-Muller and gamma sampling were copied in
/// five places): golden values pin the sequences, so seeded runs stay repeatable across changes.
final class RandomSourceTests: XCTestCase {
    func testGoldenValues() {
        var r = RandomSource(seed: 42)
        XCTAssertEqual(r.next(), 1_546_998_764_402_558_742)
        XCTAssertEqual(r.below(361), 136)
        XCTAssertEqual(r.uniform(), 0.6800434110281394)
        XCTAssertEqual(r.normal(), 0.3951862774808584)
        XCTAssertEqual(r.gamma(0.03), 6.636825203656465e-05)
        XCTAssertEqual(r.gamma(2.5), 1.5963205246810122)
    }

    func testDistributions() {
        var r = RandomSource(seed: 7)
        let n = 200_000
        let u = (0..<n).map { _ in r.uniform() }
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(u.reduce(0, +) / Double(n), 0.5, accuracy: 0.005)
        let z = (0..<n).map { _ in r.normal() }
        let mean = z.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n), 1, accuracy: 0.02)
        // Gamma(α, 1) has mean α and variance α, for α below and above 1.
        for alpha in [0.03, 0.5, 2.5] {
            let g = (0..<n).map { _ in r.gamma(alpha) }
            let m = g.reduce(0, +) / Double(n)
            XCTAssertEqual(m, alpha, accuracy: 0.03 * max(alpha, 0.3), "alpha \(alpha)")
            XCTAssertEqual(
                g.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(n), alpha, accuracy: 0.06 * max(alpha, 0.5),
                "alpha \(alpha)")
            XCTAssertTrue(g.allSatisfy { $0 >= 0 && $0.isFinite })
        }
    }
}
