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
            Settings come from --config FILE.json (keys are these flags' long names) and
            the flags, which win. Next to the output it writes NAME.log.jsonl (every
            interval and validation), NAME.svg (the curves, refreshed at each validation)
            and NAME.checkpoint.safetensors (every --checkpoint-every steps and on Ctrl-C).

            EXAMPLES:
              gonet train --config examples/training/budget.json \\
                  --data sample.games.zst -o mynet.safetensors
              gonet train --config examples/training/budget.json \\
                  --data sample.games.zst -o mynet.safetensors --resume

            SETTINGS:

            """ + TrainingConfiguration.settings.map(\.line).joined(separator: "\n"))

    @Option(help: "A JSON config file.") var config: String?
    @Flag(help: "Continue from the checkpoint next to the output, exactly where it stopped.") var resume = false
    // The settings table (TrainingConfiguration.settings) is the one place each setting is
    // declared; shell completion offers its keys, and a mistyped key is answered with the closest.
    @Argument(
        parsing: .allUnrecognized, help: ArgumentHelp("Settings: --KEY VALUE (listed below).", valueName: "settings"),
        completion: .list(TrainingConfiguration.keys.map { "--" + $0 }))
    var settings: [String] = []

    func run() throws {
        var c = TrainingConfiguration()
        do {
            if let config { c = try TrainingConfiguration.load(path: config) }
            for (key, value) in try TrainingConfiguration.flags(settings) { try c.set(key, value) }
            try c.validate()
        } catch let e as TrainingError {
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
                case .interval(let e, let length):
                    let m = e.metrics
                    // The training-only heads' losses, each where the run trains it.
                    let heads = [("reply", m.replyLoss), ("score", m.scoreLoss), ("ownership", m.ownershipLoss)]
                        .filter { $0.1 > 0 }.map { " \($0.0) \(Report.fixed($0.1, 3))" }.joined()
                    let of =
                        switch length {
                        case .steps(let n): "/\(n)"
                        case .minutes(let m):
                            " (\(Report.fixed(e.elapsed / 60, 1)) of \(Report.fixed(m, m == m.rounded() ? 0 : 2)) min)"
                        }
                    let text =
                        "step \(e.step)\(of) loss \(Report.fixed(m.loss, 3)) top1 \(Report.fixed(100 * m.top1Accuracy, 1))%\(heads) \(Report.count(Int(m.samplesPerSecond))) samples/s lr \(e.lr)"
                    if bar.isTerminal {
                        bar.update(fraction: length.fraction(step: e.step, seconds: e.elapsed), text: text)
                    } else {
                        print("\(Report.fixed(e.elapsed / 60, 1)) min  " + text)
                    }
                case .validation(let e):
                    bar.finish()
                    let m = e.metrics
                    print(
                        "\(Report.fixed(e.elapsed / 60, 1)) min  validation at step \(e.step): policy loss \(Report.fixed(m.policyLoss, 3)), top-1 \(Report.fixed(100 * m.top1Accuracy, 2))%, top-5 \(Report.fixed(100 * m.top5Accuracy, 2))%, value MSE \(Report.fixed(m.valueMSE, 3)), value sign \(Report.fixed(100 * m.valueSignAccuracy, 1))%\(Self.headsSummary(m)) (\(Report.count(m.positions)) positions)"
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
            if c.headsOnly {
                print("wrote \(c.output): validation\(Self.headsSummary(final))")
            } else {
                print(
                    "wrote \(c.output): validation top-1 \(Report.fixed(100 * final.top1Accuracy, 2))%, policy loss \(Report.fixed(final.policyLoss, 3)), value MSE \(Report.fixed(final.valueMSE, 3))\(Self.headsSummary(final))"
                )
            }
        } catch let e as TrainingError where e.kind == .stopped {
            bar.finish()
            printError("gonet: training stopped: \(e.message)")
            throw ExitCode(1)
        }
    }
}

extension TrainCommand {
    /// ", score error 12.3 points, ownership 81.2%" where the analysis heads were measured.
    static func headsSummary(_ m: Metrics) -> String {
        var s = ""
        if m.scored > 0 { s += ", score error \(Report.fixed(m.scoreError, 2)) points" }
        if m.ownedPoints > 0 { s += ", ownership \(Report.fixed(100 * m.ownershipAccuracy, 1))%" }
        return s
    }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "A network's policy and value metrics over archives.",
        discussion: """
            EXAMPLES:
              gonet eval --network Networks/budget-resnet5x32-xl.safetensors --data heldout.games.zst --every 50
            """)

    @Option(help: "The network file.") var network: String?
    @Option(help: .hidden) var net: String?
    @Option(
        help: ArgumentHelp(
            "The network's ownership and score heads, measured on counted games: a heads file, or none.",
            discussion: "Default: NAME.heads.safetensors beside the network NAME.safetensors, when it exists.",
            valueName: "file|none"))
    var heads = HeadsFile.Choice.beside
    @Option(parsing: .upToNextOption, help: "Archives (*.games.zst).") var data: [String]
    @Option(help: "Evaluate at most this many positions.") var positions: Int?
    @Option(help: "Use one position in N, so a --positions sample spans many games (default 1: all).") var every = 1
    @Option(help: "Only the validation side of this split fraction (as in training).") var validationFraction: Double?
    @Flag(help: "Average policy and value over the 8 symmetries.") var symmetries = false
    @Flag(
        help:
            "For a network without heads, measure the score lead and ownership analysis shows in their place (the win rate in points, 128 random playouts) on counted games."
    )
    var estimates = false
    @Option(help: "Threads.") var threads = 2

    func validate() throws {
        guard network != nil || net != nil else { throw ValidationError("give the network with --network FILE") }
    }

    func run() throws {
        guard every >= 1 else { throw ValidationError("--every must be 1 or more") }
        if self.net != nil { printError("gonet eval: --net is now spelled --network") }
        let net = self.network ?? self.net ?? ""
        Parallel.threads = threads
        let network = try failing {
            try HeadsFile.loadNetwork(path: net, heads: heads) { printError("gonet eval: heads not used: \($0)") }
        }
        // The positions the loader will keep, counted from the records, for the bar.
        let available = Evaluator.countPositions(
            files: data, validationFraction: validationFraction ?? 0, validation: validationFraction != nil)
        let total = max(1, min(positions ?? .max, (available + every - 1) / every))
        let bar = ProgressBar(label: "eval")
        let m = try failing {
            try Evaluator.evaluate(
                network, files: data, validationFraction: validationFraction ?? 0,
                validation: validationFraction != nil,
                maxPositions: positions ?? .max, every: every, symmetries: symmetries, estimates: estimates, threads: 1
            ) { done in
                bar.update(fraction: Double(done) / Double(total), text: "\(Report.count(done)) positions")
            }
        }
        bar.finish()
        print("\(net) on \(Report.count(m.positions)) positions\(symmetries ? " (8 symmetries averaged)" : ""):")
        print("  policy loss    \(Report.fixed(m.policyLoss, 4))")
        print("  top-1          \(Report.fixed(100 * m.top1Accuracy, 2))%")
        print("  top-5          \(Report.fixed(100 * m.top5Accuracy, 2))%")
        print("  value MSE      \(Report.fixed(m.valueMSE, 4))")
        print("  value sign     \(Report.fixed(100 * m.valueSignAccuracy, 2))%")
        if m.scored > 0 {
            print(
                "  score error    \(Report.fixed(m.scoreError, 2)) points (\(Report.count(m.scored)) counted positions)"
            )
        }
        if m.ownedPoints > 0 {
            print("  ownership      \(Report.fixed(100 * m.ownershipAccuracy, 2))% of owned points")
        }
        print("  speed          \(Report.count(Int(m.samplesPerSecond))) positions/s")
    }
}
