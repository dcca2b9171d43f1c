import Tournament
import XCTest

/// Values computed by hand (Python, from the formulas in SPRT.swift's documentation).
final class SPRTTests: XCTestCase {
    let test = SPRT(elo0: 0, elo1: 35)

    func testBoundsFollowFromTheErrorRates() {
        XCTAssertEqual(test.lowerBound, -2.9444389791664403, accuracy: 1e-12)
        XCTAssertEqual(test.upperBound, 2.9444389791664403, accuracy: 1e-12)
    }

    func testWithoutDrawsTheLLRIsTheBinomialOne() {
        // p0 = 0.5, p1 = f(35) = 0.550199353…; 30·ln(p1/p0) + 10·ln((1 − p1)/(1 − p0)).
        XCTAssertEqual(test.llr(wins: 30, draws: 0, losses: 10), 1.812141027325292, accuracy: 1e-9)
        XCTAssertEqual(test.llr(wins: 4, draws: 0, losses: 0), 0.38269029836950813, accuracy: 1e-9)
        XCTAssertEqual(test.llr(wins: 60, draws: 0, losses: 40), 1.508209633758546, accuracy: 1e-9)
        XCTAssertEqual(test.llr(wins: 45, draws: 0, losses: 55), -1.5139333007961389, accuracy: 1e-9)
        XCTAssertEqual(test.llr(wins: 0, draws: 0, losses: 0), 0)
    }

    func testWithDrawsTheLLRIsCutechessBayesEloOne() {
        // drawElo = 200·log10((1 − l)/l · (1 − w)/w) = 95.424…, scale 0.92820…
        XCTAssertEqual(test.llr(wins: 20, draws: 10, losses: 10), 1.1021446132658566, accuracy: 1e-9)
        // As in cutechess: no decision can be drawn while wins or losses are missing.
        XCTAssertEqual(test.llr(wins: 20, draws: 10, losses: 0), 0)
    }

    func testDecisions() {
        XCTAssertEqual(test.decision(wins: 30, draws: 0, losses: 10), .continueTesting)
        // 31 straight wins: 31 · 0.0956726 = 2.966 > 2.944.
        XCTAssertEqual(test.decision(wins: 30, draws: 0, losses: 0), .continueTesting)
        XCTAssertEqual(test.decision(wins: 31, draws: 0, losses: 0), .acceptH1)
        // Each loss adds ln((1 − p1)/0.5) = −0.10536: 28 losses pass −2.944.
        XCTAssertEqual(test.decision(wins: 0, draws: 0, losses: 27), .continueTesting)
        XCTAssertEqual(test.decision(wins: 0, draws: 0, losses: 28), .acceptH0)
    }

    func testScoreAndEloIntervals() {
        let s = MatchStatistics(wins: 7, draws: 0, losses: 3)
        XCTAssertEqual(s.score, 0.7)
        // Wilson's 95% interval for 7 of 10.
        XCTAssertEqual(s.scoreInterval.lowerBound, 0.3967781453459709, accuracy: 1e-6)
        XCTAssertEqual(s.scoreInterval.upperBound, 0.892208733443606, accuracy: 1e-6)
        XCTAssertEqual(s.elo, 147.19071411783776, accuracy: 1e-6)
        XCTAssertEqual(s.eloInterval.lowerBound, -72.77172980256928, accuracy: 1e-3)
        let shutout = MatchStatistics(wins: 10, draws: 0, losses: 0)
        XCTAssertEqual(shutout.elo, .infinity)
        XCTAssertTrue(shutout.eloInterval.lowerBound.isFinite, "Wilson's interval stays below 1 even at 10 of 10")
        XCTAssertTrue(shutout.summary.contains("Elo +inf"), shutout.summary)
    }

    func testTheFirstDecisionStandsWhenGamesInFlightArePlayedOut() {
        // H1 at 400 Elo: a win adds ln(f(400)/0.5) = 0.597837, a loss ln((1 − f(400))/0.5) = −1.704748.
        let t = SPRT(elo0: 0, elo1: 400)
        let stop = t.stop(along: [.win, .win, .win, .win, .win, .loss])
        XCTAssertEqual(stop.decision, .acceptH1)
        XCTAssertEqual(stop.games, 5)
        XCTAssertEqual(stop.llr, 2.989185, accuracy: 1e-6)
        XCTAssertEqual(t.decision(wins: 5, draws: 0, losses: 1), .continueTesting, "the totals alone have not decided")
        XCTAssertEqual(
            Match.sprtLine(t, [.win, .win, .win, .win, .win, .loss]),
            "SPRT elo0 0 elo1 400 alpha 0.05 beta 0.05: LLR 2.99 [-2.94, 2.94] — H1 accepted at game 5; with the 1 game in flight then played out, the LLR is 1.28"
        )
        // Two losses (−3.41) accept H0; the wins after them do not undo it.
        XCTAssertEqual(t.stop(along: [.loss, .loss, .win, .win, .win]).decision, .acceptH0)
        XCTAssertEqual(t.stop(along: [.loss, .loss, .win, .win, .win]).games, 2)
        // Undecided: the LLR of all the games, and the line as before.
        let open = t.stop(along: [.win, .loss, .draw])
        XCTAssertEqual(open.decision, .continueTesting)
        XCTAssertEqual(open.games, 3)
        XCTAssertEqual(
            Match.sprtLine(t, [.win, .win]),
            "SPRT elo0 0 elo1 400 alpha 0.05 beta 0.05: LLR 1.20 [-2.94, 2.94] — continue")
    }
}
