import ArgumentParser
import Foundation
import TournamentPostgres

struct BenchTournament: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tournament",
        abstract: "Claims + commits per second of the tournament stores with instant fake games, 1 to 16 workers.",
        discussion: """
            SQLite always; PostgreSQL with --postgres URL (a server where the user may create databases, \
            e.g. url=$(scripts/pg-throwaway start /tmp/pgbench --durable)).

            EXAMPLES:
              gonet bench tournament
              gonet bench tournament --postgres "$url" --workers 1 4 16
            """)
    @Option(help: "A PostgreSQL server to measure (databases are created and dropped there).") var postgres: String?
    @Option(parsing: .upToNextOption, help: "Worker counts.") var workers: [Int] = [1, 4, 16]
    @Option(help: "Games per measurement.") var games = 2000

    func validate() throws {
        guard workers.allSatisfy({ (1...256).contains($0) }) else { throw ValidationError("workers are 1 to 256") }
        guard (1...1_000_000).contains(games) else { throw ValidationError("--games is 1 to 1000000") }
    }

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-bench-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        print("backend      workers   games   seconds   games/s")
        try failing {
            for w in workers {
                show(try StoreBenchmark.sqlite(workers: w, games: games, scratch: scratch))
            }
            if let postgres {
                for w in workers { show(try StoreBenchmark.postgres(workers: w, games: games, url: postgres)) }
            }
        }
    }

    private func show(_ f: StoreBenchmark.Figure) {
        print(
            "\(f.backend.padding(toLength: 12, withPad: " ", startingAt: 0)) \(String(format: "%7d %7d %9.2f %9.0f", f.workers, f.games, f.seconds, f.gamesPerSecond))"
        )
        fflush(nil)
    }
}
