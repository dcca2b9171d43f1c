import Foundation
import GoNetwork
import GoRecords
import NeuralNet

/// Training shards for other frameworks (docs/FORMATS.md, "Training shards"): the positions of
/// game archives as gonet's own loader makes them (planes6-v1, shuffled across games through its
/// shuffle buffer, optionally a random symmetry each), written in fixed-size safetensors files
/// that PyTorch or Keras read directly.
public struct ShardOptions: Sendable {
    /// The `*.games.zst` archives to read.
    public var archives: [String]
    /// Where the shards and `shards.json` go.
    public var directory: String
    /// Positions per shard (the last shard of a split holds the rest).
    public var positions = 8192
    /// A random one of the 8 symmetries per position (planes and policy target together).
    public var symmetries = false
    /// Games whose stable hash puts them in validation (GameSplit) go to `validation-*` shards.
    public var validationFraction = 0.0
    /// Seed of the shuffle and the symmetries.
    public var seed: UInt64 = 1
    /// Positions mixed before one is written: the training loader's default.
    public var shuffleBuffer = 200_000
    /// Add the final owners of counted games (`ownership_target`, `ownership_mask`).
    public var ownership = false

    /// Shards of `archives` in `directory` with the defaults.
    public init(archives: [String], directory: String) {
        self.archives = archives
        self.directory = directory
    }

    /// Positions per shard: 1 to 262,144 (a shard of 262,144 positions is 2.3 GB of planes).
    static let positionLimit = 1...262_144
}

/// Where `ShardWriter.write` is: the shard just written and the positions of its split so far.
public struct ShardProgress: Sendable {
    /// "train" or "validation".
    public var split: String
    /// The file just written.
    public var file: String
    /// Positions written to this split so far.
    public var positions: Int
}

/// What `ShardWriter.write` made.
public struct ShardSummary: Codable, Sendable, Equatable {
    /// The shards of one split.
    public struct Split: Codable, Sendable, Equatable {
        /// File names, in order.
        public var files: [String]
        /// Positions in all of them.
        public var positions: Int
        /// Games they come from.
        public var games: Int
    }
    /// `gonet-shard/1`.
    public var format = ShardWriter.format
    /// The planes' features (`planes6-v1`).
    public var features = NetworkFile.features
    /// Whether each position got a random symmetry.
    public var symmetries: Bool
    /// The seed used.
    public var seed: UInt64
    /// The archives read.
    public var archives: [String]
    /// The training shards.
    public var train: Split
    /// The validation shards, when asked.
    public var validation: Split?
    /// Records the archives hold but no loader can use, with the reason.
    public var skipped: [String]
}

/// Writes training shards (docs/FORMATS.md) for frameworks other than gonet.
public enum ShardWriter {
    /// The `format` metadata of a shard file.
    public static let format = "gonet-shard/1"

    /// Writes `train-00000.safetensors`, … (and `validation-…` when asked) and `shards.json`.
    public static func write(_ o: ShardOptions, progress: (ShardProgress) -> Void = { _ in }) throws -> ShardSummary {
        guard ShardOptions.positionLimit.contains(o.positions) else {
            throw TrainingError(
                .setting,
                "positions per shard must be \(ShardOptions.positionLimit.lowerBound) to \(ShardOptions.positionLimit.upperBound), not \(o.positions)"
            )
        }
        guard (0...1).contains(o.validationFraction) else {
            throw TrainingError(.setting, "the validation fraction must be 0 to 1, not \(o.validationFraction)")
        }
        try FileManager.default.createDirectory(atPath: o.directory, withIntermediateDirectories: true)
        var skipped: [String] = []
        let train = try split("train", validation: false, o, skipped: &skipped, progress: progress)
        let validation =
            o.validationFraction > 0
            ? try split("validation", validation: true, o, skipped: &skipped, progress: progress) : nil
        let summary = ShardSummary(
            symmetries: o.symmetries, seed: o.seed, archives: o.archives, train: train, validation: validation,
            skipped: skipped)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(
            to: URL(fileURLWithPath: (o.directory as NSString).appendingPathComponent("shards.json")), options: .atomic)
        return summary
    }

    private static func split(
        _ name: String, validation: Bool, _ o: ShardOptions, skipped: inout [String],
        progress: (ShardProgress) -> Void
    ) throws -> ShardSummary.Split {
        var c = LoaderConfiguration(files: o.archives)
        c.batchSize = o.positions
        c.shuffleBuffer = o.shuffleBuffer
        c.seed = o.seed &+ (validation ? 1 : 0)
        c.validationFraction = o.validationFraction
        c.validation = validation
        c.randomSymmetry = o.symmetries
        c.ownership = o.ownership
        c.epochs = 1
        let loader = try DataLoader(c)
        defer { loader.stop() }
        var files: [String] = []
        var positions = 0
        while let batch = loader.next() {
            let file = String(format: "%@-%05d.safetensors", name, files.count)
            try shard(batch, o, split: name).write(path: (o.directory as NSString).appendingPathComponent(file))
            files.append(file)
            positions += batch.count
            progress(ShardProgress(split: name, file: file, positions: positions))
        }
        let s = loader.statistics
        skipped += s.errors
        return ShardSummary.Split(files: files, positions: positions, games: s.games)
    }

    /// One shard: `planes` F32 [N, 6, 19, 19], `policy_target` I64 [N], `value_target` and
    /// `value_mask` F32 [N], `reply_target` I64 [N], `score_target` and `score_mask` F32 [N]; with
    /// the owners, `ownership_target` F32 [N, 19, 19] and `ownership_mask` F32 [N].
    static func shard(_ b: TrainingBatch, _ o: ShardOptions, split: String) -> SafeTensors {
        let n = b.count
        let points = Features.points
        let planes = Features.planes
        var nchw = [Float](repeating: 0, count: n * planes * points)
        if b.channelMajor {
            // The loader's [6][N·361] layout to [N][6][361].
            for p in 0..<planes {
                for s in 0..<n {
                    for i in 0..<points { nchw[(s * planes + p) * points + i] = b.planes[(p * n + s) * points + i] }
                }
            }
        } else {
            nchw = b.planes
        }
        var file = SafeTensors()
        file.set("planes", Tensor(shape: [n, planes, 19, 19], data: nchw))
        file.set("policy_target", int64: b.policyTargets.map(Int64.init), shape: [n])
        file.set("value_target", Tensor(shape: [n], data: b.valueTargets))
        file.set("value_mask", Tensor(shape: [n], data: b.valueMask))
        file.set("reply_target", int64: b.replyTargets.map(Int64.init), shape: [n])
        file.set("score_target", Tensor(shape: [n], data: b.scoreTargets))
        file.set("score_mask", Tensor(shape: [n], data: b.scoreMask))
        if o.ownership {
            file.set("ownership_target", Tensor(shape: [n, 19, 19], data: b.ownershipTargets))
            file.set("ownership_mask", Tensor(shape: [n], data: b.ownershipMask))
        }
        file.metadata = [
            "format": ShardWriter.format, "features": NetworkFile.features, "split": split,
            "symmetries": o.symmetries ? "random" : "none", "seed": String(o.seed),
        ]
        return file
    }
}
