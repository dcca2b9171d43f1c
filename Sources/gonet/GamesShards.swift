import ArgumentParser
import Training

struct GamesShards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards",
        abstract:
            "Write training shards (safetensors: planes, policy_target, value_target, value_mask) for PyTorch or Keras.",
        discussion: """
            docs/FORMATS.md describes the shards; examples/pytorch/train_gonet.py trains a network on them.

            EXAMPLES:
              gonet games shards sample.games.zst -o shards --positions 16384 --validation-fraction 0.05
            """)
    @Argument(help: "Game archives (*.games.zst).") var archives: [String]
    @Option(name: .shortAndLong, help: "The directory to write.") var output: String
    @Option(help: "Positions per shard (the last of each split holds the rest).") var positions = 8192
    @Flag(help: "A random one of the 8 symmetries per position.") var symmetries = false
    @Option(help: "Fraction of games (by a stable hash) written as validation-*.safetensors.")
    var validationFraction = 0.0
    @Option(help: "Random seed (shuffle and symmetries).") var seed: UInt64 = 1
    @Flag(help: "Add who owns each point at the end of counted games (ownership_target, ownership_mask).")
    var ownership = false

    func run() throws {
        var o = ShardOptions(archives: archives, directory: output)
        o.positions = positions
        o.symmetries = symmetries
        o.validationFraction = validationFraction
        o.seed = seed
        o.ownership = ownership
        // The positions of each split, counted from the records, for the bar.
        let train = Evaluator.countPositions(files: archives, validationFraction: validationFraction, validation: false)
        let held = Evaluator.countPositions(files: archives, validationFraction: validationFraction, validation: true)
        let bar = ProgressBar(label: "shards")
        let s = try failing {
            try ShardWriter.write(o) { p in
                let total = max(1, p.split == "train" ? train : held)
                bar.update(
                    fraction: Double(p.positions) / Double(total),
                    text: "\(p.split): \(Report.count(p.positions)) positions, \(p.file)")
            }
        }
        bar.finish()
        print(
            "\(s.train.positions) training positions from \(s.train.games) games in \(s.train.files.count) shards"
                + (s.validation.map { ", \($0.positions) validation positions from \($0.games) games" } ?? "")
        )
        for why in s.skipped { print("skipped: \(why)") }
    }
}
