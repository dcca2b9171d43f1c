import Foundation

/// One line of the training log: a log interval or a validation pass.
public struct LogEntry: Sendable, Equatable {
    /// A log interval or a validation pass.
    public enum Kind: String, Sendable { case train, validation }
    /// Which.
    public var kind: Kind
    /// Optimizer steps done.
    public var step: Int
    /// Samples seen.
    public var samples: Int
    /// Seconds of training since the run began (resumes continue the count).
    public var elapsed: Double
    /// The learning rate at that step.
    public var lr: Float
    /// What was measured.
    public var metrics: Metrics

    /// An entry of these figures.
    public init(kind: Kind, step: Int, samples: Int, elapsed: Double, lr: Float, metrics: Metrics) {
        self.kind = kind
        self.step = step
        self.samples = samples
        self.elapsed = elapsed
        self.lr = lr
        self.metrics = metrics
    }

    /// The entry as one JSON line.
    public var json: String {
        var d: [String: Any] = [
            "kind": kind.rawValue, "step": step, "samples": samples, "elapsed_s": (elapsed * 10).rounded() / 10,
            "lr": Double(lr),
        ]
        for (k, v) in metrics.json { d[k] = (v * 1e6).rounded() / 1e6 }
        let data = try! JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a line written by `json` (for plots of resumed runs).
    public init?(json line: String) {
        guard let d = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let kind = (d["kind"] as? String).flatMap(Kind.init(rawValue:)),
            let step = d["step"] as? Int, let elapsed = d["elapsed_s"] as? Double
        else { return nil }
        var m = Metrics()
        let positions = (d["positions"] as? Double).map(Int.init) ?? 0
        m.positions = positions
        m.policyLossSum = ((d["policy_loss"] as? Double) ?? 0) * Double(positions)
        m.top1 = Int((((d["top1"] as? Double) ?? 0) * Double(positions)).rounded())
        m.top5 = Int((((d["top5"] as? Double) ?? 0) * Double(positions)).rounded())
        m.valued = positions
        m.valueSquaredError = ((d["value_mse"] as? Double) ?? 0) * Double(positions)
        if let loss = d["loss"] as? Double {
            m.batches = 1
            m.lossSum = loss
            m.replyLossSum = (d["reply_loss"] as? Double) ?? 0
            m.scoreLossSum = (d["score_loss"] as? Double) ?? 0
            m.ownershipLossSum = (d["ownership_loss"] as? Double) ?? 0
        }
        // The analysis heads' measurements, as one position and one point standing for all.
        if let error = d["score_error"] as? Double {
            m.scored = 1
            m.scoreErrorSum = error
        }
        if let accuracy = d["ownership_accuracy"] as? Double {
            m.ownedPoints = 1_000_000
            m.ownedRight = Int((accuracy * 1_000_000).rounded())
        }
        self.init(
            kind: kind, step: step, samples: (d["samples"] as? Int) ?? 0, elapsed: elapsed,
            lr: Float((d["lr"] as? Double) ?? 0), metrics: m)
    }
}

/// Appends log lines to a JSONL file, flushing each one.
public final class TrainingLog {
    /// The JSONL file.
    public let path: String
    let handle: FileHandle
    /// Every entry, those read back on resume included.
    public private(set) var entries: [LogEntry] = []

    /// Opens the log; when resuming, earlier entries are read back and kept.
    public init(path: String, resume: Bool) throws {
        self.path = path
        if resume, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            entries = text.split(separator: "\n").compactMap { LogEntry(json: String($0)) }
        } else {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw TrainingError(.file, "\(path): cannot write the training log")
        }
        handle = h
        if !resume { handle.truncateFile(atOffset: 0) }
        handle.seekToEndOfFile()
    }

    /// Writes one entry as a JSON line and flushes it.
    public func append(_ e: LogEntry) {
        entries.append(e)
        handle.write(Data((e.json + "\n").utf8))
    }
}
