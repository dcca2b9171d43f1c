import Foundation
import GoNetwork
import NeuralNet

/// A setting that cannot be used, naming it.
public struct ConfigurationError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Everything `gonet train` takes, from a JSON config file and command-line flags (flags win).
/// Keys are the flags' long names: `"batch": 256`, `"lr-schedule": "cosine"`.
public struct TrainingConfiguration: Sendable, Equatable {
    public var data: [String] = []
    /// Held-out archives; when empty, `validationFraction` of `data`'s games (by stable hash).
    public var validationData: [String] = []
    public var validationFraction: Double = 0.02
    /// Positions per validation pass.
    public var validationPositions: Int = 20_000
    public var validateEvery: Int = 500
    /// Stop after this many minutes of training (with the final validation, checkpoint and
    /// network file as at the end of `steps`); nil: no time limit.
    public var maxMinutes: Double?
    /// A network file to continue from; otherwise `architecture` with `seed`.
    public var network: String?
    public var architecture = Architecture(trunk: .resnet, blocks: 6, filters: 64)
    public var steps: Int?
    public var epochs: Int?
    public var batch: Int = 256
    public var optimizer: String = "sgd"
    public var momentum: Float = 0.9
    public var nesterov: Bool = false
    /// AdamW's decoupled weight decay (and SGD/Adam's coupled one).
    public var weightDecay: Float = 0
    public var lr: Float = 0.05
    public var lrSchedule: String = "cosine"
    public var warmup: Int = 0
    public var lrMin: Float = 0
    public var lrStepEvery: Int = 10_000
    public var lrGamma: Float = 0.1
    public var policyWeight: Float = 1
    public var valueWeight: Float = 1
    public var l2: Float = 0
    public var seed: UInt64 = 1
    public var threads: Int = 2
    public var shuffleBuffer: Int = 200_000
    public var logEvery: Int = 50
    public var checkpointEvery: Int = 1000
    public var output: String = ""

    public init() {}

    /// Every key a config file may hold.
    public static let keys: [String] = [
        "data", "validation-data", "validation-fraction", "validation-positions", "validate-every", "network",
        "trunk", "blocks", "filters", "expansion", "policy-head", "policy-filters", "value-head", "value-filters",
        "value-hidden",
        "steps", "epochs", "batch", "optimizer", "momentum", "nesterov", "weight-decay", "lr", "lr-schedule", "warmup",
        "lr-min", "lr-step-every", "lr-gamma", "policy-weight", "value-weight", "l2", "seed", "threads",
        "shuffle-buffer",
        "log-every", "checkpoint-every", "output", "max-minutes",
    ]

    /// Reads a JSON config file; unknown keys and bad values are errors that name them.
    public static func load(path: String) throws -> TrainingConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(path): cannot read the config file")
        }
        guard let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError("\(path): not a JSON object")
        }
        var c = TrainingConfiguration()
        for key in obj.keys.sorted() {
            do { try c.set(key, obj[key]!) } catch let e as ConfigurationError {
                throw ConfigurationError("\(path): \(e.message)")
            }
        }
        return c
    }

    /// Sets one setting from a JSON value or a flag's value.
    public mutating func set(_ key: String, _ value: Any) throws {
        func bad(_ what: String) -> ConfigurationError { ConfigurationError("\"\(key)\": \(what), not \(value)") }
        func int(_ range: ClosedRange<Int>) throws -> Int {
            if let n = value as? Int, range.contains(n) { return n }
            if let n = value as? NSNumber, "\(n)" == "\(n.intValue)", range.contains(n.intValue) { return n.intValue }
            if let s = value as? String, let n = Int(s), range.contains(n) { return n }
            throw bad("expected an integer in \(range.lowerBound)…\(range.upperBound)")
        }
        func float(_ range: ClosedRange<Double>) throws -> Double {
            if let n = value as? NSNumber, !(value is Bool), range.contains(n.doubleValue) { return n.doubleValue }
            if let n = value as? Double, range.contains(n) { return n }
            if let s = value as? String, let n = Double(s), range.contains(n) { return n }
            throw bad("expected a number in \(range.lowerBound)…\(range.upperBound)")
        }
        func string(_ allowed: [String]? = nil) throws -> String {
            guard let s = value as? String, !s.isEmpty else { throw bad("expected a string") }
            if let allowed, !allowed.contains(s) { throw bad("expected one of \(allowed.joined(separator: ", "))") }
            return s
        }
        func strings() throws -> [String] {
            if let a = value as? [String] { return a }
            if let s = value as? String { return [s] }
            throw bad("expected a list of paths")
        }
        func bool() throws -> Bool {
            if let b = value as? Bool { return b }
            if let s = value as? String, s == "true" || s == "false" { return s == "true" }
            throw bad("expected true or false")
        }
        let big = 1...1_000_000_000
        switch key {
        case "data": data = try strings()
        case "validation-data": validationData = try strings()
        case "validation-fraction": validationFraction = try float(0...0.5)
        case "validation-positions": validationPositions = try int(big)
        case "validate-every": validateEvery = try int(big)
        // Up to a year: a longer budget is no budget.
        case "max-minutes": maxMinutes = try float(0.001...525_600)
        case "network": network = try string()
        case "trunk": architecture.trunk = Architecture.Trunk(rawValue: try string(["resnet", "mobile"]))!
        case "blocks": architecture.blocks = try int(Architecture.limits.blocks)
        case "filters": architecture.filters = try int(Architecture.limits.filters)
        case "expansion": architecture.expansion = try int(Architecture.limits.expansion)
        case "policy-head": architecture.policyHead = Architecture.PolicyHead(rawValue: try string(["fc", "conv"]))!
        case "policy-filters": architecture.policyFilters = try int(Architecture.limits.heads)
        case "value-head": architecture.valueHead = Architecture.ValueHead(rawValue: try string(["fc", "pool"]))!
        case "value-filters": architecture.valueFilters = try int(Architecture.limits.heads)
        case "value-hidden": architecture.valueHidden = try int(Architecture.limits.hidden)
        case "steps": steps = try int(big)
        case "epochs": epochs = try int(1...100_000)
        case "batch": batch = try int(1...65_536)
        case "optimizer": optimizer = try string(["sgd", "adam", "adamw"])
        case "momentum": momentum = Float(try float(0...0.9999))
        case "nesterov": nesterov = try bool()
        case "weight-decay": weightDecay = Float(try float(0...1))
        case "lr": lr = Float(try float(1e-9...10))
        case "lr-schedule": lrSchedule = try string(["constant", "step", "cosine"])
        case "warmup": warmup = try int(0...1_000_000_000)
        case "lr-min": lrMin = Float(try float(0...10))
        case "lr-step-every": lrStepEvery = try int(big)
        case "lr-gamma": lrGamma = Float(try float(1e-6...1))
        case "policy-weight": policyWeight = Float(try float(0...1000))
        case "value-weight": valueWeight = Float(try float(0...1000))
        case "l2": l2 = Float(try float(0...1))
        case "seed": seed = UInt64(try int(0...Int.max))
        case "threads": threads = try int(1...256)
        case "shuffle-buffer": shuffleBuffer = try int(1...100_000_000)
        case "log-every": logEvery = try int(big)
        case "checkpoint-every": checkpointEvery = try int(big)
        case "output": output = try string()
        default:
            throw ConfigurationError("unknown setting \"\(key)\" (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// Checks the settings together (a mobile trunk without an expansion gets the default one);
    /// the error names what is wrong.
    public mutating func validate() throws {
        if data.isEmpty { throw ConfigurationError("no training data: give --data ARCHIVE…") }
        if output.isEmpty { throw ConfigurationError("no output: give -o Networks/NAME.safetensors") }
        if steps != nil && epochs != nil { throw ConfigurationError("give --steps or --epochs, not both") }
        if steps == nil && epochs == nil { throw ConfigurationError("give --steps N or --epochs N") }
        if architecture.trunk == .mobile && architecture.expansion == 0 {
            architecture.expansion = Architecture.defaultExpansion(filters: architecture.filters)
        }
        do { try architecture.validate() } catch { throw ConfigurationError(error.message) }
        for f in data + validationData where !FileManager.default.isReadableFile(atPath: f) {
            throw ConfigurationError("\(f): cannot open: no such file or not readable")
        }
    }

    /// The learning-rate schedule over `total` steps.
    public func schedule(total: Int) -> LearningRateSchedule {
        switch lrSchedule {
        case "constant":
            return warmup > 0 ? .cosine(base: lr, minimum: lr, warmup: warmup, total: total) : .constant(lr)
        case "step": return .step(base: lr, gamma: lrGamma, every: lrStepEvery)
        default: return .cosine(base: lr, minimum: lrMin, warmup: warmup, total: total)
        }
    }

    /// The optimizer these settings ask for.
    public func makeOptimizer() -> Optimizer {
        switch optimizer {
        case "adam": return Adam(weightDecay: weightDecay)
        case "adamw": return Adam(weightDecay: weightDecay, decoupled: true)
        default: return SGD(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        }
    }

    /// The settings as JSON, for the log and the network's `training` metadata.
    public var json: [String: Any] {
        var d: [String: Any] = [
            "data": data, "validation_data": validationData, "validation_fraction": validationFraction, "batch": batch,
            "optimizer": optimizer, "momentum": momentum, "lr": lr, "lr_schedule": lrSchedule, "warmup": warmup,
            "policy_weight": policyWeight, "value_weight": valueWeight, "l2": l2, "seed": seed,
            "architecture": architecture.json,
        ]
        if let steps { d["steps"] = steps }
        if let epochs { d["epochs"] = epochs }
        if let network { d["network"] = network }
        return d
    }
}
