import Foundation
import GoNetwork

/// A registered player: a network (its bytes kept by the store, named by sha256) or an external
/// GTP engine.
public struct Entrant: Codable, Sendable, Equatable {
    /// The store's id (nil before it is added).
    public var id: Int64?
    /// A unique name.
    public var name: String
    /// 1 for the first submission of a name, then 2, 3, …
    public var version: Int
    /// What an entrant is; stored as its name ("network", "engine").
    public enum Kind: String, Codable, Sendable {
        /// A network file, played by `gonet gtp`.
        case network
        /// An external GTP engine's command line.
        case engine
    }

    /// A network or an engine.
    public var kind: Kind
    /// The network's copy inside a tournament directory (SQLite backend; nil in PostgreSQL).
    public var path: String?
    /// The command line, as a JSON array (engines); for a network, nil or its own way to play
    /// (`NetworkPlay` as JSON, a match's side), which overrides the config's.
    public var command: String?
    /// The network file's sha256 (nil for a GTP engine).
    public var sha256: String?
    /// Who submitted it.
    public var author: String?
    /// The network's parameter count.
    public var parameters: Int?
    /// When it was submitted.
    public var added: Date

    /// An entrant not yet added (the store gives it an id).
    public init(
        id: Int64? = nil, name: String, version: Int = 0, kind: Kind, path: String? = nil, command: String? = nil,
        sha256: String? = nil, author: String? = nil, parameters: Int? = nil, added: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.kind = kind
        self.path = path
        self.command = command
        self.sha256 = sha256
        self.author = author
        self.parameters = parameters
        self.added = added
    }

    /// `name v2`.
    public var label: String { version == 1 ? name : "\(name) v\(version)" }

    /// An engine's command line.
    public func commandWords() throws -> [String] {
        guard let data = command?.data(using: .utf8),
            let words = try? JSONSerialization.jsonObject(with: data) as? [String], !words.isEmpty
        else {
            throw TournamentError("entrant \(label) has no command")
        }
        return words
    }

    /// A network's own way to play (nil: it plays as the config says). Stored as JSON
    /// (`{"mode":"mcts","visits":400}`); the command-line words of older tournaments
    /// (`["--mode", "mcts", "--visits", "400"]`) are read too. Visits beyond 1…1,000,000 are
    /// refused, since workers pass them to `gonet gtp`.
    public func networkPlay() throws -> NetworkPlay? {
        guard kind == .network, let text = command else { return nil }
        let play: NetworkPlay
        if let p = try? JSONDecoder().decode(NetworkPlay.self, from: Data(text.utf8)) {
            play = p
        } else {
            let words = try commandWords()
            guard words.count == 2 || words.count == 4, words[0] == "--mode", let mode = PlayMode(rawValue: words[1]),
                words.count == 2 || words[2] == "--visits"
            else {
                throw TournamentError("entrant \(label)'s way to play is not a mode and visits: \(text)")
            }
            play = NetworkPlay(mode: mode, visits: words.count == 4 ? Int(words[3]) ?? -1 : nil)
        }
        if let v = play.visits, !(1...1_000_000).contains(v) {
            throw TournamentError("entrant \(label)'s visits must be 1 to 1000000: \(text)")
        }
        return play
    }

    /// The latest version of each name among `all`: who plays next.
    public static func current(_ all: [Entrant]) -> [Entrant] {
        var latest: [String: Int] = [:]
        for e in all { latest[e.name] = max(latest[e.name] ?? 0, e.version) }
        return all.filter { latest[$0.name] == $0.version }
    }
}

/// How a network entrant plays when it has its own way (a side of a match), overriding the
/// tournament's `networkMode` and `visits`.
public struct NetworkPlay: Codable, Sendable, Equatable {
    /// Policy or search.
    public var mode: PlayMode
    /// Visits a move when searching (nil: the time a move allows).
    public var visits: Int?

    /// A way to play.
    public init(mode: PlayMode, visits: Int?) {
        self.mode = mode
        self.visits = visits
    }

    /// The JSON kept in `Entrant.command`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// One finished game.
public struct GameRow: Codable, Sendable, Equatable {
    /// The store's id (nil before it is committed).
    public var id: Int64?
    /// The schedule slot this game fills: "A-B-K", the pairing's two entrant ids and the game's
    /// number within the pairing (colours alternate with K); unique.
    public var slot: String
    /// The entrant with Black.
    public var black: Int64
    /// The entrant with White.
    public var white: Int64
    /// SGF's result: "B+R", "W+12.5", "0", "B+F" (forfeit), "W+T" (time).
    public var result: String
    /// "B", "W" or "" for a draw.
    public var winner: String
    /// Why it ended: "two passes", "resignation", "move cap", "illegal move by …", "timeout", "crash", …
    public var reason: String
    /// Moves played.
    public var moves: Int
    /// The SGF file's name (`games/…sgf`, inside a tournament directory).
    public var sgf: String
    /// Seconds the game took.
    public var seconds: Double
    /// When it ended.
    public var finished: Date
    /// The worker that played it (nil for games from before workers).
    public var worker: String?

    /// A finished game's row.
    public init(
        id: Int64? = nil, slot: String, black: Int64, white: Int64, result: String, winner: String, reason: String,
        moves: Int, sgf: String, seconds: Double, finished: Date = Date(), worker: String? = nil
    ) {
        self.id = id
        self.slot = slot
        self.black = black
        self.white = white
        self.result = result
        self.winner = winner
        self.reason = reason
        self.moves = moves
        self.sgf = sgf
        self.seconds = seconds
        self.finished = finished
        self.worker = worker
    }
}
