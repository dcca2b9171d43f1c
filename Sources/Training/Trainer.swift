import Foundation
import GoNetwork
import GoRecords
import NeuralNet
import Synchronization

/// What a run reports as it goes (the library prints nothing: the command line does).
public enum TrainingEvent {
    /// Metrics of the last log interval, and the run's length.
    case interval(LogEntry, length: RunLength)
    case validation(LogEntry)
    case checkpoint(step: Int, path: String)
    case note(String)
}

/// The training loop: loader → loss and gradients → optimizer, with validation, logs, the plot,
/// checkpoints (also on SIGINT/SIGTERM) and exact resume.
public final class Trainer {
    /// The run's settings.
    public let configuration: TrainingConfiguration
    /// The network being trained.
    public let network: FamilyNetwork
    let optimizer: Optimizer
    /// The network whose opinion is mixed into the targets, when distilling.
    let teacher: Teacher?
    let resume: Bool
    /// The name and training metadata of the `--network` file this run continues, kept in the
    /// output's metadata so that a network trained in several runs says what all of them were.
    private var parent: [String: Any]?
    private static let stopFlag = Atomic<Bool>(false)
    /// Set from a signal handler (an atomic store is safe there): finish the step, write a
    /// checkpoint, stop.
    public static var stopRequested: Bool {
        get { stopFlag.load(ordering: .relaxed) }
        set { stopFlag.store(newValue, ordering: .relaxed) }
    }

    /// Files next to the output network.
    public var checkpointPath: String { stem + ".checkpoint.safetensors" }
    /// The JSONL log of intervals and validations.
    public var logPath: String { stem + ".log.jsonl" }
    /// The SVG plot of the curves.
    public var plotPath: String { stem + ".svg" }
    var stem: String {
        let o = configuration.output
        return o.hasSuffix(".safetensors") ? String(o.dropLast(".safetensors".count)) : o
    }

    /// A run of `configuration`, continued from its checkpoint when `resume`.
    public init(_ configuration: TrainingConfiguration, resume: Bool = false) throws {
        var configuration = configuration
        try configuration.validate()
        self.configuration = configuration
        self.resume = resume
        if let path = configuration.network {
            network = try NetworkFile.loadFamily(path: path)
            var p: [String: Any] = ["file": path]
            p["name"] = network.metadata["name"]
            if let t = network.metadata["training"] {
                p["training"] = (try? JSONSerialization.jsonObject(with: Data(t.utf8))) ?? t
            }
            parent = p
        } else {
            network = FamilyNetwork(configuration.architecture)
            network.initialize(seed: configuration.seed)
        }
        // Its own seed, so that the trunk starts as it would without the head.
        if configuration.replyWeight > 0 { network.addReplyHead(seed: configuration.seed &+ 0x5EED) }
        if configuration.scoreWeight > 0 { network.addScoreHead(seed: configuration.seed &+ 0x5C0E) }
        if configuration.ownershipWeight > 0 { network.addOwnershipHead(seed: configuration.seed &+ 0x0A1E) }
        teacher = try configuration.teacher.map {
            try Teacher(path: $0, weight: configuration.teacherWeight, temperature: configuration.teacherTemperature)
        }
        optimizer = configuration.makeOptimizer()
        Parallel.threads = configuration.threads
    }

    /// Positions in the training split, to turn epochs into steps.
    func trainingPositions() throws -> Int {
        var n = 0
        for f in configuration.data {
            let reader = try GameArchiveReader(path: f)
            while let r = try reader.nextRecord() {
                if configuration.validationData.isEmpty
                    && GameSplit.isValidation(r, fraction: configuration.validationFraction)
                {
                    continue
                }
                n += r.moves.count
            }
        }
        return n
    }

    /// Runs to the end (or to a stop request); returns the final validation metrics.
    @discardableResult
    public func run(_ report: (TrainingEvent) -> Void = { _ in }) throws -> Metrics {
        let c = configuration
        var run = try startingPoint(report)
        let length: RunLength =
            if let steps = c.steps {
                .steps(steps)
            } else if let epochs = c.epochs {
                .steps(try epochs * ((trainingPositions() + c.batch - 1) / c.batch))
            } else {
                .minutes(c.maxMinutes!)
            }
        let total = length.steps
        let schedule = c.schedule(total: total ?? 0)
        // A run as long as its time budget decays over the time.
        func rate(at step: Int, seconds: Double) -> Float {
            guard total == nil else { return schedule.rate(at: step) }
            return schedule.rate(at: step, fraction: length.fraction(step: step, seconds: seconds))
        }
        let log = try TrainingLog(path: logPath, resume: resume)
        let loader = try DataLoader(loaderConfiguration(skipping: run.step))
        defer { loader.stop() }
        let weights = LossWeights(
            policy: c.policyWeight, value: c.valueWeight, l2: c.l2, reply: c.replyWeight, score: c.scoreWeight,
            ownership: c.ownershipWeight)
        let params =
            c.headsOnly ? network.analysisHeadParameters : network.trainingParameters.filter(\.trainable)
        var interval = Metrics()
        var intervalStart = Date()
        let firstStep = run.step

        while total.map({ run.step < $0 }) ?? true {
            // The time budget ends the run as its last step would: validation, checkpoint, file.
            if let m = c.maxMinutes, run.elapsed >= m * 60 {
                report(.note("time budget of \(m) min reached at step \(run.step)\(total.map { " of \($0)" } ?? "")"))
                break
            }
            if Self.stopRequested {
                try checkpoint(&run, report)
                report(.note("stopped at step \(run.step); resume with --resume"))
                return run.lastValidation
            }
            guard var batch = loader.next() else {
                // Data that ends before this process's first step holds nothing to learn from: say
                // so rather than write an untrained network.
                if run.step == firstStep {
                    let why = loader.statistics.errors.prefix(3).joined(separator: "; ")
                    throw TrainingError(
                        .file,
                        "no training positions in \(c.data.joined(separator: ", "))\(why.isEmpty ? "" : " (\(why))")")
                }
                break
            }
            // The metrics measure the games' results, not the teacher's mixed targets.
            let results = (targets: batch.valueTargets, mask: batch.valueMask)
            teacher?.teach(&batch)
            let lr = rate(at: run.step, seconds: run.elapsed)
            try step(batch, results: results, weights: weights, run: run, into: &interval)
            optimizer.step(params, lr: lr)
            // The heads have nothing folded; the network they read does not change.
            if !c.headsOnly { network.weightsChanged() }
            run.step += 1
            run.samples += batch.count
            if run.step % c.logEvery == 0 || run.step == total {
                interval.seconds = Date().timeIntervalSince(intervalStart)
                let e = LogEntry(
                    kind: .train, step: run.step, samples: run.samples, elapsed: run.elapsed, lr: lr, metrics: interval)
                log.append(e)
                report(.interval(e, length: length))
                interval = Metrics()
                intervalStart = Date()
            }
            let more = total.map { run.step < $0 } ?? true
            if run.step % c.validateEvery == 0 && more { try validate(&run, lr: lr, log: log, report) }
            if run.step % c.checkpointEvery == 0 && more { try checkpoint(&run, report) }
        }
        for e in loader.statistics.errors { report(.note("data: \(e)")) }
        try validate(&run, lr: rate(at: max(run.step - 1, 0), seconds: run.elapsed), log: log, report)
        try checkpoint(&run, report)
        try saveNetwork(run, report)
        return run.lastValidation
    }

    /// Where a run stands: what a checkpoint keeps and the log reports.
    private struct Progress {
        var step = 0
        var samples = 0
        /// Seconds trained before this process (a resumed run).
        var elapsedBefore = 0.0
        /// The last step a checkpoint was written at (−1: none yet).
        var lastGood = -1
        var lastValidation = Metrics()
        let started = Date()
        var elapsed: Double { elapsedBefore + Date().timeIntervalSince(started) }
    }

    /// Step 0, or the checkpoint's step when resuming.
    private func startingPoint(_ report: (TrainingEvent) -> Void) throws -> Progress {
        var run = Progress()
        guard resume else { return run }
        guard FileManager.default.fileExists(atPath: checkpointPath) else {
            throw TrainingError(.file, "--resume: no checkpoint at \(checkpointPath)")
        }
        let cp = try Checkpoint.load(checkpointPath, into: network, optimizer: optimizer)
        (run.step, run.samples, run.elapsedBefore, run.lastGood) = (cp.step, cp.samples, cp.elapsed, cp.step)
        report(.note("resuming at step \(run.step) from \(checkpointPath)"))
        return run
    }

    /// The loader of the training split, past the batches already trained on.
    private func loaderConfiguration(skipping batches: Int) -> LoaderConfiguration {
        let c = configuration
        var lc = LoaderConfiguration(files: c.data)
        lc.batchSize = c.batch
        lc.shuffleBuffer = c.shuffleBuffer
        lc.seed = c.seed
        lc.validationFraction = c.validationData.isEmpty ? c.validationFraction : 0
        lc.epochs = c.epochs
        lc.threads = max(1, c.threads - 1)
        lc.skipBatches = batches
        lc.ownership = c.ownershipWeight > 0
        return lc
    }

    /// Loss and gradients of one batch, added to the interval's metrics; a non-finite loss stops
    /// the run, keeping the last good checkpoint.
    private func step(
        _ batch: TrainingBatch, results: (targets: [Float], mask: [Float]), weights: LossWeights, run: Progress,
        into interval: inout Metrics
    ) throws {
        let loss =
            configuration.headsOnly
            ? network.analysisHeadsLossAndGradients(batch, weights: weights)
            : network.lossAndGradients(batch, weights: weights)
        guard loss.total.isFinite else {
            let kept =
                run.lastGood >= 0
                ? "the last good checkpoint (step \(run.lastGood)) is kept at \(checkpointPath)"
                : "no checkpoint was written yet"
            throw TrainingError(
                .stopped,
                "the loss became \(loss.total) at step \(run.step + 1) (policy \(loss.policy), value \(loss.value)); lower the learning rate; \(kept)"
            )
        }
        let (l, v) = network.lastOutputs
        interval.add(
            logits: l, values: v, targets: batch.policyTargets, valueTargets: results.targets, mask: results.mask)
        interval.lossSum += loss.total
        interval.replyLossSum += loss.reply
        interval.scoreLossSum += loss.score
        interval.ownershipLossSum += loss.ownership
        interval.batches += 1
        if configuration.headsOnly {
            interval.addHeads(
                score: network.lastScores(batch: batch.count), ownership: network.lastOwnership(batch: batch.count),
                batch)
        }
    }

    /// A validation pass, logged, plotted and reported.
    private func validate(_ run: inout Progress, lr: Float, log: TrainingLog, _ report: (TrainingEvent) -> Void)
        throws
    {
        let m = try validation()
        run.lastValidation = m
        let e = LogEntry(
            kind: .validation, step: run.step, samples: run.samples, elapsed: run.elapsed, lr: lr, metrics: m)
        log.append(e)
        let title = "\(URL(fileURLWithPath: configuration.output).lastPathComponent): \(network.architecture.summary)"
        try? Data(TrainingPlot.svg(log.entries, title: title).utf8)
            .write(to: URL(fileURLWithPath: plotPath), options: .atomic)
        report(.validation(e))
    }

    private func checkpoint(_ run: inout Progress, _ report: (TrainingEvent) -> Void) throws {
        try Checkpoint.save(
            network, optimizer: optimizer, step: run.step, samples: run.samples, elapsed: run.elapsed,
            path: checkpointPath)
        run.lastGood = run.step
        report(.checkpoint(step: run.step, path: checkpointPath))
    }

    /// The network file, with what produced it in its metadata, and its analysis heads' file
    /// beside it; with `--heads-only`, the heads file alone.
    private func saveNetwork(_ run: Progress, _ report: (TrainingEvent) -> Void) throws {
        var training = configuration.json
        training["steps_done"] = run.step
        training["samples"] = run.samples
        training["seconds"] = Int(run.elapsed)
        training["validation"] = run.lastValidation.json
        // The settings' architecture is only the default when `--network` decides it.
        training["architecture"] = network.architecture.json
        if let parent { training["parent"] = parent }
        let trainingJSON = String(
            decoding: try JSONSerialization.data(withJSONObject: training, options: [.sortedKeys]), as: UTF8.self)
        if configuration.headsOnly {
            try network.saveHeads(path: configuration.output, training: trainingJSON)
            return
        }
        network.metadata["training"] = trainingJSON
        // Named for its own file, not for the network it continued.
        network.metadata["name"] = URL(fileURLWithPath: stem).lastPathComponent
        network.metadata["created"] = ISO8601DateFormatter().string(from: Date())
        try network.save(path: configuration.output)
        let heads = HeadsFile.path(besideNetwork: configuration.output)
        if !network.analysisHeads.isEmpty {
            try network.saveHeads(path: heads, training: trainingJSON)
        } else if FileManager.default.fileExists(atPath: heads) {
            // Heads of the network this file held before: they fit no network now.
            try FileManager.default.removeItem(atPath: heads)
            report(.note("removed \(heads): its heads were trained for the network this run replaced"))
        }
    }

    /// One validation position in `validationEvery` (at most 64; found once by counting the
    /// validation positions), so the pass spans the whole validation set, not its first games.
    public private(set) var validationEvery: Int?

    /// Metrics of the current network on the validation positions.
    func validation() throws -> Metrics {
        let c = configuration
        let held = c.validationData.isEmpty
        let files = held ? c.data : c.validationData
        let fraction = held ? c.validationFraction : 0
        if validationEvery == nil {
            let total = Evaluator.countPositions(files: files, validationFraction: fraction, validation: held)
            validationEvery = max(1, min(64, total / max(c.validationPositions, 1)))
        }
        return try Evaluator.evaluate(
            network, files: files, validationFraction: fraction, validation: held,
            maxPositions: c.validationPositions, every: validationEvery!, batch: 256, threads: 1)
    }
}
