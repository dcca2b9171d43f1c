import Foundation
import GoNetwork
import GoRecords
import NeuralNet
import TestSupport
import Training
import XCTest

final class TrainerTests: XCTestCase {
    var dir: URL!
    var archive: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let sample = TestPaths.packageRoot.appendingPathComponent("Games/gnugo-selfplay-0000.sgf.zst").path
        archive = dir.appendingPathComponent("s.games.zst").path
        let w = try GameArchiveWriter(path: archive)
        for e in try SGFReader(path: sample).prefix(20) { try w.write(try e.record.get()) }
        try w.finish()
        Trainer.stopRequested = false
    }

    override func tearDownWithError() throws {
        Trainer.stopRequested = false
        try? FileManager.default.removeItem(at: dir)
    }

    func config(_ name: String, steps: Int = 12) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.data = [archive]
        c.architecture = Architecture.Family(
            trunk: .resnet, blocks: 1, filters: 8, policyHead: .conv, policyFilters: 4, valueHead: .pool,
            valueFilters: 4, valueHidden: 8)
        c.steps = steps
        c.batch = 32
        c.lr = 0.02
        c.validationFraction = 0.2
        c.validationPositions = 200
        c.validateEvery = 5
        c.logEvery = 4
        c.checkpointEvery = 100
        c.shuffleBuffer = 300
        c.seed = 5
        c.output = dir.appendingPathComponent("\(name).safetensors").path
        return c
    }

    func testResumeIsExact() throws {
        let straight = try Trainer(config("straight"))
        try straight.run()
        // The same run stopped after 6 steps (as Ctrl-C does), then resumed.
        let first = try Trainer(config("split"))
        try first.run { event in
            if case .interval(let e, _) = event, e.step >= 4 { Trainer.stopRequested = true }
        }
        Trainer.stopRequested = false
        let cp = try SafeTensorsPeek.step(first.checkpointPath)
        XCTAssertEqual(cp, 4, "stopped after the step in progress")
        let second = try Trainer(config("split"), resume: true)
        try second.run()
        for (a, b) in zip(straight.network.parameters, second.network.parameters) {
            XCTAssertEqual(a.value, b.value, a.name)
        }
        let saved = try NetworkFile.load(path: config("split").output)
        let training = try XCTUnwrap(saved.metadata["training"])
        XCTAssertTrue(training.contains("\"steps_done\":12"), training)
        XCTAssertTrue(training.contains("\"validation\""), training)
        // The log kept the first part's lines and has the second's.
        let log = try String(contentsOfFile: second.logPath, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(
            log.filter { $0.contains("\"kind\":\"train\"") }.count, 3,
            "step 4 from the first part, 8 and 12 from the second")
        // Training lines carry the optimised loss; validation computes none, so it reports none (not 0).
        XCTAssertTrue(log.filter { $0.contains("\"kind\":\"train\"") }.allSatisfy { $0.contains("\"loss\":") })
        XCTAssertTrue(log.filter { $0.contains("\"kind\":\"validation\"") }.allSatisfy { !$0.contains("\"loss\":") })
        XCTAssertFalse(training.contains("\"loss\":"), training)
        // Validation spreads its 200 positions over the held-out games (one in every few), not the first ones.
        XCTAssertTrue(training.contains("\"positions\":200"), training)
        let every = try XCTUnwrap(second.validationEvery)
        XCTAssertGreaterThan(
            every, 1, "the held-out games hold more than 200 positions, so validation skips between them")
        XCTAssertEqual(
            every,
            min(
                64,
                Evaluator.countPositions(files: [config("split").data[0]], validationFraction: 0.2, validation: true)
                    / 200))
        XCTAssertTrue(FileManager.default.fileExists(atPath: second.plotPath))
    }

    func testTheReplyScoreAndOwnershipHeadsTrainResumeExactlyAndStayOutOfTheNetworkFile() throws {
        var c = config("reply")
        c.replyWeight = 0.5
        c.scoreWeight = 0.5
        c.ownershipWeight = 0.5
        let straight = try Trainer(c)
        try straight.run()
        var split = config("reply-split")
        split.replyWeight = 0.5
        split.scoreWeight = 0.5
        split.ownershipWeight = 0.5
        let first = try Trainer(split)
        try first.run { event in
            if case .interval(let e, _) = event, e.step >= 4 { Trainer.stopRequested = true }
        }
        Trainer.stopRequested = false
        let second = try Trainer(split, resume: true)
        try second.run()
        for (a, b) in zip(straight.network.trainingParameters, second.network.trainingParameters) {
            XCTAssertEqual(a.value, b.value, a.name)
        }
        XCTAssertTrue(second.network.trainingParameters.contains { $0.name == "reply.out.weight" })
        // The head learned (its weights moved from their start) and its loss is logged.
        let fresh = FamilyNetwork(c.architecture)
        fresh.addReplyHead(seed: c.seed &+ 0x5EED)
        let startWeights = try XCTUnwrap(fresh.trainingParameters.first { $0.name == "reply.out.weight" }).value
        let trainedWeights = try XCTUnwrap(
            straight.network.trainingParameters.first { $0.name == "reply.out.weight" }
        ).value
        XCTAssertNotEqual(startWeights, trainedWeights)
        let log = try String(contentsOfFile: straight.logPath, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(log.filter { $0.contains("\"kind\":\"train\"") }.allSatisfy { $0.contains("\"reply_loss\":") })
        XCTAssertTrue(log.filter { $0.contains("\"kind\":\"train\"") }.allSatisfy { $0.contains("\"score_loss\":") })
        XCTAssertTrue(
            log.filter { $0.contains("\"kind\":\"train\"") }.allSatisfy { $0.contains("\"ownership_loss\":") })
        let ownership = try XCTUnwrap(straight.network.trainingParameters.first { $0.name == "ownership.out.weight" })
        fresh.addOwnershipHead(seed: c.seed &+ 0x0A1E)
        XCTAssertNotEqual(
            try XCTUnwrap(fresh.trainingParameters.first { $0.name == "ownership.out.weight" }).value, ownership.value)
        XCTAssertTrue(second.network.trainingParameters.contains { $0.name == "score.fc.weight" })
        // The checkpoint keeps the head; the network file plays without it and counts only what plays.
        let checkpoint = try SafeTensors.read(path: straight.checkpointPath)
        XCTAssertNotNil(checkpoint.tensor("reply.pass.weight"))
        let file = try SafeTensors.read(path: c.output)
        XCTAssertNil(file.tensor("reply.out.weight"))
        XCTAssertNotNil(checkpoint.tensor("score.fc.weight"))
        XCTAssertNotNil(checkpoint.tensor("ownership.out.bias"))
        XCTAssertTrue(
            file.entries.keys.allSatisfy {
                !$0.hasPrefix("reply.") && !$0.hasPrefix("score.") && !$0.hasPrefix("ownership.")
            })
        let saved = try NetworkFile.load(path: c.output)
        XCTAssertEqual(saved.parameterCount, FamilyNetwork(c.architecture).parameterCount)
        XCTAssertTrue(try XCTUnwrap(saved.metadata["training"]).contains("\"reply_weight\":0.5"))
    }

    func testATeacherMixesItsPolicyAndValueIntoTheTargets() throws {
        let teacherNet = FamilyNetwork(config("t").architecture)
        teacherNet.initialize(seed: 99)
        let path = dir.appendingPathComponent("teacher.safetensors").path
        try teacherNet.save(path: path)
        let teacher = try Teacher(path: path, weight: 0.25, temperature: 2)
        var c = LoaderConfiguration(files: [archive])
        c.batchSize = 8
        let loader = try DataLoader(c)
        var batch = try XCTUnwrap(loader.next())
        loader.stop()
        batch.valueMask[3] = 0
        let original = batch
        teacher.teach(&batch)
        let (logits, values) = original.planes.withUnsafeBufferPointer {
            teacherNet.forward(planes: $0.baseAddress!, batch: 8, channelMajor: true)
        }
        for s in 0..<8 {
            let z = (0..<362).map { Double(logits[s * 362 + $0]) / 2 }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            let sum = e.reduce(0, +)
            for i in 0..<362 {
                let expected = 0.25 * e[i] / sum + (i == Int(original.policyTargets[s]) ? 0.75 : 0)
                XCTAssertEqual(Double(batch.policyDistribution[s * 362 + i]), expected, accuracy: 1e-6)
            }
            if s == 3 {
                XCTAssertEqual(batch.valueTargets[s], values[s], "an unknown result takes the teacher's value")
                XCTAssertEqual(batch.valueMask[s], 1)
            } else {
                XCTAssertEqual(
                    batch.valueTargets[s], 0.75 * original.valueTargets[s] + 0.25 * values[s], accuracy: 1e-6)
            }
        }
        XCTAssertEqual(batch.policyTargets, original.policyTargets, "the move played is kept for the metrics")
    }

    func testADistilledStudentComesCloserToItsTeacher() throws {
        // A teacher of another shape with a taste no record shows: the first line.
        let teacherNet = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: 1, filters: 6, policyHead: .fc, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        teacherNet.initialize(seed: 99)
        let bias = try XCTUnwrap(teacherNet.parameters.first { $0.name == "policy.fc.bias" })
        bias.value = (0..<362).map { $0 < 19 ? 6 : 0 }
        teacherNet.weightsChanged()
        let path = dir.appendingPathComponent("teacher.safetensors").path
        try teacherNet.save(path: path)
        // Cross-entropy of a network's policy against the teacher's on a fixed batch.
        var lc = LoaderConfiguration(files: [archive])
        lc.batchSize = 64
        lc.seed = 42
        let loader = try DataLoader(lc)
        let probe = try XCTUnwrap(loader.next())
        loader.stop()
        func distance(_ net: PolicyValueNetwork) -> Double {
            let teacherLogits = probe.planes.withUnsafeBufferPointer {
                Array(
                    UnsafeBufferPointer(
                        start: teacherNet.forward(planes: $0.baseAddress!, batch: 64, channelMajor: true).logits,
                        count: 64 * 362))
            }
            let (l, _) = probe.planes.withUnsafeBufferPointer {
                net.forward(planes: $0.baseAddress!, batch: 64, channelMajor: true)
            }
            var total = 0.0
            for s in 0..<64 {
                let t = (0..<362).map { Double(teacherLogits[s * 362 + $0]) }
                let z = (0..<362).map { Double(l[s * 362 + $0]) }
                let tm = t.max()!
                let tSum = t.map { exp($0 - tm) }.reduce(0, +)
                let zm = z.max()!
                let zLog = zm + log(z.map { exp($0 - zm) }.reduce(0, +))
                for i in 0..<362 { total -= exp(t[i] - tm) / tSum * (z[i] - zLog) }
            }
            return total / 64
        }
        var plain = config("plain", steps: 20)
        plain.lr = 0.05
        var distilled = plain
        distilled.output = dir.appendingPathComponent("distilled.safetensors").path
        distilled.teacher = path
        distilled.teacherWeight = 1
        let a = try Trainer(plain)
        try a.run()
        let b = try Trainer(distilled)
        try b.run()
        let (da, db) = (distance(a.network), distance(b.network))
        XCTAssertLessThan(db, da - 0.5, "distilled \(db) against plain \(da)")
        let training = try XCTUnwrap(try NetworkFile.load(path: distilled.output).metadata["training"])
        XCTAssertTrue(training.contains("\"teacher_weight\":1"), training)
    }

    func testContinuedNetworkRecordsItsOwnArchitectureNameAndParent() throws {
        let first = try Trainer(config("first", steps: 4))
        try first.run()
        // The second run continues the first network; its settings keep the default architecture
        // (6x64, fc heads), which the file it writes must not claim.
        var c = TrainingConfiguration()
        let base = config("second", steps: 4)
        c.data = base.data
        c.validationFraction = base.validationFraction
        c.validationPositions = base.validationPositions
        c.batch = base.batch
        c.steps = 4
        c.output = base.output
        c.network = config("first").output
        try Trainer(c).run()
        let saved = try NetworkFile.load(path: c.output)
        XCTAssertEqual(saved.metadata["name"], "second")
        let training = try XCTUnwrap(saved.metadata["training"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(training.utf8)) as? [String: Any])
        XCTAssertEqual(json["architecture"] as? String, config("first").architecture.json)
        let parent = try XCTUnwrap(json["parent"] as? [String: Any])
        XCTAssertEqual(parent["name"] as? String, "first")
        XCTAssertEqual(parent["file"] as? String, config("first").output)
        let parentTraining = try XCTUnwrap(parent["training"] as? [String: Any])
        XCTAssertEqual(parentTraining["steps_done"] as? Int, 4)
    }

    func testNonFiniteLossStopsWithAClearMessage() throws {
        // A network whose board logits overflow float32: the first loss is not finite.
        let start = FamilyNetwork(config("x").architecture)
        start.initialize(seed: 2)
        start.parameters.first { $0.name == "policy.out.weight" }!.value = [3e38, 3e38, 3e38, 3e38]
        let path = dir.appendingPathComponent("huge.safetensors").path
        try start.save(path: path)
        var c = config("nan", steps: 10)
        c.network = path
        let t = try Trainer(c)
        XCTAssertThrowsError(try t.run()) { e in
            XCTAssertTrue("\(e)".hasPrefix("the loss became"), "\(e)")
            XCTAssertTrue("\(e)".contains("at step 1"), "\(e)")
            XCTAssertTrue("\(e)".hasSuffix("no checkpoint was written yet"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: c.output), "no network file from a failed run")
    }

    /// An archive without a game trains nothing: the run says so and writes no network.
    func testDataWithoutPositionsIsRefused() throws {
        let empty = dir.appendingPathComponent("empty.games.zst").path
        try GameArchiveWriter(path: empty).finish()
        var c = config("empty", steps: 3)
        c.data = [empty]
        c.validationFraction = 0
        let t = try Trainer(c)
        XCTAssertThrowsError(try t.run()) { e in
            XCTAssertEqual("\(e)", "no training positions in \(empty)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: c.output), "no network file from data without positions")
    }

    func testConfigurationErrorsNameTheSetting() throws {
        var c = TrainingConfiguration()
        XCTAssertThrowsError(try c.set("batchsize", 3)) {
            XCTAssertEqual("\($0)", "unknown setting \"batchsize\": did you mean batch?")
        }
        XCTAssertThrowsError(try c.set("colour", 3)) {
            XCTAssertEqual("\($0)", "unknown setting \"colour\" (gonet train --help lists every setting)")
        }
        XCTAssertThrowsError(try TrainingConfiguration.flags(["--lr-shedule", "cosine"])) {
            XCTAssertEqual("\($0)", "unknown setting --lr-shedule: did you mean --lr-schedule?")
        }
        XCTAssertThrowsError(try c.set("batch", 0)) {
            XCTAssertEqual("\($0)", "\"batch\": expected an integer in 1…65536, not 0")
        }
        XCTAssertThrowsError(try c.set("optimizer", "rmsprop")) {
            XCTAssertEqual("\($0)", "\"optimizer\": expected one of sgd, adam, adamw, not rmsprop")
        }
        XCTAssertThrowsError(try c.set("lr", "fast")) {
            XCTAssertEqual("\($0)", "\"lr\": expected a number in 1e-09…10.0, not fast")
        }
        let path = dir.appendingPathComponent("c.json").path
        try "{\"batch\": 64, \"lr\": 0.1, \"warmpu\": 10}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainingConfiguration.load(path: path)) {
            XCTAssertEqual("\($0)", "\(path): unknown setting \"warmpu\": did you mean warmup?")
        }
        try "{\"batch\": 64, \"lr\": 0.1, \"data\": [\"a.games.zst\"], \"lr-schedule\": \"step\"}".write(
            toFile: path, atomically: true, encoding: .utf8)
        var loaded = try TrainingConfiguration.load(path: path)
        XCTAssertEqual(loaded.batch, 64)
        XCTAssertEqual(loaded.lrSchedule, .step)
        XCTAssertEqual(loaded.data, ["a.games.zst"])
        XCTAssertThrowsError(try loaded.validate()) {
            XCTAssertEqual("\($0)", "no output: give -o Networks/NAME.safetensors")
        }
        XCTAssertThrowsError(try c.set("teacher-weight", 1.5)) {
            XCTAssertEqual("\($0)", "\"teacher-weight\": expected a number in 0.0…1.0, not 1.5")
        }
        var taught = config("taught")
        taught.teacher = dir.appendingPathComponent("no-such-teacher.safetensors").path
        XCTAssertThrowsError(try taught.validate()) {
            XCTAssertEqual("\($0)", "\(taught.teacher!): cannot open: no such file or not readable")
        }
        // A choice given as a JSON number is read as its text; flags give text.
        try "{\"trunk\": \"mobile\", \"depthwise-kernel\": 5}".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try TrainingConfiguration.load(path: path).architecture.depthwiseKernel, .five)
        try c.set("depthwise-kernel", "mixed")
        XCTAssertEqual(c.architecture.depthwiseKernel, .mixed)
        XCTAssertThrowsError(try c.set("depthwise-kernel", 7)) {
            XCTAssertEqual("\($0)", "\"depthwise-kernel\": expected one of 3, 5, mixed, not 7")
        }
        // The architecture's one table of limits applies to training settings too.
        XCTAssertThrowsError(try loaded.set("filters", 2000)) {
            XCTAssertTrue("\($0)".contains("1…1024") || "\($0)".contains("1...1024"), "\($0)")
        }
    }

    /// Flags and JSON go through the one table of settings; lists take every value up to the next flag.
    func testFlagsAreReadThroughTheTableOfSettings() throws {
        let flags = try TrainingConfiguration.flags([
            "--data", "a.games.zst", "b.games.zst", "--lr", "0.1", "-o", "n.safetensors", "--warmup", "-5",
            "--optimizer", "adamw", "--lr-schedule", "step",
        ])
        XCTAssertEqual(flags.map(\.key), ["data", "lr", "output", "warmup", "optimizer", "lr-schedule"])
        var c = TrainingConfiguration()
        for (k, v) in flags where k != "warmup" { try c.set(k, v) }
        XCTAssertEqual(c.data, ["a.games.zst", "b.games.zst"])
        XCTAssertEqual(c.lr, 0.1)
        XCTAssertEqual(c.output, "n.safetensors")
        XCTAssertEqual(c.optimizer, .adamw)
        XCTAssertEqual(c.lrSchedule, .step)
        XCTAssertThrowsError(try c.set("warmup", "-5")) {
            XCTAssertEqual("\($0)", "\"warmup\": expected an integer in 0…1000000000, not -5")
        }
        XCTAssertThrowsError(try TrainingConfiguration.flags(["--lr"])) {
            XCTAssertEqual("\($0)", "--lr needs a value")
        }
        XCTAssertThrowsError(try TrainingConfiguration.flags(["stray"])) {
            XCTAssertEqual("\($0)", "unexpected argument stray: settings are --KEY VALUE")
        }
        XCTAssertEqual(Set(TrainingConfiguration.keys).count, TrainingConfiguration.keys.count, "one entry per key")
        XCTAssertTrue(TrainingConfiguration.settings.allSatisfy { !$0.help.isEmpty })
    }

    /// `--max-minutes`: a run stops on its time budget and ends as a finished one does.
    func testATimeBudgetEndsTheRunWithValidationCheckpointAndFile() throws {
        var c = config("timed", steps: 1_000_000)
        c.maxMinutes = 0.005  // 0.3 s
        c.validateEvery = 1_000_000
        var notes: [String] = []
        var validations = 0
        let start = Date()
        let m = try Trainer(c).run { e in
            switch e {
            case .note(let n): notes.append(n)
            case .validation: validations += 1
            default: break
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
        XCTAssertTrue(notes.contains { $0.hasPrefix("time budget of 0.005 min reached at step ") }, "\(notes)")
        XCTAssertEqual(validations, 1, "the final validation")
        XCTAssertGreaterThan(m.positions, 0)
        let net = try NetworkFile.load(path: c.output)
        let training = try XCTUnwrap(net.metadata["training"])
        XCTAssertTrue(training.contains("\"max_minutes\":0.005") || training.contains("steps_done"), training)
        var bad = TrainingConfiguration()
        XCTAssertThrowsError(try bad.set("max-minutes", -1))
        XCTAssertThrowsError(try bad.set("max-minutes", 1e300))
    }

    /// `--max-minutes` without `--steps` or `--epochs`: the run is as long as its time budget,
    /// and its cosine schedule decays over the time.
    func testARunAsLongAsItsTimeBudgetDecaysOverTheTime() throws {
        var c = config("clock")
        c.steps = nil
        c.maxMinutes = 0.05  // 3 s
        c.warmup = 4
        c.lr = 0.1
        c.validateEvery = 1_000_000
        var lengths: [RunLength] = []
        var rates: [(step: Int, lr: Float, seconds: Double)] = []
        var notes: [String] = []
        try Trainer(c).run { e in
            switch e {
            case .interval(let entry, let length):
                lengths.append(length)
                rates.append((entry.step, entry.lr, entry.elapsed))
            case .note(let n): notes.append(n)
            default: break
            }
        }
        XCTAssertEqual(Set(lengths), [.minutes(0.05)])
        XCTAssertTrue(notes.contains { $0.hasPrefix("time budget of 0.05 min reached at step ") }, "\(notes)")
        XCTAssertFalse(notes.contains { $0.contains(" of \(Int.max)") })
        let decay = rates.filter { $0.step > c.warmup }
        XCTAssertGreaterThan(decay.count, 3, "\(rates)")
        // Each logged rate is the cosine at the time's share when it was logged (within an
        // interval's steps), falling to near the minimum at the end.
        for (a, b) in zip(decay, decay.dropFirst()) { XCTAssertLessThanOrEqual(b.lr, a.lr) }
        for r in decay {
            let t = r.seconds / 3
            XCTAssertEqual(Double(r.lr), 0.05 * (1 + cos(Double.pi * min(t, 1))), accuracy: 0.02, "\(r)")
        }
        XCTAssertLessThan(decay.last!.lr, 0.02)
        XCTAssertNoThrow(try NetworkFile.load(path: c.output))
        var neither = config("neither")
        neither.steps = nil
        XCTAssertThrowsError(try neither.validate()) {
            XCTAssertEqual("\($0)", "give --steps N, --epochs N or --max-minutes M (a run as long as the time)")
        }
    }

    func testEvaluatorAveragesSymmetries() throws {
        let net = FamilyNetwork(config("e").architecture)
        net.initialize(seed: 1)
        let plain = try Evaluator.evaluate(net, files: [archive], maxPositions: 300)
        let averaged = try Evaluator.evaluate(net, files: [archive], maxPositions: 300, symmetries: true)
        XCTAssertEqual(plain.positions, 300)
        XCTAssertEqual(averaged.positions, 300)
        XCTAssertNotEqual(plain.policyLoss, averaged.policyLoss)
        XCTAssertEqual(averaged.policyLoss, log(362), accuracy: 0.5, "an untrained network is close to uniform")
    }
}

/// Reads a checkpoint's step without loading it into a network.
enum SafeTensorsPeek {
    static func step(_ path: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as! [String: Any]
        return Int((header["__metadata__"] as! [String: String])["step"]!)!
    }
}

extension TrainerTests {
    /// A graph network (imported from ONNX) plays but is not trained: refused before any step.
    func testAGraphNetworkIsRefusedForTraining() throws {
        var spec = GraphSpec(
            nodes: [.init(.mean, [-1]), .init(.dense, [0]), .init(.dense, [0]), .init(.tanh, [2])], policy: 1, value: 3)
        spec.nodes[1].channels = 362
        spec.nodes[2].channels = 1
        let a = Architecture.graph(spec)
        try a.validate()
        let net = try GraphNetwork(spec)
        net.initialize(seed: 1)
        let path = dir.appendingPathComponent("graph.safetensors").path
        try net.save(path: path)
        XCTAssertEqual(try NetworkFile.load(path: path).architecture, a)
        var c = config("graph")
        c.network = path
        XCTAssertThrowsError(try Trainer(c)) { e in
            XCTAssertTrue("\(e)".hasSuffix("gonet plays it but cannot train it"), "\(e)")
        }
    }
}

extension TrainerTests {
    /// The plot has a panel a curve: top-1, policy loss and value MSE, and the reply loss only
    /// for a run that trained the reply head, each with its training and validation lines.
    func testThePlotShowsEveryCurveOfTheLog() throws {
        func entry(_ kind: LogEntry.Kind, step: Int, reply: Double) -> LogEntry {
            LogEntry(
                json:
                    "{\"kind\":\"\(kind.rawValue)\",\"step\":\(step),\"elapsed_s\":\(step * 10),\"positions\":100,\"top1\":0.3,\"top5\":0.6,\"policy_loss\":2.5,\"value_mse\":0.9,\"loss\":3.1,\"reply_loss\":\(reply)}"
            )!
        }
        let plain = [
            entry(.train, step: 1, reply: 0), entry(.train, step: 2, reply: 0), entry(.validation, step: 2, reply: 0),
        ]
        let svg = TrainingPlot.svg(plain, title: "a <run>")
        for panel in ["top-1 accuracy", "policy loss", "value MSE"] {
            XCTAssertTrue(svg.contains(">\(panel)</text>"), panel)
        }
        XCTAssertFalse(svg.contains("reply loss"))
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 6, "training and validation in 3 panels")
        XCTAssertTrue(svg.contains("a &lt;run&gt;"))
        let replied = [
            entry(.train, step: 1, reply: 4.2), entry(.train, step: 2, reply: 4.0),
            entry(.validation, step: 2, reply: 0),
        ]
        let withReply = TrainingPlot.svg(replied, title: "r")
        XCTAssertTrue(withReply.contains(">reply loss</text>"))
        XCTAssertEqual(withReply.components(separatedBy: "<polyline").count - 1, 7, "the reply panel has training only")
        XCTAssertTrue(withReply.contains("height=\"1230\""), "four panels of 300 and the title")
    }
}
