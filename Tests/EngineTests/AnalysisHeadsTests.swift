import Engine
import Foundation
import GoNetwork
import GoRules
import XCTest

/// A network's ownership and score heads in what analysis clients are shown: kata-analyze's
/// ownership and scoreLead, the JSON engine's, and the search's averaged leads.
final class AnalysisHeadsTests: XCTestCase {
    /// The scripted network of the other tests with heads that say the same of every position:
    /// the side to move leads by `lead` points and owns every point at `owned` (−1…1).
    func headedNetwork(lead: Float?, owned: Float?) -> FamilyNetwork {
        let net = scriptedNetwork([Point(x: 15, y: 3).index(): 3]) as! FamilyNetwork
        func set(_ name: String, _ values: (Int) -> Float) {
            let p = net.trainingParameters.first { $0.name == name }!
            p.value = (0..<p.count).map(values)
        }
        if let lead {
            net.addScoreHead(seed: 1)
            set("score.fc.weight") { _ in 0 }
            set("score.fc.bias") { _ in lead / 10 }  // the head speaks in tens of points
        }
        if let owned {
            net.addOwnershipHead(seed: 1)
            set("ownership.out.weight") { _ in 0 }
            set("ownership.out.bias") { _ in atanh(owned) }
        }
        return net
    }

    func testNetworkHeadsAreReadThroughTheInterface() throws {
        let net = headedNetwork(lead: 5, owned: 0.6)
        XCTAssertEqual(net.analysisHeads, [.ownership, .score])
        let (own, score) = net.headsSymmetric(EncodedPosition(Game(size: 19)))
        XCTAssertEqual(try XCTUnwrap(score), 5, accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(own).count, 361)
        XCTAssertEqual(own!.map { abs($0 - 0.6) }.max()!, 0, accuracy: 1e-6)
        let plain = scriptedNetwork([:])
        XCTAssertEqual(plain.analysisHeads, [])
        XCTAssertNil(plain.headsSymmetric(EncodedPosition(Game(size: 19))).score)
    }

    func testKataAnalyzeShowsTheHeadsOwnershipAndLead() throws {
        let e = GTPEngine(player: PolicyPlayer(network: headedNetwork(lead: 5, owned: 0.6), symmetries: false))
        _ = e.handle("play b D4")
        let line = try XCTUnwrap(firstAnalysisLine(e, "kata-analyze b interval 5 ownership true"))
        // Black to move (asked for b): the head gives the side to move 5 points and 0.6 of every point.
        XCTAssertTrue(line.hasPrefix("info move Q16 visits "), line)
        XCTAssertTrue(line.contains(" scoreMean 5.00 scoreLead 5.00 "), line)
        let own = try XCTUnwrap(line.components(separatedBy: " ownership ").last).split(separator: " ")
        XCTAssertEqual(own.count, 361)
        XCTAssertTrue(own.allSatisfy { $0 == "0.600000" }, "\(own.prefix(5))")
    }

    func testTheJSONEngineTellsTheHeadsFromTheQuerysPerspective() throws {
        let answers = AnalysisEngineTests.Answers()
        let net = headedNetwork(lead: 5, owned: 0.6)
        var settings = PlayerSettings()
        settings.mode = .policy
        settings.symmetries = false
        let engine = AnalysisEngine(
            workers: [AnalysisEngine.Worker(player: try settings.player(network: net), network: net)],
            version: "9.9.9"
        ) { answers.add($0) }
        let query =
            #"{"id":"q","moves":[["B","D4"],["W","Q16"],["B","Q4"]],"rules":"japanese","komi":6.5,"boardXSize":19,"boardYSize":19,"includeOwnership":true,"includeMovesOwnership":true,"overrideSettings":{"reportAnalysisWinratesAs":"BLACK"}}"#
        engine.handle(Data(query.utf8))
        engine.finish()
        let a = try XCTUnwrap(answers.all.first { $0["id"] as? String == "q" })
        // White is to move and, by the heads, leads by 5 and owns 0.6 of every point: from Black's view −5 and −0.6.
        let root = try XCTUnwrap(a["rootInfo"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(root["scoreLead"] as? Double), -5, accuracy: 1e-4)
        let infos = try XCTUnwrap(a["moveInfos"] as? [[String: Any]])
        XCTAssertEqual(try XCTUnwrap(infos.first?["scoreLead"] as? Double), -5, accuracy: 1e-4)
        let own = try XCTUnwrap(a["ownership"] as? [Double])
        XCTAssertEqual(own.count, 361)
        XCTAssertEqual(own.map { abs($0 + 0.6) }.max()!, 0, accuracy: 1e-6)
        // After each candidate Black is to move, so the head's 0.6 is Black's.
        let after = try XCTUnwrap(infos.first?["ownership"] as? [Double])
        XCTAssertEqual(after.map { abs($0 - 0.6) }.max()!, 0, accuracy: 1e-6)
    }

    func testTheSearchAveragesTheHeadsLeadsOverEachSubtree() throws {
        // The head gives the side to move +5 everywhere, so a move's lead for its player is −5 at
        // the position it makes, +5 one move deeper, and so on: the search's lead of a candidate
        // is 5 · (evaluations at even depth − at odd depth) / visits of its subtree.
        var settings = SearchSettings()
        settings.visits = 60
        settings.batchSize = 4
        settings.symmetries = false
        let player = MCTSPlayer(network: headedNetwork(lead: 5, owned: nil), settings: settings)
        let d = player.decide(Game(size: 19, komi: 7.5), color: .black, seconds: nil, analysis: nil)
        let visited = d.candidates.filter { $0.visits > 0 }
        XCTAssertGreaterThan(visited.count, 1)
        for c in visited {
            let lead = try XCTUnwrap(c.scoreLead)
            // Integers over the visits: each evaluation adds ±5.
            let evenMinusOdd = lead * Double(c.visits) / 5
            XCTAssertEqual(evenMinusOdd, evenMinusOdd.rounded(), accuracy: 1e-9)
            XCTAssertLessThanOrEqual(abs(evenMinusOdd), Double(c.visits))
            // A single visit is the move's own position: the opponent to move leads by 5.
            // Two: that and one reply below it.
            if c.visits == 1 { XCTAssertEqual(lead, -5, accuracy: 1e-9) }
            if c.visits == 2 { XCTAssertEqual(lead, 0, accuracy: 1e-9) }
        }
        XCTAssertEqual(d.scoreLead, visited[0].scoreLead)
        // Without the head the lead is the win rate told in points.
        let plain = MCTSPlayer(network: scriptedNetwork([Point(x: 15, y: 3).index(): 3]), settings: settings)
        let p = plain.decide(Game(size: 19, komi: 7.5), color: .black, seconds: nil, analysis: nil)
        XCTAssertNil(p.candidates[0].scoreLead)
        XCTAssertEqual(p.candidates[0].lead, ScoreLead.points(winrate: p.candidates[0].winrate))
    }
}
