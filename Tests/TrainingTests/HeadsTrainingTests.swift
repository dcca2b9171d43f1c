import Foundation
import GoNetwork
import NeuralNet
import Training
import XCTest

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
