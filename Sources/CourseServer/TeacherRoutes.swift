import Foundation
import Hummingbird
import NIOCore
import Tournament

extension CourseServer {
    /// The teacher's page and API: settings, withdrawing versions, downloads.
    func addTeacher(to router: Router<CourseContext>) {
        router.get("/teacher") { request, context in
            guard let (t, csrf) = try await self.teacher(request, context) else { return Reply.redirect("/signin") }
            return Reply.html(Pages.teacher(t, csrf: csrf ?? "", self.cache.get()))
        }
        for action in ["settings", "withdraw", "restore"] {
            router.post(RouterPath("/teacher/\(action)")) { request, context in
                var request = request
                guard let (_, csrf) = try await self.teacher(request, context), let csrf else {
                    return Reply.redirect("/signin")
                }
                let fields = formFields(try await request.collectBody(upTo: context.maxUploadSize))
                guard fields["csrf"] == csrf else {
                    return Reply.html(
                        Pages.problem("Refused", "the form is out of date: reload the page", self.cache.get(), .init()),
                        .forbidden)
                }
                do {
                    try await self.apply(action, form: fields)
                } catch let p as ServerProblem {
                    return Reply.html(Pages.problem("Refused", p.message, self.cache.get(), .init()), p.status)
                }
                return Reply.redirect("/teacher")
            }
            router.post(RouterPath("/api/teacher/\(action)")) { request, context in
                try await self.answering {
                    var request = request
                    guard try await self.bearer(request, context)?.role == .teacher else {
                        throw ServerProblem(.forbidden, "only the teacher's token may change the tournament")
                    }
                    let body = try await request.collectBody(upTo: context.maxUploadSize)
                    guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
                    else {
                        throw ServerProblem(.badRequest, "the body must be a JSON object")
                    }
                    try await self.apply(action, json: json)
                    let cache = self.cache
                    return Reply.json(try await self.blocking { cache.refresh() }.statusJSON)
                }
            }
        }
        router.get("/teacher/download/:file") { request, context in
            try await self.answering {
                guard try await self.teacher(request, context) != nil else {
                    throw ServerProblem(.forbidden, "only the teacher downloads the tournament")
                }
                return try await self.download(context.parameters.get("file") ?? "")
            }
        }
    }

    /// The signed-in teacher (login or token); nil for anyone else.
    private func teacher(_ request: Request, _ context: CourseContext) async throws -> (Student, csrf: String?)? {
        guard let (s, csrf) = try await signedIn(request, context), s.role == .teacher else { return nil }
        return (s, csrf)
    }

    /// A change from the teacher's form (checkboxes absent when off).
    private func apply(_ action: String, form: [String: String]) async throws {
        var json: [String: Any] = [:]
        if action == "settings" {
            json["submissionsOpen"] = form["open"] == "1"
            json["paused"] = form["paused"] == "1"
            json["publicPages"] = form["public"] == "1"
            let d = (form["deadline"] ?? "").trimmingCharacters(in: .whitespaces)
            json["deadline"] = d.isEmpty ? NSNull() : d
        } else {
            json["entrant"] = Int64(form["entrant"] ?? "") ?? -1
        }
        try await apply(action, json: json)
    }

    /// A change from the teacher: `settings` merges the keys given (`submissionsOpen`, `deadline`
    /// as ISO 8601 or null, `paused`, `publicPages`); `withdraw` and `restore` take `entrant`, an id.
    private func apply(_ action: String, json: [String: Any]) async throws {
        let t = tournament
        if action == "settings" {
            let known: Set = ["submissionsOpen", "deadline", "paused", "publicPages"]
            if let unknown = json.keys.first(where: { !known.contains($0) }) {
                throw ServerProblem(
                    .badRequest, "unknown setting \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))")
            }
            var deadline: Date??
            if let d = json["deadline"] {
                if d is NSNull {
                    deadline = .some(nil)
                } else if let text = d as? String, let date = ISO8601DateFormatter().date(from: text) {
                    deadline = date
                } else {
                    throw ServerProblem(
                        .badRequest, "deadline must be an ISO 8601 time such as 2026-12-24T18:00:00Z, or null")
                }
            }
            var flags: [String: Bool] = [:]
            for key in ["submissionsOpen", "paused", "publicPages"] {
                guard let v = json[key] else { continue }
                guard let b = v as? Bool else { throw ServerProblem(.badRequest, "\(key) must be true or false") }
                flags[key] = b
            }
            let (set, date) = (flags, deadline)
            try await blocking {
                var s = try t.store.courseSettings()
                if let open = set["submissionsOpen"] { s.submissionsOpen = open }
                if let paused = set["paused"] { s.paused = paused }
                if let publicPages = set["publicPages"] { s.publicPages = publicPages }
                if let date { s.deadline = date }
                try t.store.setCourseSettings(s)
            }
        } else {
            guard let id = (json["entrant"] as? NSNumber)?.int64Value else {
                throw ServerProblem(.badRequest, "give the entrant's id: {\"entrant\": 3}")
            }
            do {
                try await blocking { try t.setWithdrawn(id, action == "withdraw") }
            } catch let e as TournamentError {
                throw ServerProblem(.notFound, e.message)
            }
        }
        logger.notice("teacher: \(action)")
        let cache = cache
        try await blocking { cache.refresh() }
    }

    /// Everything the teacher may take away: every game's SGF, the report, the submissions with
    /// their verdicts, the SQLite store itself.
    private func download(_ file: String) async throws -> Response {
        let t = tournament
        let title = settings.title
        switch file {
        case "games.tar":
            let files = try await blocking {
                try t.store.games().map { g in
                    (name: "game-\(g.id ?? 0).sgf", bytes: Array((try t.store.record(of: g) ?? "").utf8))
                }
            }
            return Reply.file(TarArchive.make(files), type: "application/x-tar", name: "games.tar")
        case "report.html":
            let html = try await blocking {
                HTMLReport.html(
                    title: title, config: t.config, entrants: try t.store.ranked(), games: try t.store.games(),
                    record: { try? t.store.record(of: $0) })
            }
            return Reply.file(Array(html.utf8), type: "text/html; charset=utf-8", name: "report.html")
        case "submissions.json":
            let subs = try await blocking { try t.store.submissions() }
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            return Reply.file(Array(try encoder.encode(subs)), type: "application/json", name: "submissions.json")
        case "tournament.sqlite":
            guard let sqlite = t.store as? SQLiteStore else {
                throw ServerProblem(.notFound, "the store is PostgreSQL: back it up with pg_dump")
            }
            let bytes = try await blocking { try sqlite.backup() }
            return Reply.file(bytes, type: "application/vnd.sqlite3", name: "tournament.sqlite")
        default:
            throw ServerProblem(
                .notFound, "downloads: games.tar, report.html, submissions.json, tournament.sqlite")
        }
    }
}
