import Foundation
import Tournament

/// `GET /api/standings`: ratings with 95% intervals, best first, and the crosstable.
struct APIStandings: Encodable {
    struct Row: Encodable {
        var rank: Int
        var entrant: String
        var elo: Double
        /// Half the 95% interval (null before an entrant has played).
        var interval: Double?
        var games: Int
        var score: Double
    }
    var updated: Date
    var games: Int
    var standings: [Row]
    /// crosstable.points[i][j]: points of standings[i] against standings[j] in crosstable.games[i][j] games.
    var crosstable: [String: [[Double]]]

    init(_ s: Snapshot) {
        updated = s.taken
        games = s.standings.games
        standings = s.standings.ratings.enumerated().map { i, r in
            Row(
                rank: i + 1, entrant: r.name, elo: (r.elo * 10).rounded() / 10,
                interval: r.interval.isFinite ? (r.interval * 10).rounded() / 10 : nil, games: r.games, score: r.score)
        }
        crosstable = [
            "points": s.standings.crosstable.map { $0.map(\.points) },
            "games": s.standings.crosstable.map { $0.map { Double($0.games) } },
        ]
    }
}

/// `GET /api/entrants`: every version of every entrant.
struct APIEntrant: Encodable {
    var id: Int64?
    var name: String
    var version: Int
    var label: String
    var kind: String
    var sha256: String?
    var parameters: Int?
    var architecture: String?
    var author: String?
    var added: Date
    /// The version that plays now.
    var current: Bool
    var withdrawn: Bool

    init(_ e: Entrant, in s: Snapshot) {
        id = e.id
        name = e.name
        version = e.version
        label = e.label
        kind = e.kind.rawValue
        sha256 = e.sha256
        parameters = e.parameters
        architecture = e.sha256.flatMap { s.architectures[$0] }
        author = e.author
        added = e.added
        current = s.current.contains(e.id ?? -1)
        withdrawn = s.settings.withdrawn.contains(e.id ?? -1)
    }
}

/// `GET /api/games`: every finished game.
struct APIGame: Encodable {
    var id: Int64?
    var black: String
    var white: String
    var result: String
    var winner: String
    var reason: String
    var moves: Int
    var seconds: Double
    var finished: Date
    var worker: String?
    var sgf: String

    init(_ g: GameRow, in s: Snapshot) {
        id = g.id
        black = s.entrant(g.black)?.label ?? "?"
        white = s.entrant(g.white)?.label ?? "?"
        result = g.result
        winner = g.winner
        reason = g.reason
        moves = g.moves
        seconds = g.seconds
        finished = g.finished
        worker = g.worker
        sgf = "/games/\(g.id ?? 0)/sgf"
    }
}

/// `GET /api/status`: games done, in flight and waiting, the ETA, the workers, the teacher's settings.
struct APIStatus: Encodable {
    struct Playing: Encodable {
        var slot: String
        var worker: String
        var since: Date
    }
    struct Worker: Encodable {
        var name: String
        var host: String
        var games: Int
        var lastSeen: Date
    }
    var done: Int
    var inFlight: [Playing]
    var waiting: Int
    /// Seconds until every scheduled game is played, at the pace of the last five minutes.
    var etaSeconds: Double?
    var gamesPerHour: Double
    var workers: [Worker]
    var paused: Bool
    var submissionsOpen: Bool
    var deadline: Date?

    init(_ s: Snapshot) {
        done = s.status.done
        inFlight = s.status.inFlight.map { Playing(slot: $0.slot, worker: $0.worker, since: $0.claimed) }
        waiting = s.status.waiting
        etaSeconds = StatusReport.eta(s.status, now: s.taken).map { $0.rounded() }
        gamesPerHour = (StatusReport.gamesPerHour(s.status, now: s.taken) * 10).rounded() / 10
        workers = s.status.workers.map { Worker(name: $0.name, host: $0.host, games: $0.games, lastSeen: $0.lastSeen) }
        paused = s.settings.paused
        submissionsOpen = s.settings.submissionsClosed(at: s.taken) == nil
        deadline = s.settings.deadline
    }
}

/// The answer to `POST /api/submissions`.
struct APIVerdict: Encodable {
    struct Check: Encodable {
        var name: String
        /// passed, failed or not run.
        var outcome: String
        var detail: String?
    }
    struct Version: Encodable {
        var name: String
        var version: Int
    }
    var accepted: Bool
    var reasons: [String]
    var checks: [Check]
    var entrant: Version?
    var sha256: String
    /// The verdict as `gonet net check` prints it.
    var text: String

    init(_ v: SubmissionVerdict, entrant e: Entrant?, sha256: String) {
        accepted = v.accepted && e != nil
        reasons = v.reasons
        checks = v.checks.map { c in
            switch c.outcome {
            case .passed(let d): Check(name: c.name, outcome: "passed", detail: d)
            case .failed(let d): Check(name: c.name, outcome: "failed", detail: d)
            case .notRun: Check(name: c.name, outcome: "not run", detail: nil)
            }
        }
        entrant = e.map { Version(name: $0.name, version: $0.version) }
        self.sha256 = sha256
        text = v.text
    }
}

/// `GET /api/me`: the signed-in student and their submissions.
struct APIMe: Encodable {
    var name: String
    var role: String
    var submissions: [SubmissionRecord]
}
