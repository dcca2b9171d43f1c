import Foundation
import Tournament
import XCTest

final class BradleyTerryTests: XCTestCase {
    func testTwoPlayersMatchTheClosedForm() {
        // 3 wins and 1 loss: the ML strength gap is ln(3), i.e. 400·log10(3) Elo.
        let results = [1.0, 1, 1, 0].map { BradleyTerry.Result(a: 0, b: 1, scoreA: $0) }
        let r = BradleyTerry.ratings(players: ["A", "B"], results: results, prior: 0)
        let gap = r[0].elo - r[1].elo
        XCTAssertEqual(gap, 400 * log10(3), accuracy: 1.0)
        XCTAssertEqual(r[0].elo, -r[1].elo, accuracy: 1e-6, "mean zero")
        // Var(θa − θb) = 1 / (N p (1 − p)) with p = 3/4: each rating is half the gap's, so its
        // variance is a quarter of the gap's.
        let sdGap = (1 / (4 * 0.75 * 0.25)).squareRoot() * 400 / log(10)
        XCTAssertEqual(r[0].interval, 1.96 * sdGap / 2, accuracy: 2)
        XCTAssertEqual(r[0].score, 3)
        XCTAssertEqual(r[1].games, 4)
    }

    func testDrawsCountHalfAndThreePlayersAreConsistent() {
        // A draws B twice; B beats C twice and loses once: A and B level, both above C.
        var results = [BradleyTerry.Result(a: 0, b: 1, scoreA: 0.5), BradleyTerry.Result(a: 0, b: 1, scoreA: 0.5)]
        results += [1.0, 1, 0].map { BradleyTerry.Result(a: 1, b: 2, scoreA: $0) }
        let r = BradleyTerry.ratings(players: ["A", "B", "C"], results: results, prior: 0)
        XCTAssertEqual(r[0].elo, r[1].elo, accuracy: 1.0)
        XCTAssertEqual(r[1].elo - r[2].elo, 400 * log10(2), accuracy: 1.0)
        XCTAssertEqual(r.map(\.elo).reduce(0, +), 0, accuracy: 1e-6)
        XCTAssertEqual(r[0].score, 1)
        // Hand-computed: the ML equations Σ (s − p) = 0 hold for every player.
        let t = r.map { $0.elo * log(10) / 400 }
        func p(_ i: Int, _ j: Int) -> Double { 1 / (1 + exp(t[j] - t[i])) }
        XCTAssertEqual(1 - 2 * p(0, 1), 0, accuracy: 0.01)
        XCTAssertEqual(2 - 3 * p(1, 2), 0, accuracy: 0.01)
    }

    func testAPlayerWhoWinsEverythingStaysFinite() {
        let results = (0..<6).map { BradleyTerry.Result(a: 0, b: 1, scoreA: $0 < 6 ? 1 : 0) }
        let r = BradleyTerry.ratings(players: ["A", "B"], results: results, prior: 0)
        XCTAssertTrue(r[0].elo.isFinite)
        XCTAssertGreaterThan(r[0].elo, 300)
        XCTAssertTrue(r[0].interval.isFinite)
    }

    /// BayesElo's prior, 2 virtual draws between players who met, worked by hand: 4 wins in 4
    /// games become 5 points of 6, a gap of 400·log10(5) Elo, and the interval is that of the
    /// information of 6 games at p = 5/6 (with the prior 0 the gap would be unbounded).
    func testThePriorOfTwoVirtualDrawsMatchesTheClosedForm() {
        let results = (0..<4).map { _ in BradleyTerry.Result(a: 0, b: 1, scoreA: 1) }
        let r = BradleyTerry.ratings(players: ["A", "B"], results: results)
        XCTAssertEqual(r[0].elo - r[1].elo, 400 * log10(5), accuracy: 0.5)
        let sdGap = (1 / (6 * (5.0 / 6) * (1.0 / 6))).squareRoot() * 400 / log(10)
        XCTAssertEqual(r[0].interval, 1.96 * sdGap / 2, accuracy: 1)
        XCTAssertEqual(r[0].games, 4, "virtual draws are not games")
        XCTAssertEqual(r[0].score, 4)
        // Three players, A beat B twice, B and C drew: the prior adds 2 draws to A–B and to B–C
        // only (A and C never met). A–B: 3 of 4 points, so the gap is 400·log10(3) at the optimum
        // only if B–C stays level, which its 1.5 of 3 points says it does.
        let three = [
            BradleyTerry.Result(a: 0, b: 1, scoreA: 1), BradleyTerry.Result(a: 0, b: 1, scoreA: 1),
            BradleyTerry.Result(a: 1, b: 2, scoreA: 0.5),
        ]
        let t = BradleyTerry.ratings(players: ["A", "B", "C"], results: three)
        XCTAssertEqual(t[0].elo - t[1].elo, 400 * log10(3), accuracy: 0.5)
        XCTAssertEqual(t[1].elo, t[2].elo, accuracy: 0.5)
    }
}
