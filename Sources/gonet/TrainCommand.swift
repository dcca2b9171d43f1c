import ArgumentParser
import Foundation
import GoNetwork
import NeuralNet
import Training

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Train a network on game archives: policy cross-entropy + value MSE (+ L2), with validation, checkpoints and resume.",
        discussion: """
            Settings come from --config FILE.json (keys are these flags' long names) and the flags, which win.
            Next to the output it writes NAME.log.jsonl (every interval and validation), NAME.svg (the curves,
            refreshed at each validation) and NAME.checkpoint.safetensors (every --checkpoint-every steps and on Ctrl-C).
            """)

    @Option(help: "A JSON config file.") var config: String?
    @Option(parsing: .upToNextOption, help: "Training archives (*.games.zst).") var data: [String] = []
    @Option(parsing: .upToNextOption, help: "Held-out archives for validation (default: a fraction of --data's games).")
    var validationData: [String] = []
    @Option(help: "Fraction of games held out for validation, by stable hash (default 0.02).") var validationFraction:
        Double?
    @Option(
        help: "Positions per validation pass, spread over the whole validation set (one in up to 64) (default 20000).")
    var validationPositions: Int?
    @Option(help: "Validate every N steps (default 500).") var validateEvery: Int?
    @Option(help: "Stop after this many minutes (validation, checkpoint and network file as at the end).")
    var maxMinutes: Double?
    @Option(help: "A network file to continue training.") var network: String?
    @Option(help: "Trunk: resnet or mobile.") var trunk: String?
    @Option(help: "Residual blocks.") var blocks: Int?
    @Option(help: "Trunk filters.") var filters: Int?
    @Option(help: "Mobile block width.") var expansion: Int?
    @Option(help: "fc or conv.") var policyHead: String?
    @Option var policyFilters: Int?
    @Option(help: "fc or pool.") var valueHead: String?
    @Option var valueFilters: Int?
    @Option var valueHidden: Int?
    @Option(help: "Training steps.") var steps: Int?
    @Option(help: "Passes over the training data.") var epochs: Int?
    @Option(help: "Batch size (default 256).") var batch: Int?
    @Option(help: "sgd, adam or adamw (default sgd).") var optimizer: String?
    @Option(help: "SGD momentum (default 0.9).") var momentum: Double?
    @Option(help: "Nesterov momentum: true or false.") var nesterov: String?
    @Option(help: "Weight decay (decoupled for adamw).") var weightDecay: Double?
    @Option(help: "Learning rate (default 0.05).") var lr: Double?
    @Option(help: "constant, step or cosine (default cosine).") var lrSchedule: String?
    @Option(help: "Linear warm-up steps.") var warmup: Int?
    @Option(help: "Final learning rate of the cosine schedule.") var lrMin: Double?
    @Option(help: "Step schedule: steps between decays.") var lrStepEvery: Int?
    @Option(help: "Step schedule: factor per decay.") var lrGamma: Double?
    @Option(help: "Weight of the policy loss (default 1).") var policyWeight: Double?
    @Option(help: "Weight of the value loss (default 1).") var valueWeight: Double?
    @Option(help: "L2 coefficient c of c·Σw² on convolution and dense weights.") var l2: Double?
    @Option(help: "Seed of the initial weights, the shuffle and the symmetries.") var seed: Int?
    @Option(help: "Threads (default 2).") var threads: Int?
    @Option(help: "Shuffle buffer in positions (default 200000).") var shuffleBuffer: Int?
    @Option(help: "Log every N steps (default 50).") var logEvery: Int?
    @Option(help: "Checkpoint every N steps (default 1000).") var checkpointEvery: Int?
    @Option(name: .shortAndLong, help: "The network file to write.") var output: String?
    @Flag(help: "Continue from the checkpoint next to the output, exactly where it stopped.") var resume = false

    func settings() -> [(String, Any?)] {
        [
            ("data", data.isEmpty ? nil : data), ("validation-data", validationData.isEmpty ? nil : validationData),
            ("validation-fraction", validationFraction), ("validation-positions", validationPositions),
            ("validate-every", validateEvery), ("max-minutes", maxMinutes),
            ("network", network), ("trunk", trunk), ("blocks", blocks), ("filters", filters), ("expansion", expansion),
            ("policy-head", policyHead), ("policy-filters", policyFilters), ("value-head", valueHead),
            ("value-filters", valueFilters),
            ("value-hidden", valueHidden), ("steps", steps), ("epochs", epochs), ("batch", batch),
            ("optimizer", optimizer),
            ("momentum", momentum), ("nesterov", nesterov), ("weight-decay", weightDecay), ("lr", lr),
            ("lr-schedule", lrSchedule),
            ("warmup", warmup), ("lr-min", lrMin), ("lr-step-every", lrStepEvery), ("lr-gamma", lrGamma),
            ("policy-weight", policyWeight),
            ("value-weight", valueWeight), ("l2", l2), ("seed", seed), ("threads", threads),
            ("shuffle-buffer", shuffleBuffer),
            ("log-every", logEvery), ("checkpoint-every", checkpointEvery), ("output", output),
        ]
    }

    func run() throws {
        var c = TrainingConfiguration()
        do {
            if let config { c = try TrainingConfiguration.load(path: config) }
            for (key, value) in settings() { if let value { try c.set(key, value) } }
            try c.validate()
        } catch let e as ConfigurationError {
            throw ValidationError(e.message)
        }
        signal(SIGINT) { _ in Trainer.stopRequested = true }
        signal(SIGTERM) { _ in Trainer.stopRequested = true }
        let trainer = try failing { try Trainer(c, resume: resume) }
        let net = trainer.network
        print("training \(net.architecture.summary), \(Report.count(net.parameterCount)) parameters → \(c.output)")
        print("log \(trainer.logPath), plot \(trainer.plotPath), checkpoint \(trainer.checkpointPath)")
        let bar = ProgressBar(label: "train")
        do {
            let final = try trainer.run { event in
                switch event {
                case .interval(let e, let total):
                    let m = e.metrics
                    let text =
                        "step \(e.step)/\(total) loss \(Report.fixed(m.loss, 3)) top1 \(Report.fixed(100 * m.top1Accuracy, 1))% \(Report.count(Int(m.samplesPerSecond))) samples/s lr \(e.lr)"
                    if bar.isTerminal {
                        bar.update(fraction: Double(e.step) / Double(total), text: text)
                    } else {
                        print("\(Report.fixed(e.elapsed / 60, 1)) min  " + text)
                    }
                case .validation(let e):
                    bar.finish()
                    let m = e.metrics
                    print(
                        "\(Report.fixed(e.elapsed / 60, 1)) min  validation at step \(e.step): policy loss \(Report.fixed(m.policyLoss, 3)), top-1 \(Report.fixed(100 * m.top1Accuracy, 2))%, top-5 \(Report.fixed(100 * m.top5Accuracy, 2))%, value MSE \(Report.fixed(m.valueMSE, 3)), value sign \(Report.fixed(100 * m.valueSignAccuracy, 1))% (\(Report.count(m.positions)) positions)"
                    )
                case .checkpoint(let step, let path):
                    if !bar.isTerminal { print("checkpoint at step \(step): \(path)") }
                case .note(let text):
                    bar.finish()
                    print(text)
                }
            }
            bar.finish()
            if Trainer.stopRequested { throw ExitCode(130) }
            print(
                "wrote \(c.output): validation top-1 \(Report.fixed(100 * final.top1Accuracy, 2))%, policy loss \(Report.fixed(final.policyLoss, 3)), value MSE \(Report.fixed(final.valueMSE, 3))"
            )
        } catch let e as TrainingStopped {
            bar.finish()
            printError("gonet: training stopped: \(e.message)")
            throw ExitCode(1)
        }
    }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "A network's policy and value metrics over archives.")

    @Option(help: "The network file.") var net: String
    @Option(parsing: .upToNextOption, help: "Archives (*.games.zst).") var data: [String]
    @Option(help: "Evaluate at most this many positions.") var positions: Int?
    @Option(help: "Use one position in N, so a --positions sample spans many games (default 1: all).") var every = 1
    @Option(help: "Only the validation side of this split fraction (as in training).") var validationFraction: Double?
    @Flag(help: "Average policy and value over the 8 symmetries.") var symmetries = false
    @Option(help: "Threads.") var threads = 2

    func run() throws {
        guard every >= 1 else { throw ValidationError("--every must be 1 or more") }
        Parallel.threads = threads
        let network = try failing { try PolicyValueNetwork.load(path: net) }
        let m = try failing {
            try Evaluator.evaluate(
                network, files: data, validationFraction: validationFraction ?? 0,
                validation: validationFraction != nil,
                maxPositions: positions ?? .max, every: every, symmetries: symmetries, threads: 1)
        }
        print("\(net) on \(Report.count(m.positions)) positions\(symmetries ? " (8 symmetries averaged)" : ""):")
        print("  policy loss    \(Report.fixed(m.policyLoss, 4))")
        print("  top-1          \(Report.fixed(100 * m.top1Accuracy, 2))%")
        print("  top-5          \(Report.fixed(100 * m.top5Accuracy, 2))%")
        print("  value MSE      \(Report.fixed(m.valueMSE, 4))")
        print("  value sign     \(Report.fixed(100 * m.valueSignAccuracy, 2))%")
        print("  speed          \(Report.count(Int(m.samplesPerSecond))) positions/s")
    }
}
