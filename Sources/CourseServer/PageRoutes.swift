import Foundation
import Hummingbird
import NIOCore
import Tournament

extension CourseServer {
    /// The pages people read: standings, games, entrants, signing in and out, a student's own page.
    func addPages(to router: Router<CourseContext>) {
        router.get("/") { request, context in
            try await self.publicPage(request, context) { s, v in Pages.standings(s, v, title: self.settings.title) }
        }
        router.get("/live") { request, context in
            try await self.publicPage(request, context) { s, _ in s.liveHTML }
        }
        router.get("/games") { request, context in
            try await self.publicPage(request, context) { s, v in Pages.games(s, v) }
        }
        router.get("/games/:id") { request, context in
            let s = self.cache.get()
            let v = self.viewer(request, s).viewer
            guard try await self.mayView(request, context, s) else { return Reply.redirect("/signin") }
            guard let g = try await self.game(context, s) else {
                return Reply.html(Pages.problem("No such game", "there is no game of that number", s, v), .notFound)
            }
            let store = self.tournament.store
            let sgf = try await self.blocking { try store.record(of: g) } ?? ""
            return Reply.html(Pages.game(g, sgf: sgf, s, v))
        }
        router.get("/games/:id/sgf") { request, context in
            let s = self.cache.get()
            guard try await self.mayView(request, context, s) else { return Reply.redirect("/signin") }
            guard let g = try await self.game(context, s) else {
                return Reply.error(ServerProblem(.notFound, "there is no game of that number"))
            }
            let store = self.tournament.store
            let sgf = try await self.blocking { try store.record(of: g) } ?? ""
            return Reply.file(Array(sgf.utf8), type: "application/x-go-sgf", name: "game-\(g.id ?? 0).sgf")
        }
        router.get("/entrants") { request, context in
            try await self.publicPage(request, context) { s, v in Pages.entrants(s, v) }
        }
        router.get("/entrants/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            return try await self.publicPage(request, context) { s, v in
                Pages.entrant(name, s, v) ?? Pages.problem("No such entrant", "no entrant is named \(name)", s, v)
            }
        }
        router.get("/signin") { request, _ in
            let s = self.cache.get()
            return Reply.html(Pages.signIn(s, self.viewer(request, s).viewer))
        }
        router.post("/signin") { request, context in try await self.signIn(request, context) }
        router.post("/signout") { request, context in
            var request = request
            let fields = formFields(try await request.collectBody(upTo: context.maxUploadSize))
            let s = self.cache.get()
            let (v, id) = self.viewer(request, s)
            if let id, fields["csrf"] == v.csrf { self.logins.end(id) }
            var r = Reply.redirect("/")
            r.setCookie(self.cookie("", maxAge: 0))
            return r
        }
        router.get("/me") { request, context in
            guard let (st, _) = try await self.signedIn(request, context) else { return Reply.redirect("/signin") }
            return Reply.redirect("/students/\(st.name)")
        }
        router.get("/students/:name") { request, context in
            guard let (st, csrf) = try await self.signedIn(request, context) else { return Reply.redirect("/signin") }
            let name = context.parameters.get("name") ?? ""
            let s = self.cache.get()
            guard st.name == name || st.role == .teacher else {
                return Reply.html(
                    Pages.problem(
                        "Not yours", "you are signed in as \(st.name): only \(name) sees this page", s,
                        Pages.Viewer(student: st, csrf: csrf)), .forbidden)
            }
            let store = self.tournament.store
            let subs = try await self.blocking { try store.submissions() }
            var shown = st
            shown.name = name
            return Reply.html(Pages.me(shown, csrf: csrf ?? "", submissions: subs, s))
        }
        router.post("/submit") { request, context in try await self.submitForm(request, context) }
    }

    /// A page anyone may see while the pages are public, and signed-in people otherwise.
    private func publicPage(
        _ request: Request, _ context: CourseContext, _ render: (Snapshot, Pages.Viewer) -> String
    ) async throws -> Response {
        let s = cache.get()
        guard try await mayView(request, context, s) else { return Reply.redirect("/signin") }
        return Reply.html(render(s, viewer(request, s).viewer))
    }

    private func game(_ context: CourseContext, _ s: Snapshot) async throws -> GameRow? {
        guard let id = context.parameters.get("id", as: Int64.self) else { return nil }
        return s.games.first { $0.id == id }
    }

    /// The login cookie: HttpOnly, SameSite=Strict (no cross-site request carries it), Secure
    /// over HTTPS.
    func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: "gonet_login", value: value, maxAge: maxAge, path: "/", secure: settings.secureCookies,
            httpOnly: true, sameSite: .strict)
    }

    private func signIn(_ request: Request, _ context: CourseContext) async throws -> Response {
        var request = request
        let fields = formFields(try await request.collectBody(upTo: context.maxUploadSize))
        let s = cache.get()
        guard signIns.hasToken(context.address) else {
            var r = Reply.html(
                Pages.signIn(
                    s, Pages.Viewer(),
                    message: "too many failed sign-ins: try again in \(signIns.retryAfter(context.address)) s"),
                .tooManyRequests)
            r.headers[.retryAfter] = String(signIns.retryAfter(context.address))
            return r
        }
        let token = (fields["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let store = tournament.store
        let students = try await blocking { try store.students() }
        let found = try await checks.runIfActive { Roster.verify(token, among: students) }
        guard let found, let id = found.id else {
            signIns.spend(context.address)
            return Reply.html(
                Pages.signIn(s, Pages.Viewer(), message: "that token signs nobody in (mistyped, or revoked)"),
                .unauthorized)
        }
        let login = logins.start(for: id)
        var r = Reply.redirect(found.role == .teacher ? "/teacher" : "/students/\(found.name)")
        r.setCookie(cookie(login.id, maxAge: Int(Logins.lifetime)))
        return r
    }

    /// The upload form's post: the same checks as the API, the verdict shown on the student's page.
    private func submitForm(_ request: Request, _ context: CourseContext) async throws -> Response {
        guard let (st, csrf) = try await signedIn(request, context), let csrf else { return Reply.redirect("/signin") }
        let s = cache.get()
        let v = Pages.Viewer(student: st, csrf: csrf)
        do {
            let (outcome, fields) = try await receive(request, context, from: st) { fields in
                guard fields["csrf"] == csrf else {
                    throw ServerProblem(.forbidden, "the form is out of date: reload the page and upload again")
                }
            }
            _ = fields
            let store = tournament.store
            let subs = try await blocking { try store.submissions() }
            return Reply.html(
                Pages.me(st, csrf: csrf, submissions: subs, cache.get(), verdict: outcome.verdict.text),
                outcome.entrant == nil ? .unprocessableContent : .ok)
        } catch let p as ServerProblem {
            return Reply.html(Pages.problem("Upload refused", p.message, s, v), p.status)
        }
    }
}
