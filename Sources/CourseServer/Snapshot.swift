import Foundation
import GoNetwork
import Tournament

/// Everything the public pages show, read from the store at most once a second and shared by
/// every request, so that a crowd reloading the standings costs the store one read a second.
/// The JSON answers and the front page's live part are made once per snapshot.
struct Snapshot: Sendable {
    var taken: Date
    var config: TournamentConfig
    var entrants: [Entrant]
    var current: Set<Int64>
    var ranked: [Entrant]
    var games: [GameRow]
    var status: StoreStatus
    var settings: CourseSettings
    var students: [Student]
    var standings: Standings
    /// Architecture in words, by sha256.
    var architectures: [String: String]
    var standingsJSON = Data()
    var entrantsJSON = Data()
    var gamesJSON = Data()
    var statusJSON = Data()
    /// The front page's live part, the same for every visitor: rendered once per snapshot.
    var liveHTML = ""

    /// Reads the store; `architectures` carries the descriptions of networks already read.
    init(tournament t: Tournament, architectures known: [String: String]) throws {
        taken = Date()
        let store = t.store
        config = t.config
        settings = try store.courseSettings()
        entrants = try store.entrants()
        let withdrawn = Set(settings.withdrawn)
        ranked = entrants.filter { !withdrawn.contains($0.id ?? -1) }
        current = Set(Entrant.current(ranked).compactMap(\.id))
        games = try store.games()
        status = try store.status()
        students = try store.students()
        standings = Standings(entrants: ranked, games: games)
        var archs = known
        for e in entrants where e.kind == .network {
            guard let sha = e.sha256, archs[sha] == nil else { continue }
            // A network that cannot be read here says so instead of failing the page.
            archs[sha] =
                (try? NetworkFile.load(path: t.networkFile(for: e)).architecture.summary) ?? "unreadable here"
        }
        architectures = archs
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        standingsJSON = try encoder.encode(APIStandings(self))
        entrantsJSON = try encoder.encode(entrants.map { APIEntrant($0, in: self) })
        gamesJSON = try encoder.encode(games.map { APIGame($0, in: self) })
        statusJSON = try encoder.encode(APIStatus(self))
        liveHTML = Pages.live(self)
    }

    func entrant(_ id: Int64) -> Entrant? { entrants.first { $0.id == id } }
    func student(_ id: Int64) -> Student? { students.first { $0.id == id && $0.revoked == nil } }
}

/// The snapshot now, renewed in the background.
///
/// Sendable: `latest` and `refreshing` are read and written under `lock`; a snapshot is a value.
final class SnapshotCache: @unchecked Sendable {
    /// The standings shown are at most this old: one store read a second whatever the traffic.
    static let maxAge: TimeInterval = 1
    private let lock = NSLock()
    private var latest: Snapshot
    private var refreshing = false
    private let tournament: Tournament

    init(tournament: Tournament) throws {
        self.tournament = tournament
        latest = try Snapshot(tournament: tournament, architectures: [:])
    }

    /// The latest snapshot; an old one starts a refresh that later requests see.
    func get() -> Snapshot {
        let (s, stale) = lock.withLock { () -> (Snapshot, Bool) in
            let stale = !refreshing && Date().timeIntervalSince(latest.taken) > Self.maxAge
            if stale { refreshing = true }
            return (latest, stale)
        }
        if stale { Thread.detachNewThread { [self] in refresh() } }
        return s
    }

    /// Reads the store again now (after a submission or a teacher's change); a store that
    /// cannot be read keeps the last good snapshot.
    @discardableResult
    func refresh() -> Snapshot {
        let known = lock.withLock { latest.architectures }
        let fresh = try? Snapshot(tournament: tournament, architectures: known)
        return lock.withLock {
            if let fresh { latest = fresh }
            refreshing = false
            return latest
        }
    }
}
