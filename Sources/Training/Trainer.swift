import Foundation
import GoNetwork
import GoRecords
import NeuralNet

/// Why a run stopped early.
public struct TrainingStopped: Error, LocalizedError, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    public var message: String
    public var description: String { message }
}

/// What a run reports as it goes (the library prints nothing: the command line does).
public enum TrainingEvent {
    /// Metrics of the last log interval.
    case interval(LogEntry, totalSteps: Int)
    case validation(LogEntry)
    case checkpoint(step: Int, path: String)
    case note(String)
}

/// The training loop: loader → loss and gradients → optimizer, with validation, logs, the plot,
/// checkpoints (also on SIGINT/SIGTERM) and exact resume.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let network: PolicyValueNetwork
    let optimizer: Optimizer
    let resume: Bool
    /// Set from a signal handler: finish the step, write a checkpoint, stop.
    nonisolated(unsafe) public static var stopRequested = false

    /// Files next to the output network.
    public var checkpointPath: String { stem + ".checkpoint.safetensors" }
    public var logPath: String { stem + ".log.jsonl" }
    public var plotPath: String { stem + ".svg" }
    var stem: String {
        let o = configuration.output
        return o.hasSuffix(".safetensors") ? String(o.dropLast(".safetensors".count)) : o
    }

    public init(_ configuration: TrainingConfiguration, resume: Bool = false) throws {
        var configuration = configuration
        try configuration.validate()
        self.configuration = configuration
        self.resume = resume
        if let path = configuration.network {
            network = try PolicyValueNetwork.load(path: path)
            guard network.isTrainable else {
                throw ConfigurationError(
                    "\(path) is a graph network (imported from ONNX: \(network.architecture.summary)); gonet plays it but cannot train it")
            }
        } else {
            network = PolicyValueNetwork(configuration.architecture)
            network.initialize(seed: configuration.seed)
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
        var step = 0
        var samples = 0
        var elapsedBefore = 0.0
        if resume {
            guard FileManager.default.fileExists(atPath: checkpointPath) else {
                throw ConfigurationError("--resume: no checkpoint at \(checkpointPath)")
            }
            let cp = try Checkpoint.load(checkpointPath, into: network, optimizer: optimizer)
            (step, samples, elapsedBefore) = (cp.step, cp.samples, cp.elapsed)
            report(.note("resuming at step \(step) from \(checkpointPath)"))
        }
        let total: Int
        if let steps = c.steps {
            total = steps
        } else {
            total = c.epochs! * ((try trainingPositions() + c.batch - 1) / c.batch)
        }
        let schedule = c.schedule(total: total)
        let log = try TrainingLog(path: logPath, resume: resume)

        var lc = LoaderConfiguration(files: c.data)
        lc.batchSize = c.batch
        lc.shuffleBuffer = c.shuffleBuffer
        lc.seed = c.seed
        lc.validationFraction = c.validationData.isEmpty ? c.validationFraction : 0
        lc.epochs = c.epochs
        lc.threads = max(1, c.threads - 1)
        lc.skipBatches = step
        let loader = try DataLoader(lc)
        defer { loader.stop() }

        let weights = LossWeights(policy: c.policyWeight, value: c.valueWeight, l2: c.l2)
        let params = network.trainableParameters
        var interval = Metrics()
        var intervalStart = Date()
        let runStart = Date()
        var lastGood = resume ? step : -1
        var lastValidation = Metrics()
        func elapsed() -> Double { elapsedBefore + Date().timeIntervalSince(runStart) }

        func validate() throws {
            let m = try validation()
            lastValidation = m
            let e = LogEntry(
                kind: .validation, step: step, samples: samples, elapsed: elapsed(),
                lr: schedule.rate(at: max(step - 1, 0)), metrics: m)
            log.append(e)
            try? Data(
                TrainingPlot.svg(
                    log.entries,
                    title: "\(URL(fileURLWithPath: c.output).lastPathComponent): \(network.architecture.summary)"
                ).utf8
            )
            .write(to: URL(fileURLWithPath: plotPath), options: .atomic)
            report(.validation(e))
        }
        func checkpoint() throws {
            try Checkpoint.save(
                network, optimizer: optimizer, step: step, samples: samples, elapsed: elapsed(), path: checkpointPath)
            lastGood = step
            report(.checkpoint(step: step, path: checkpointPath))
        }

        while step < total {
            // The time budget ends the run as its last step would: validation, checkpoint, file.
            if let m = c.maxMinutes, Date().timeIntervalSince(runStart) >= m * 60 {
                report(.note("time budget of \(m) min reached at step \(step) of \(total)"))
                break
            }
            if Self.stopRequested {
                try checkpoint()
                report(.note("stopped at step \(step); resume with --resume"))
                return lastValidation
            }
            guard let batch = loader.next() else { break }
            let lr = schedule.rate(at: step)
            let loss = network.lossAndGradients(batch, weights: weights)
            guard loss.total.isFinite else {
                let kept =
                    lastGood >= 0
                    ? "the last good checkpoint (step \(lastGood)) is kept at \(checkpointPath)"
                    : "no checkpoint was written yet"
                throw TrainingStopped(
                    message:
                        "the loss became \(loss.total) at step \(step + 1) (policy \(loss.policy), value \(loss.value)); lower the learning rate; \(kept)"
                )
            }
            let (l, v) = network.lastOutputs
            interval.add(
                logits: l, values: v, targets: batch.policyTargets, valueTargets: batch.valueTargets,
                mask: batch.valueMask)
            interval.lossSum += loss.total
            interval.batches += 1
            optimizer.step(params, lr: lr)
            network.weightsChanged()
            step += 1
            samples += batch.count
            if step % c.logEvery == 0 || step == total {
                interval.seconds = Date().timeIntervalSince(intervalStart)
                let e = LogEntry(
                    kind: .train, step: step, samples: samples, elapsed: elapsed(), lr: lr, metrics: interval)
                log.append(e)
                report(.interval(e, totalSteps: total))
                interval = Metrics()
                intervalStart = Date()
            }
            if step % c.validateEvery == 0 && step < total { try validate() }
            if step % c.checkpointEvery == 0 && step < total { try checkpoint() }
        }
        for e in loader.statistics.errors { report(.note("data: \(e)")) }
        try validate()
        try checkpoint()
        // The network file, with what produced it.
        var training = c.json
        training["steps_done"] = step
        training["samples"] = samples
        training["seconds"] = Int(elapsed())
        training["validation"] = lastValidation.json
        network.metadata["training"] = String(
            decoding: try JSONSerialization.data(withJSONObject: training, options: [.sortedKeys]), as: UTF8.self)
        if network.metadata["name"] == nil { network.metadata["name"] = URL(fileURLWithPath: stem).lastPathComponent }
        network.metadata["created"] = ISO8601DateFormatter().string(from: Date())
        try network.save(path: c.output)
        return lastValidation
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
