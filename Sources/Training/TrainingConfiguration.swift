import Foundation
import GoNetwork
import NeuralNet

/// Everything `gonet train` takes, from a JSON config file and command-line flags (flags win).
/// Keys are the flags' long names: `"batch": 256`, `"lr-schedule": "cosine"`; each setting is
/// declared once, in `TrainingConfiguration.settings` (TrainingSettings.swift).
public struct TrainingConfiguration: Sendable, Equatable {
    /// The training archives.
    public var data: [String] = []
    /// Held-out archives; when empty, `validationFraction` of `data`'s games (by stable hash).
    var validationData: [String] = []
    /// Share of `data`'s games held out when no validation archive is given.
    public var validationFraction: Double = 0.02
    /// Positions per validation pass.
    public var validationPositions: Int = 20_000
    /// Steps between validation passes.
    public var validateEvery: Int = 500
    /// Stop after this many minutes of training, a resumed run's earlier minutes included (with
    /// the final validation, checkpoint and network file as at the end of `steps`); nil: no time
    /// limit. Without `steps` or `epochs` it is the run's length, and a cosine schedule decays
    /// over the time instead of the steps.
    public var maxMinutes: Double?
    /// A network file to continue from; otherwise `architecture` with `seed`.
    public var network: String?
    /// The network's architecture when none is loaded.
    public var architecture = Architecture.Family(trunk: .resnet, blocks: 6, filters: 64)
    /// Optimizer steps to run (or `epochs`).
    public var steps: Int?
    /// Passes over the data to run (or `steps`).
    public var epochs: Int?
    /// Samples a step.
    public var batch: Int = 256
    /// SGD, Adam or AdamW.
    public var optimizer = OptimizerKind.sgd
    /// Momentum of SGD.
    public var momentum: Float = 0.9
    /// Nesterov momentum for SGD.
    public var nesterov: Bool = false
    /// AdamW's decoupled weight decay (and SGD/Adam's coupled one).
    public var weightDecay: Float = 0
    /// The peak learning rate.
    public var lr: Float = 0.05
    /// How the learning rate moves after the warm-up.
    public var lrSchedule = ScheduleKind.cosine
    /// Steps of linear warm-up.
    public var warmup: Int = 0
    var lrMin: Float = 0
    var lrStepEvery: Int = 10_000
    var lrGamma: Float = 0.1
    var policyWeight: Float = 1
    var valueWeight: Float = 1
    /// Weight of the opponent's-reply head's loss; 0 trains no such head.
    public var replyWeight: Float = 0
    /// Weight of the score head's loss (counted games, units of 10 points); 0 trains no such head.
    public var scoreWeight: Float = 0
    /// Weight of the ownership head's loss (counted games' final owners); 0 trains no such head.
    public var ownershipWeight: Float = 0
    /// Train only the score and ownership heads of `network`, which runs as it plays and is
    /// never changed; `output` names the heads file.
    public var headsOnly = false
    /// A network file whose policy and value are mixed into the targets (distillation).
    public var teacher: String?
    /// The teacher's share of each target.
    public var teacherWeight: Float = 0.5
    /// Softmax temperature of the teacher's policy.
    public var teacherTemperature: Float = 1
    /// L2 penalty of decaying weights in the loss.
    public var l2: Float = 0
    /// Seed of the initial weights and of the data order.
    public var seed: UInt64 = 1
    /// Threads for the network's products.
    public var threads: Int = 2
    /// Positions held for shuffling.
    public var shuffleBuffer: Int = 200_000
    /// Steps between log lines.
    public var logEvery: Int = 50
    /// Steps between checkpoints.
    public var checkpointEvery: Int = 1000
    /// The network file written at the end.
    public var output: String = ""

    /// The defaults of `gonet train`, each explained in `TrainingConfiguration.settings`.
    public init() {}

    /// Reads a JSON config file; unknown keys and bad values are errors that name them.
    public static func load(path: String) throws -> TrainingConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError(.file, "\(path): cannot read the config file")
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TrainingError(.setting, "\(path): not a JSON object")
        }
        var c = TrainingConfiguration()
        for key in obj.keys.sorted() {
            do { try c.set(key, obj[key]!) } catch let e as TrainingError {
                throw TrainingError(.setting, "\(path): \(e.message)")
            }
        }
        return c
    }

    /// Checks the settings together (a mobile trunk without an expansion gets the default one);
    /// the error names what is wrong.
    public mutating func validate() throws {
        if data.isEmpty { throw TrainingError(.setting, "no training data: give --data ARCHIVE…") }
        if output.isEmpty { throw TrainingError(.setting, "no output: give -o Networks/NAME.safetensors") }
        if steps != nil && epochs != nil { throw TrainingError(.setting, "give --steps or --epochs, not both") }
        if steps == nil && epochs == nil && maxMinutes == nil {
            throw TrainingError(.setting, "give --steps N, --epochs N or --max-minutes M (a run as long as the time)")
        }
        if architecture.trunk == .mobile && architecture.expansion == 0 {
            architecture.expansion = Architecture.defaultExpansion(filters: architecture.filters)
        }
        do { try architecture.validate() } catch { throw TrainingError(.setting, "\(error)") }
        if headsOnly {
            guard network != nil else {
                throw TrainingError(.setting, "--heads-only trains the heads of a network: give --network FILE")
            }
            guard scoreWeight > 0 || ownershipWeight > 0 else {
                throw TrainingError(
                    .setting, "--heads-only: give --score-weight or --ownership-weight (or both) above 0")
            }
            guard replyWeight == 0, teacher == nil else {
                throw TrainingError(.setting, "--heads-only trains no reply head and uses no teacher")
            }
            guard output.hasSuffix(".heads.safetensors") else {
                throw TrainingError(
                    .setting, "--heads-only: -o names the heads file, NAME.heads.safetensors beside NAME.safetensors")
            }
        }
        for f in data + validationData + [teacher].compactMap({ $0 })
        where !FileManager.default.isReadableFile(atPath: f) {
            throw TrainingError(.file, "\(f): cannot open: no such file or not readable")
        }
    }

    /// The learning-rate schedule over `total` steps.
    public func schedule(total: Int) -> LearningRateSchedule {
        switch lrSchedule {
        case .constant:
            return warmup > 0 ? .cosine(base: lr, minimum: lr, warmup: warmup, total: total) : .constant(lr)
        case .step: return .step(base: lr, gamma: lrGamma, every: lrStepEvery)
        case .cosine: return .cosine(base: lr, minimum: lrMin, warmup: warmup, total: total)
        }
    }

    /// The optimizer these settings ask for.
    func makeOptimizer() -> Optimizer {
        switch optimizer {
        case .adam: return Adam(weightDecay: weightDecay)
        case .adamw: return Adam(weightDecay: weightDecay, decoupled: true)
        case .sgd: return SGD(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        }
    }

    /// The settings as JSON, for the log and the network's `training` metadata.
    public var json: [String: Any] {
        var d: [String: Any] = [
            "data": data, "validation_data": validationData, "validation_fraction": validationFraction, "batch": batch,
            "optimizer": optimizer.rawValue, "momentum": momentum, "lr": lr, "lr_schedule": lrSchedule.rawValue,
            "warmup": warmup,
            "policy_weight": policyWeight, "value_weight": valueWeight, "reply_weight": replyWeight,
            "score_weight": scoreWeight, "ownership_weight": ownershipWeight, "l2": l2,
            "seed": seed,
            "architecture": architecture.json,
        ]
        if let steps { d["steps"] = steps }
        if let epochs { d["epochs"] = epochs }
        if let network { d["network"] = network }
        if let teacher {
            d["teacher"] = teacher
            d["teacher_weight"] = teacherWeight
            d["teacher_temperature"] = teacherTemperature
        }
        return d
    }
}
