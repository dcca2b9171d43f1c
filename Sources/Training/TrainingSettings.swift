import Foundation
import GoNetwork

/// The optimizers `gonet train` knows.
public enum OptimizerKind: String, CaseIterable, Sendable {
    case sgd, adam, adamw
}

/// The learning-rate schedules `gonet train` knows.
public enum ScheduleKind: String, CaseIterable, Sendable {
    case constant, step, cosine
}

/// One setting of `gonet train`, declared once: its key (the JSON key and the flag's long name),
/// what it means, and how a value (from JSON, or a flag's text) is checked and stored.
public struct TrainingSetting: Sendable {
    /// The flag's long name and the config file's key.
    public let key: String
    /// What it means, as `--help` shows it.
    public let help: String
    /// The default, as help shows it (nil: none).
    let defaultText: String?
    /// True for settings that take several values (`--data a b c`).
    let isList: Bool
    let apply: @Sendable (inout TrainingConfiguration, Any) throws -> Void

    /// `  --KEY VALUE  help (default …)` for the command's help, wrapped under the help's column
    /// so that an 80-column terminal shows it as a table.
    public var line: String {
        let flag = "  --\(key)\(isList ? " VALUE…" : " VALUE")"
        let column = 32
        let text = help + (defaultText.map { " (default \($0))" } ?? "")
        var lines: [String] = []
        var current =
            flag.count >= column - 1
            ? flag + "\n" + String(repeating: " ", count: column)
            : flag.padding(
                toLength: column, withPad: " ", startingAt: 0)
        var width = column
        // Bytes, not characters: the help's own wrapping counts "×" as two.
        for word in text.split(separator: " ") {
            if width > column && width + 1 + word.utf8.count > 80 {
                lines.append(current)
                current = String(repeating: " ", count: column)
                width = column
            }
            if width > column {
                current += " "
                width += 1
            }
            current += word
            width += word.utf8.count
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }
}

extension TrainingConfiguration {
    /// Every setting, in the order help lists them. The ranges are what training can use: wider
    /// values are typos or hostile input (a batch of 10⁶ positions is 8.7 GB of planes).
    public static let settings: [TrainingSetting] = {
        let big = 1...1_000_000_000
        let a = Architecture.limits
        return [
            paths("data", \.data, "Training archives (*.games.zst)."),
            paths("validation-data", \.validationData, "Held-out archives (default: a fraction of --data's games)."),
            number("validation-fraction", \.validationFraction, 0...0.5, "Fraction of games held out, by stable hash."),
            integer(
                "validation-positions", \.validationPositions, big,
                "Positions per validation pass, spread over the validation set."),
            integer("validate-every", \.validateEvery, big, "Validate every N steps."),
            // Up to a year: a longer budget is no budget.
            number(
                "max-minutes", \.maxMinutes, 0.001...525_600,
                "Stop after this many minutes (validation, checkpoint and network file as at the end); without --steps or --epochs, the run's length, which a cosine schedule decays over."
            ),
            text("network", \.network, "A network file to continue training."),
            choice("trunk", \.architecture.trunk, "Trunk."),
            integer("blocks", \.architecture.blocks, a.blocks, "Residual blocks."),
            integer("filters", \.architecture.filters, a.filters, "Trunk filters."),
            integer("expansion", \.architecture.expansion, a.expansion, "Mobile block width (0: 4 × filters)."),
            choice(
                "depthwise-kernel", \.architecture.depthwiseKernel,
                "A mobile block's depthwise filters (mixed: 3x3 on half the channels, 5x5 on the rest)."),
            choice("policy-head", \.architecture.policyHead, "Policy head."),
            integer("policy-filters", \.architecture.policyFilters, a.heads, "Policy head filters."),
            choice("value-head", \.architecture.valueHead, "Value head."),
            integer("value-filters", \.architecture.valueFilters, a.heads, "Value head filters."),
            integer("value-hidden", \.architecture.valueHidden, a.hidden, "Value head hidden units."),
            integer(
                "global-pool-every", \.architecture.globalPoolEvery, 0...a.blocks.upperBound,
                "A global pooling bias in every Nth block (0: none)."),
            integer(
                "squeeze-excitation", \.architecture.squeezeExcitation, 0...a.heads.upperBound,
                "Hidden units of a squeeze-and-excitation gate in every block (0: none)."),
            choice("activation", \.architecture.activation, "The trunk's activation (the heads keep ReLU)."),
            integer("steps", \.steps, big, "Training steps."),
            integer("epochs", \.epochs, 1...100_000, "Passes over the training data."),
            integer("batch", \.batch, 1...65_536, "Batch size."),
            choice("optimizer", \.optimizer, "Optimizer (adamw: decoupled weight decay)."),
            number("momentum", \.momentum, 0...0.9999, "SGD momentum."),
            flag("nesterov", \.nesterov, "Nesterov momentum."),
            number("weight-decay", \.weightDecay, 0...1, "Weight decay (decoupled for adamw)."),
            number("lr", \.lr, 1e-9...10, "Learning rate."),
            choice("lr-schedule", \.lrSchedule, "Learning-rate schedule."),
            integer("warmup", \.warmup, 0...1_000_000_000, "Linear warm-up steps."),
            number("lr-min", \.lrMin, 0...10, "Final learning rate of the cosine schedule."),
            integer("lr-step-every", \.lrStepEvery, big, "Step schedule: steps between decays."),
            number("lr-gamma", \.lrGamma, 1e-6...1, "Step schedule: factor per decay."),
            number("policy-weight", \.policyWeight, 0...1000, "Weight of the policy loss."),
            number("value-weight", \.valueWeight, 0...1000, "Weight of the value loss."),
            number(
                "reply-weight", \.replyWeight, 0...1000,
                "Weight of the opponent's-reply head (training only; 0: none)."),
            number(
                "score-weight", \.scoreWeight, 0...1000,
                "Weight of the score head on counted games (kept in NAME.heads.safetensors; 0: none)."),
            number(
                "ownership-weight", \.ownershipWeight, 0...1000,
                "Weight of the ownership head on counted games (kept in NAME.heads.safetensors; 0: none)."),
            flag(
                "heads-only", \.headsOnly,
                "Train only the score and ownership heads of --network, which stays as it is; -o names the heads file."),
            text("teacher", \.teacher, "A network whose policy and value are mixed into the targets (distillation)."),
            number("teacher-weight", \.teacherWeight, 0...1, "The teacher's share of each target."),
            number(
                "teacher-temperature", \.teacherTemperature, 0.05...20, "Softmax temperature of the teacher's policy."),
            number("l2", \.l2, 0...1, "L2 coefficient c of c·Σw² on convolution and dense weights."),
            seed("seed", \.seed, "Seed of the initial weights, the shuffle and the symmetries."),
            integer("threads", \.threads, 1...256, "Threads."),
            integer("shuffle-buffer", \.shuffleBuffer, 1...100_000_000, "Shuffle buffer in positions."),
            integer("log-every", \.logEvery, big, "Log every N steps."),
            integer("checkpoint-every", \.checkpointEvery, big, "Checkpoint every N steps."),
            text("output", \.output, "The network file to write (-o)."),
        ]
    }()

    /// Every key a config file or flag may name.
    public static var keys: [String] { settings.map(\.key) }

    /// Sets one setting from a JSON value or a flag's text; the error names the key.
    public mutating func set(_ key: String, _ value: Any) throws {
        guard let s = Self.settings.first(where: { $0.key == key }) else {
            throw TrainingError(.setting, "unknown setting \"\(key)\"\(Self.suggestion(for: key, prefix: ""))")
        }
        try s.apply(&self, value)
    }

    /// ": did you mean --batch?" for the known key closest to a mistyped one (one that starts the
    /// other, or within an edit distance of two or a third of its length), else where the list of
    /// keys is.
    static func suggestion(for key: String, prefix: String) -> String {
        let close = keys.map { k in (name: k, distance: editDistance(key, k)) }.filter {
            $0.distance <= max(2, $0.name.count / 3) || key.hasPrefix($0.name) || $0.name.hasPrefix(key)
        }
        if let best = close.min(by: { $0.distance < $1.distance }) { return ": did you mean \(prefix)\(best.name)?" }
        return " (gonet train --help lists every setting)"
    }

    /// Levenshtein distance between two keys.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    /// Reads `--KEY VALUE` flags (`--KEY V1 V2 …` for lists, `-o` for `--output`) in order.
    public static func flags(_ words: [String]) throws -> [(key: String, value: Any)] {
        var out: [(key: String, value: Any)] = []
        var i = 0
        while i < words.count {
            let word = words[i]
            let key = word == "-o" ? "output" : word.hasPrefix("--") ? String(word.dropFirst(2)) : nil
            guard let key, let s = settings.first(where: { $0.key == key }) else {
                throw TrainingError(
                    .setting,
                    word.hasPrefix("-")
                        ? "unknown setting \(word)\(suggestion(for: key ?? word, prefix: "--"))"
                        : "unexpected argument \(word): settings are --KEY VALUE")
            }
            var values: [String] = []
            i += 1
            while i < words.count, !(words[i].hasPrefix("-") && words[i].count > 1 && Double(words[i]) == nil),
                s.isList || values.isEmpty
            {
                values.append(words[i])
                i += 1
            }
            guard !values.isEmpty else { throw TrainingError(.setting, "--\(key) needs a value") }
            out.append((key, s.isList ? values : values[0]))
        }
        return out
    }

    // MARK: Readers

    private static func bad(_ key: String, _ value: Any, _ what: String) -> TrainingError {
        TrainingError(.setting, "\"\(key)\": \(what), not \(value)")
    }

    private static func readInteger(_ key: String, _ value: Any, _ range: ClosedRange<Int>) throws -> Int {
        if let n = value as? Int, !(value is Bool), range.contains(n) { return n }
        if let n = value as? NSNumber, !(value is Bool), "\(n)" == "\(n.intValue)", range.contains(n.intValue) {
            return n.intValue
        }
        if let s = value as? String, let n = Int(s), range.contains(n) { return n }
        throw bad(key, value, "expected an integer in \(range.lowerBound)…\(range.upperBound)")
    }

    private static func readNumber(_ key: String, _ value: Any, _ range: ClosedRange<Double>) throws -> Double {
        if let n = value as? NSNumber, !(value is Bool), range.contains(n.doubleValue) { return n.doubleValue }
        if let n = value as? Double, range.contains(n) { return n }
        if let s = value as? String, let n = Double(s), range.contains(n) { return n }
        throw bad(key, value, "expected a number in \(range.lowerBound)…\(range.upperBound)")
    }

    private static func integer(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Int> & Sendable, _ range: ClosedRange<Int>,
        _ help: String
    ) -> TrainingSetting {
        TrainingSetting(key: key, help: help, defaultText: "\(TrainingConfiguration()[keyPath: kp])", isList: false) {
            $0[keyPath: kp] = try readInteger(key, $1, range)
        }
    }

    private static func integer(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Int?> & Sendable, _ range: ClosedRange<Int>,
        _ help: String
    ) -> TrainingSetting {
        TrainingSetting(key: key, help: help, defaultText: nil, isList: false) {
            $0[keyPath: kp] = try readInteger(key, $1, range)
        }
    }

    private static func seed(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, UInt64> & Sendable, _ help: String
    )
        -> TrainingSetting
    {
        TrainingSetting(key: key, help: help, defaultText: "\(TrainingConfiguration()[keyPath: kp])", isList: false) {
            $0[keyPath: kp] = UInt64(try readInteger(key, $1, 0...Int.max))
        }
    }

    private static func number(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Double> & Sendable, _ range: ClosedRange<Double>,
        _ help: String
    ) -> TrainingSetting {
        TrainingSetting(key: key, help: help, defaultText: "\(TrainingConfiguration()[keyPath: kp])", isList: false) {
            $0[keyPath: kp] = try readNumber(key, $1, range)
        }
    }

    private static func number(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Double?> & Sendable, _ range: ClosedRange<Double>,
        _ help: String
    ) -> TrainingSetting {
        TrainingSetting(key: key, help: help, defaultText: nil, isList: false) {
            $0[keyPath: kp] = try readNumber(key, $1, range)
        }
    }

    private static func number(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Float> & Sendable, _ range: ClosedRange<Double>,
        _ help: String
    ) -> TrainingSetting {
        TrainingSetting(key: key, help: help, defaultText: "\(TrainingConfiguration()[keyPath: kp])", isList: false) {
            $0[keyPath: kp] = Float(try readNumber(key, $1, range))
        }
    }

    private static func flag(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, Bool> & Sendable, _ help: String
    )
        -> TrainingSetting
    {
        TrainingSetting(key: key, help: help, defaultText: "\(TrainingConfiguration()[keyPath: kp])", isList: false) {
            if let b = $1 as? Bool {
                $0[keyPath: kp] = b
            } else if let s = $1 as? String, s == "true" || s == "false" {
                $0[keyPath: kp] = s == "true"
            } else {
                throw bad(key, $1, "expected true or false")
            }
        }
    }

    private static func text(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, String> & Sendable, _ help: String
    )
        -> TrainingSetting
    {
        TrainingSetting(key: key, help: help, defaultText: nil, isList: false) {
            guard let s = $1 as? String, !s.isEmpty else { throw bad(key, $1, "expected a string") }
            $0[keyPath: kp] = s
        }
    }

    private static func text(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, String?> & Sendable, _ help: String
    )
        -> TrainingSetting
    {
        TrainingSetting(key: key, help: help, defaultText: nil, isList: false) {
            guard let s = $1 as? String, !s.isEmpty else { throw bad(key, $1, "expected a string") }
            $0[keyPath: kp] = s
        }
    }

    private static func paths(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, [String]> & Sendable, _ help: String
    )
        -> TrainingSetting
    {
        TrainingSetting(key: key, help: help, defaultText: nil, isList: true) {
            if let a = $1 as? [String] {
                $0[keyPath: kp] = a
            } else if let s = $1 as? String {
                $0[keyPath: kp] = [s]
            } else {
                throw bad(key, $1, "expected a list of paths")
            }
        }
    }

    private static func choice<E: RawRepresentable & CaseIterable>(
        _ key: String, _ kp: WritableKeyPath<TrainingConfiguration, E> & Sendable, _ help: String
    ) -> TrainingSetting where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return TrainingSetting(
            key: key, help: help + " " + names.joined(separator: ", ") + ".",
            defaultText: TrainingConfiguration()[keyPath: kp].rawValue, isList: false
        ) {
            // A number is read as its text: `"depthwise-kernel": 5` means "5".
            guard let s = ($1 as? String) ?? ($1 as? NSNumber).map({ "\($0)" }), let v = E(rawValue: s) else {
                throw bad(key, $1, "expected one of \(names.joined(separator: ", "))")
            }
            $0[keyPath: kp] = v
        }
    }
}
