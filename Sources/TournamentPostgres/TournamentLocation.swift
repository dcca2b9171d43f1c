import Foundation
import Tournament

/// Opens a tournament from what the user typed: a `postgres://` URL or a directory.
public enum TournamentLocation {
    /// Opens an existing tournament; `cache` is a PostgreSQL worker's local folder (default
    /// `~/.cache/gonet/USER@HOST-PORT-DB`).
    public static func open(_ location: String, cache: String? = nil) throws -> Tournament {
        if PostgresLocation.isURL(location) {
            let store = try PostgresStore(url: location)
            return try Tournament(store: store, workspace: cache ?? defaultCache(store.location))
        }
        return try Tournament.open(directory: location)
    }

    /// Opens a tournament, waiting while the database or directory holds none yet (a worker
    /// started before `tournament init` or `gonet match`): `waiting` hears once, then it looks
    /// again every `poll` seconds.
    public static func openWhenCreated(
        _ location: String, cache: String? = nil, poll: TimeInterval = 2, waiting: () -> Void
    ) throws -> Tournament {
        var told = false
        while true {
            let missing: Bool
            if PostgresLocation.isURL(location) {
                do { return try open(location, cache: cache) } catch let e as PostgresStoreError where e.noTournament {
                    missing = true
                }
            } else {
                missing = !FileManager.default.fileExists(
                    atPath: (location as NSString).appendingPathComponent("tournament.json"))
                if !missing { return try open(location, cache: cache) }
            }
            if missing, !told {
                waiting()
                told = true
            }
            Thread.sleep(forTimeInterval: poll)
        }
    }

    /// Creates a tournament: a new directory, or the schema and config in an empty database.
    public static func create(_ location: String, config: TournamentConfig, cache: String? = nil) throws -> Tournament {
        if PostgresLocation.isURL(location) {
            try config.validate()
            let store = try PostgresStore(url: location, creating: config)
            return try Tournament(store: store, workspace: cache ?? defaultCache(store.location))
        }
        return try Tournament.create(location, config: config)
    }

    /// Opens the match at `location` (a directory or a `postgres://` URL), creating it if it is new
    /// (unless `creating` is false).
    public static func match(
        _ location: String, settings: MatchSettings, cache: String? = nil, creating: Bool = true
    ) throws -> Match {
        guard PostgresLocation.isURL(location) else {
            return try Match.open(directory: location, settings: settings, creating: creating)
        }
        if !creating {
            return try Match(tournament: try open(location, cache: cache), settings: settings, registering: false)
        }
        let store = try PostgresStore(url: location, creating: try settings.config(), orOpening: true)
        let t = try Tournament(store: store, workspace: cache ?? defaultCache(store.location))
        return try Match(tournament: t, settings: settings)
    }

    static func defaultCache(_ l: PostgresLocation) -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"] ?? ((env["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
        let host = l.host.replacingOccurrences(of: "/", with: "_")
        return "\(base)/gonet/\(l.user)@\(host)-\(l.port)-\(l.database)"
    }
}
