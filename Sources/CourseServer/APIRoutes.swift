import Foundation
import Hummingbird
import NIOCore
import Tournament

extension CourseServer {
    /// The JSON API (docs/course.md): standings, entrants, games, status, a student's own
    /// submissions, and handing in a network.
    func addAPI(to router: Router<CourseContext>) {
        let api = router.group("api")
        for (path, part) in [
            ("standings", \Snapshot.standingsJSON), ("entrants", \Snapshot.entrantsJSON),
            ("games", \Snapshot.gamesJSON), ("status", \Snapshot.statusJSON),
        ] {
            api.get(RouterPath(path)) { request, context in
                try await self.answering {
                    let s = self.cache.get()
                    guard try await self.mayView(request, context, s) else {
                        throw ServerProblem(.unauthorized, "this tournament shows its pages to signed-in people only")
                    }
                    return Reply.json(s[keyPath: part])
                }
            }
        }
        api.get("me") { request, context in
            try await self.answering {
                guard let (st, _) = try await self.signedIn(request, context) else {
                    throw ServerProblem(.unauthorized, "sign in: Authorization: Bearer TOKEN")
                }
                let store = self.tournament.store
                let mine = try await self.blocking { try store.submissions() }.filter { $0.student == st.name }
                return Reply.json(APIMe(name: st.name, role: st.role.rawValue, submissions: mine))
            }
        }
        api.post("submissions") { request, context in
            try await self.answering {
                guard let st = try await self.bearer(request, context) else {
                    throw ServerProblem(.unauthorized, "sign in: Authorization: Bearer TOKEN")
                }
                let (outcome, _) = try await self.receive(request, context, from: st) { _ in }
                return Reply.json(
                    APIVerdict(outcome.verdict, entrant: outcome.entrant, sha256: outcome.sha256),
                    outcome.entrant == nil ? .unprocessableContent : .ok)
            }
        }
    }

    /// Runs an API handler; a refusal becomes `{"error": …}` with its status.
    func answering(_ body: () async throws -> Response) async throws -> Response {
        do { return try await body() } catch let p as ServerProblem { return Reply.error(p) }
    }

    /// Receives an upload from `student`: rate limit, size limit, the multipart body streamed to a
    /// temporary file, `validate` on the small fields, then the intake's checks. The tournament is
    /// untouched unless the file is accepted.
    func receive(
        _ request: Request, _ context: CourseContext, from student: Student,
        validate: ([String: String]) throws -> Void
    ) async throws -> (Intake.Outcome, [String: String]) {
        guard uploads.allow(student.name) else {
            let after = uploads.retryAfter(student.name)
            throw ServerProblem(.tooManyRequests, "too many uploads: try again in \(after) s", retryAfter: after)
        }
        let limit = settings.uploadLimit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit + 64 * 1024 {
            throw ServerProblem(.contentTooLarge, "the upload is \(length) bytes; the limit is \(limit)")
        }
        guard let type = request.headers[.contentType] else {
            throw ServerProblem(.unsupportedMediaType, "send the file as multipart/form-data in a field named network")
        }
        let temporary = (tournament.workspace as NSString).appendingPathComponent(
            "uploads/incoming-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(
            atPath: (temporary as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard fm.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw ServerProblem(.internalServerError, "the server cannot write its uploads folder")
        }
        var taken = false
        defer { if !taken { try? fm.removeItem(atPath: temporary) } }
        let result: MultipartReader.Result
        do {
            defer { try? handle.close() }
            var reader = try MultipartReader(contentType: type, fileField: "network", limit: limit, output: handle)
            for try await buffer in request.body { try reader.feed(buffer.readableBytesView) }
            result = try reader.finish()
        } catch MultipartReader.Failure.tooLarge(let limit) {
            throw ServerProblem(.contentTooLarge, "the upload exceeds the limit of \(limit) bytes")
        } catch MultipartReader.Failure.malformed(let why) {
            throw ServerProblem(.badRequest, "the upload is not a multipart form: \(why)")
        }
        try validate(result.fields)
        guard let name = result.fileName, result.fileSize > 0 else {
            throw ServerProblem(.badRequest, "no file in a field named network (curl -F network=@FILE)")
        }
        taken = true
        let intake = intake
        let outcome = try await checks.runIfActive {
            try intake.take(temporary, fileName: name, size: result.fileSize, from: student)
        }
        let cache = cache
        try await blocking { cache.refresh() }
        logger.notice(
            "\(student.name) handed in \(outcome.sha256.prefix(12)): \(outcome.entrant.map { "accepted as \($0.label)" } ?? "refused")"
        )
        return (outcome, result.fields)
    }
}
