import Foundation
import GoNetwork
import GoRecords
import GoRules
import NeuralNet
import XCTest

@testable import Training

/// The analysis heads' files: written beside a trained network, or trained alone on a network
/// that stays as it is (`--heads-only`).
extension TrainerTests {
    func testTrainingWithHeadsWritesTheirFileBesideTheNetwork() throws {
        var c = config("headed")
        c.scoreWeight = 0.5
        c.ownershipWeight = 0.5
        let trainer = try Trainer(c)
        let final = try trainer.run()
        let headsPath = dir.appendingPathComponent("headed.heads.safetensors").path
        let file = try SafeTensors.read(path: headsPath)
        XCTAssertEqual(file.metadata["format"], HeadsFile.format)
        XCTAssertEqual(file.metadata["network_digest"], trainer.network.digest)
        XCTAssertTrue(try XCTUnwrap(file.metadata["training"]).contains("\"ownership_weight\":0.5"))
        for p in trainer.network.analysisHeadParameters {
            XCTAssertEqual(file.tensor(p.name)?.data, p.value, p.name)
        }
        let played = try HeadsFile.loadNetwork(path: c.output, heads: .beside)
        XCTAssertEqual(played.analysisHeads, [.ownership, .score])
        // Validation measured the heads on the counted games it holds.
        XCTAssertGreaterThan(final.scored, 0)
        XCTAssertGreaterThan(final.ownedPoints, 0)
        let validations = try String(contentsOfFile: trainer.logPath, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("\"kind\":\"validation\"") }
        XCTAssertTrue(
            validations.allSatisfy { $0.contains("\"score_error\":") && $0.contains("\"ownership_accuracy\":") })
        // Read back (as a resumed run's plot reads them) and plotted.
        let last = try XCTUnwrap(validations.last.flatMap { LogEntry(json: String($0)) })
        XCTAssertEqual(last.metrics.scoreError, final.scoreError, accuracy: 1e-5)
        XCTAssertEqual(last.metrics.ownershipAccuracy, final.ownershipAccuracy, accuracy: 1e-5)
        let svg = try String(contentsOfFile: trainer.plotPath, encoding: .utf8)
        XCTAssertTrue(svg.contains(">score error (points)</text>"))
        XCTAssertTrue(svg.contains(">ownership accuracy</text>"))
    }

    func testHeadsOnlyTrainsTheHeadsAndLeavesTheNetworkAsItIs() throws {
        let base = try Trainer(config("base"))
        try base.run()
        let before = try Data(contentsOf: URL(fileURLWithPath: base.configuration.output))
        var c = config("base.heads")
        c.network = base.configuration.output
        c.headsOnly = true
        c.scoreWeight = 1
        c.ownershipWeight = 1
        c.output = dir.appendingPathComponent("base.heads.safetensors").path
        let trainer = try Trainer(c)
        try trainer.run()
        // The network file is untouched and no other network was written.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: base.configuration.output)), before)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("base.heads.heads.safetensors").path))
        let original = try NetworkFile.load(path: base.configuration.output)
        for (a, b) in zip(original.parameters, trainer.network.parameters) { XCTAssertEqual(a.value, b.value, a.name) }
        // The heads moved from their start and load beside the network they were trained on.
        let fresh = FamilyNetwork(c.architecture)
        fresh.addScoreHead(seed: c.seed &+ 0x5C0E)
        XCTAssertNotEqual(fresh.analysisHeadParameters[0].value, trainer.network.analysisHeadParameters[0].value)
        let played = try HeadsFile.loadNetwork(path: base.configuration.output, heads: .beside)
        XCTAssertEqual(played.analysisHeads, [.ownership, .score])
        let log = try String(contentsOfFile: trainer.logPath, encoding: .utf8)
        XCTAssertTrue(log.contains("\"score_loss\":"))
        XCTAssertTrue(trainer.logPath.hasSuffix("base.heads.log.jsonl"))
    }

    func testRetrainingANetworkWithoutHeadsRemovesItsOldHeads() throws {
        var c = config("again")
        c.scoreWeight = 0.5
        try Trainer(c).run()
        let heads = dir.appendingPathComponent("again.heads.safetensors").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: heads))
        // The same output trained again without heads: the old heads fit no network, so they go.
        var notes: [String] = []
        try Trainer(config("again")).run { if case .note(let n) = $0 { notes.append(n) } }
        XCTAssertFalse(FileManager.default.fileExists(atPath: heads))
        XCTAssertTrue(
            notes.contains("removed \(heads): its heads were trained for the network this run replaced"), "\(notes)")
    }

    func testEstimatesWithoutHeadsAreTheWinRateInPointsAndPlayouts() throws {
        let net = FamilyNetwork(config("e").architecture)
        net.initialize(seed: 3)
        let m = try Evaluator.evaluate(net, files: [archive], every: 25, estimates: true)
        // GNU Go's self-play games are counted to the end: both estimates are measured.
        XCTAssertGreaterThan(m.scored, 0)
        XCTAssertGreaterThan(m.ownedPoints, 0)
        XCTAssertEqual(try Evaluator.evaluate(net, files: [archive], every: 25).scored, 0)
        // On one batch: the score is the win rate in points where the game was counted, and the
        // playouts' ownership, from boards rebuilt out of the planes, is right about most owned
        // points of the games' last positions.
        var lc = LoaderConfiguration(files: [archive])
        lc.batchSize = 64
        lc.shuffleBuffer = 1
        lc.randomSymmetry = false
        lc.ownership = true
        lc.epochs = 1
        let loader = try DataLoader(lc)
        defer { loader.stop() }
        let b = try XCTUnwrap(loader.next())
        let values = b.planes.withUnsafeBufferPointer { p -> [Float] in
            _ = net.forward(planes: p.baseAddress!, batch: b.count, channelMajor: true)
            return net.lastValues(batch: b.count)
        }
        let (score, ownership) = Evaluator.estimatesWithoutHeads(b, values: values)
        for s in 0..<b.count {
            let expected = b.scoreMask[s] > 0 ? Float(ScoreLead.points(winrate: Double(values[s] + 1) / 2)) : 0
            XCTAssertEqual(score[s], expected, "position \(s)")
        }
        // The playouts run on boards rebuilt from the planes: the game's own stones and side to move.
        let record = try XCTUnwrap(try GameArchiveReader(path: archive).nextRecord())
        var game = Game(size: 19, komi: record.komi)
        var checked = 0
        for (k, move) in record.moves.prefix(b.count).enumerated() {
            let (board, toMove) = Evaluator.position(b, sample: k)
            XCTAssertEqual(toMove, game.toMove, "move \(k)")
            XCTAssertEqual(
                (0..<361).map { board[Point(index: $0)] }, (0..<361).map { game.board[Point(index: $0)] }, "move \(k)")
            let row = ownership[(k * 361)..<((k + 1) * 361)]
            XCTAssertEqual(row.allSatisfy { $0 == 0 }, b.ownershipMask[k] == 0, "move \(k)")
            checked += 1
            try game.play(move.move, by: move.color)
        }
        XCTAssertGreaterThan(checked, 0)
    }

    func testHeadsOnlyNamesWhatItNeeds() throws {
        func refused(_ edit: (inout TrainingConfiguration) -> Void) -> String {
            var c = config("h")
            c.headsOnly = true
            c.scoreWeight = 1
            c.network = c.output
            c.output = dir.appendingPathComponent("h.heads.safetensors").path
            edit(&c)
            do {
                try c.validate()
                return "accepted"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(refused { _ in }, "accepted")
        XCTAssertTrue(
            refused { $0.network = nil }.contains("--heads-only trains the heads of a network: give --network FILE"))
        XCTAssertTrue(refused { $0.scoreWeight = 0 }.contains("give --score-weight or --ownership-weight"))
        XCTAssertTrue(refused { $0.replyWeight = 1 }.contains("trains no reply head"))
        XCTAssertTrue(
            refused { $0.output = self.dir.appendingPathComponent("h2.safetensors").path }
                .contains("-o names the heads file, NAME.heads.safetensors"))
    }
}
