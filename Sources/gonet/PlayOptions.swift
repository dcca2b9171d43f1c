import ArgumentParser
import Engine
import GoNetwork
import NeuralNet

/// How a network plays, shared by `gonet gtp`, `analysis` and `analyze`: the network file and
/// every knob of the search (each command has its own `--mode` and default).
struct PlayOptions: ParsableArguments {
    @Option(help: "The network file.") var network: String
    @Option(
        help: ArgumentHelp(
            "The network's ownership and score heads: a heads file, or none.",
            discussion: "Default: NAME.heads.safetensors beside the network NAME.safetensors, when it exists.",
            valueName: "file|none"))
    var heads = HeadsFile.Choice.beside
    @Option(help: "Playouts per move in mcts mode (default 400; with --seconds-per-move alone, no cap).")
    var visits: Int?
    @Option(
        help:
            "Seconds per move in mcts mode: the search runs this long unless --visits is reached first (the clock caps it too)."
    )
    var secondsPerMove: Double?
    @Option(help: .hidden) var timePerMove: Double?
    @Option(help: "Threads.") var threads = 2
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Leaves per network evaluation in mcts mode.") var batch = 8
    @Option(help: "MCTS: the PUCT exploration constant (values in -1…1).") var cpuct: Double?
    @Option(help: "MCTS: first-play urgency reduction.") var fpuReduction: Double?
    @Flag(
        inversion: .prefixedNo,
        help: "Use the 8 board symmetries (policy: average them; mcts: average the root, a random one per batch).")
    var symmetries = true
    @Option(help: "MCTS: share of random playouts in a leaf's value (0…1) from move 100 on (default 0.5).")
    var playoutWeight: Double?
    @Option(help: "MCTS: random playouts per leaf when the playout weight is above 0 (default 4).") var playoutsPerLeaf:
        Int?
    @Option(help: "From this move on, a winning player plays no stone the playouts expect to die (default 230).")
    var safePlayFromMove: Int?

    /// The network file with its heads, or the failure that names what is wrong.
    func loadNetwork(command: String) throws -> PolicyValueNetwork {
        try failing(command) {
            try HeadsFile.loadNetwork(path: network, heads: heads) { printError("\(command): heads not used: \($0)") }
        }
    }

    /// ", ownership and score heads" and the like, for the log line.
    static func headsDescription(_ net: PolicyValueNetwork) -> String {
        let h = net.analysisHeads
        let names = [h.contains(.ownership) ? "ownership" : nil, h.contains(.score) ? "score" : nil].compactMap { $0 }
        return names.isEmpty ? "" : ", \(names.joined(separator: " and ")) head\(names.count > 1 ? "s" : "")"
    }

    /// The seconds per move under either spelling (the old one with a notice).
    func secondsPerMove(command: String) -> Double? {
        if timePerMove != nil { printError("\(command): --time-per-move is now spelled --seconds-per-move") }
        return secondsPerMove ?? timePerMove
    }

    /// The settings these options give, playing in `mode`.
    func settings(command: String, mode: PlayMode) -> PlayerSettings {
        let seconds = secondsPerMove(command: command)
        var settings = PlayerSettings()
        settings.mode = mode
        settings.symmetries = symmetries
        settings.seed = seed
        settings.safePlayFromMove = safePlayFromMove ?? settings.safePlayFromMove
        // A time without visits is a search for that time, as in Leela Zero and KataGo.
        settings.search.visits = visits ?? (seconds == nil ? 400 : PlayerSettings.mostVisits)
        settings.search.seconds = seconds
        settings.search.batchSize = batch
        settings.search.cPuct = cpuct ?? settings.search.cPuct
        settings.search.fpuReduction = fpuReduction ?? settings.search.fpuReduction
        settings.search.playoutWeight = playoutWeight ?? settings.search.playoutWeight
        settings.search.playoutsPerLeaf = playoutsPerLeaf ?? settings.search.playoutsPerLeaf
        return settings
    }

    /// "mcts 400 visits" and the like, for the log line.
    func description(_ settings: PlayerSettings) -> String {
        var how = settings.mode.rawValue
        if settings.mode == .mcts {
            if let visits { how += " \(visits) visits" }
            if let s = settings.search.seconds { how += " \(s) s a move" }
            if visits == nil, settings.search.seconds == nil { how += " 400 visits" }
        }
        return how
    }
}

extension PlayMode: ExpressibleByArgument {}

extension HeadsFile.Choice: ExpressibleByArgument {
    /// `none`, or a heads file.
    public init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self = argument == "none" ? .none : .file(argument)
    }

    /// How `--help` names the default.
    public var defaultValueDescription: String { "beside the network" }
}
