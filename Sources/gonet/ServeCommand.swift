import ArgumentParser
import CourseServer
import Foundation
import Tournament
import TournamentPostgres

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve a course tournament on the web: students upload networks, everyone watches, the teacher runs it.",
        discussion: """
            Students sign in with the token `gonet tournament students add` printed for them and hand in networks \
            through a form or POST /api/submissions; each file is checked as `gonet net check` does and an accepted \
            one becomes the student's next version. Standings, games and entrants update live. The teacher (added \
            with --teacher) opens and closes submissions, pauses play, withdraws versions and downloads everything. \
            docs/course.md has the API, HTTPS and the reverse-proxy setup.

            EXAMPLES:
              gonet serve course --play 2
              gonet serve course --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem
              gonet serve postgres://teacher@db.lab/cup --port 8080
            """)
    @Argument(help: locationHelp) var tournament: String
    @Option(help: "Address to listen on (0.0.0.0: every interface).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Games the server plays itself at once (0: only workers play).") var play = 0
    @Option(help: "Largest upload in MB.") var uploadLimit = 50
    @Option(help: "PEM certificate chain: serve HTTPS (with --tls-key).") var tlsCert: String?
    @Option(help: "PEM private key of --tls-cert.") var tlsKey: String?
    @Flag(help: "Mark cookies Secure without --tls-cert: the server is behind an HTTPS reverse proxy.")
    var behindHttps = false
    @Option(help: "The pages' title (default: gonet tournament NAME).") var title: String?
    @Option(help: "Folder for a PostgreSQL tournament's networks, logs and uploads.") var cache: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1 to 65535") }
        guard (0...256).contains(play) else { throw ValidationError("--play must be 0 to 256") }
        guard (1...2048).contains(uploadLimit) else { throw ValidationError("--upload-limit must be 1 to 2048 MB") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() throws {
        let t = try openTournament(tournament, cache: cache)
        var s = ServerSettings()
        s.host = host
        s.port = port
        s.play = min(play, ProcessInfo.processInfo.activeProcessorCount)
        s.uploadLimit = uploadLimit * 1024 * 1024
        s.tlsCertificate = tlsCert
        s.tlsKey = tlsKey
        s.secureCookies = tlsCert != nil || behindHttps
        s.gonet = gonetExecutable()
        let name =
            PostgresLocation.isURL(tournament)
            ? ((try? PostgresLocation(url: tournament))?.database ?? "tournament")
            : URL(fileURLWithPath: tournament).lastPathComponent
        s.title = title ?? "gonet tournament \(name)"
        let server = try failing { try CourseServer(tournament: t, settings: s) }
        let students = try failing { try t.store.students().filter { $0.revoked == nil } }
        let scheme = tlsCert == nil ? "http" : "https"
        print(
            "serving \(PostgresLocation.isURL(tournament) ? PostgresLocation.redacted(tournament) : tournament) at \(scheme)://\(host):\(port)/ (\(students.filter { $0.role == .student }.count) students\(play > 0 ? ", playing \(s.play) games at once" : ""))"
        )
        if !students.contains(where: { $0.role == .teacher }) {
            print("no teacher yet: gonet tournament students add \(tournament) NAME --teacher")
        }
        let done = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task {
            do { try await server.run() } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let error = failure.error {
            printError("gonet serve: \(error)")
            throw ExitCode(1)
        }
    }

    /// Sendable: written by the server's task before it signals, read after the wait.
    private final class Failure: @unchecked Sendable { var error: Error? }
}
