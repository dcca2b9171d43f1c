import Foundation
import GoNetwork

/// One side of a match, or how a tournament's network entrant plays: a gonet network with its
/// mode, or any GTP engine's command line.
public enum EngineSpec: Sendable, Equatable {
    /// A network file, played by `gonet gtp` in `mode` with `visits` per move (mcts; nil: a search
    /// for the time the command's `seconds` allow).
    case network(path: String, mode: PlayMode, visits: Int?)
    /// An external engine's command line, run without a shell.
    case command([String])

    /// Reads `FILE.safetensors[:policy|:mcts[:VISITS]]`, or else a GTP command line
    /// (`"gnugo --mode gtp --level 10"`, quotes honoured).
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let file = parts.first, file.hasSuffix(".safetensors"), !file.contains(" ") {
            guard FileManager.default.fileExists(atPath: file) else {
                throw TournamentError("\(file): no such network file")
            }
            let name = parts.count > 1 ? parts[1] : "policy"
            guard let mode = PlayMode(rawValue: name) else {
                throw TournamentError("\(text): the mode is policy or mcts, not \(name)")
            }
            var visits = 400
            if parts.count > 2 {
                guard mode == .mcts, let v = Int(parts[2]), (1...1_000_000).contains(v), parts.count == 3 else {
                    throw TournamentError("\(text): write FILE.safetensors:mcts:VISITS with 1 to 1000000 visits")
                }
                visits = v
            }
            let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
            self = .network(path: absolute, mode: mode, visits: visits)
        } else {
            let words = Submission.words(text)
            if let why = Submission.engineProblem(words) {
                throw TournamentError("engine \"\(text)\" is refused: \(why)")
            }
            self = .command(words)
        }
    }

    /// A short name for reports: the network file's name with its mode, or the command line.
    public var label: String {
        switch self {
        case .network(let path, let mode, let visits):
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            return mode == .mcts ? "\(name) mcts \(visits.map(String.init) ?? "by time")" : "\(name) policy"
        case .command(let words): return words.joined(separator: " ")
        }
    }

    /// The command that starts it as a GTP engine; `gonet` is this executable, `seconds` the time
    /// a search may take (a network searching by time).
    public func command(
        gonet: String, name: String, seed: UInt64, resignThreshold: Double? = nil, seconds: Double? = nil
    ) -> [String] {
        switch self {
        case .command(let words): return words
        case .network(let path, let mode, let visits):
            // One thread per engine: games run side by side, one per core.
            var cmd = [
                gonet, "gtp", "--network", path, "--mode", mode.rawValue, "--threads", "1", "--name", name, "--seed",
                String(seed),
            ]
            if mode == .mcts, let visits { cmd += ["--visits", String(visits)] }
            if mode == .mcts, let seconds { cmd += ["--seconds-per-move", String(seconds)] }
            if let r = resignThreshold { cmd += ["--resign-threshold", String(r)] }
            return cmd
        }
    }
}
