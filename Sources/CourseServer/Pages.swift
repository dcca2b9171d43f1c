import Foundation
import GoRecords
import Tournament

/// The server's HTML pages, built from a snapshot; every text that came from a user is escaped.
enum Pages {
    private static func e(_ s: String) -> String { Markup.escape(s) }

    /// Who is looking: nobody, a student or the teacher, with their login's form token.
    struct Viewer {
        var student: Student?
        var csrf: String?
    }

    /// A page with the site's navigation.
    static func layout(_ title: String, _ s: Snapshot, _ v: Viewer, _ body: String) -> String {
        var nav = "<a href=\"/\">Standings</a> · <a href=\"/games\">Games</a> · <a href=\"/entrants\">Entrants</a> · "
        if let st = v.student {
            nav += "<a href=\"/me\">\(e(st.name))</a>"
            if st.role == .teacher { nav += " · <a href=\"/teacher\">Teacher</a>" }
            nav +=
                " · <form method=\"post\" action=\"/signout\" style=\"display:inline\"><input type=\"hidden\" name=\"csrf\" value=\"\(e(v.csrf ?? ""))\"><button>Sign out</button></form>"
        } else {
            nav += "<a href=\"/signin\">Sign in</a>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title>
            <style>
            \(HTMLReport.style)
            nav{margin:.5rem 0 1rem;color:#666} nav form button{font:inherit;border:0;background:none;color:#06c;cursor:pointer;padding:0}
            .ok{color:#080} .bad{color:#b00} pre{background:#f6f6f6;padding:.6rem;overflow-x:auto} .box{border:1px solid #ddd;padding:1rem;margin:1rem 0}
            </style></head><body>
            <nav>\(nav)</nav>
            <h1>\(e(title))</h1>
            \(body)
            </body></html>

            """
    }

    /// The live part of the front page: status, standings, ratings, crosstable.
    static func live(_ s: Snapshot) -> String {
        let st = s.status
        let eta = StatusReport.eta(st, now: s.taken).map { ", ETA \(StatusReport.duration($0))" } ?? ""
        var h =
            "<p class=\"sub\" id=\"status\">\(st.done) games played, \(st.inFlight.count) in flight, \(st.waiting) waiting\(eta)"
        if s.settings.paused { h += " · <b>play is paused</b>" }
        h += " · " + (s.settings.submissionsClosed(at: s.taken) ?? "submissions are open")
        if let d = s.settings.deadline, d > s.taken {
            h += " until \(ISO8601DateFormatter().string(from: d))"
        }
        h += " · updated \(ISO8601DateFormatter().string(from: s.taken))"
        let recent = st.workers.filter { s.taken.timeIntervalSince($0.lastSeen) < 600 }
        if !recent.isEmpty {
            h += "<br>workers: " + recent.map { "\(e($0.name)) (\($0.games) games)" }.joined(separator: ", ")
        }
        h += "</p>\n"
        h += HTMLReport.standingsTable(s.standings, entrants: s.ranked)
        h += "<h2>Ratings</h2>\n" + HTMLReport.plot(s.standings)
        h += HTMLReport.crosstable(s.standings) + "</table>\n"
        let latest = s.games.suffix(10).reversed()
        if !latest.isEmpty {
            h += "<h2>Latest games</h2>\n" + gameTable(Array(latest), s)
        }
        return h
    }

    /// The front page; it fetches its live part again every few seconds.
    static func standings(_ s: Snapshot, _ v: Viewer, title: String) -> String {
        let c = s.config
        let how =
            c.networkMode == .mcts
            ? "networks search \(c.visits.map { "\($0) visits" } ?? "\(c.searchSeconds) s") a move"
            : "networks play their policy"
        let sub =
            "<p class=\"sub\">komi \(c.komi) · \(c.scoring.rawValue) scoring · \(how) · budget \(c.parameterBudget) parameters</p>\n"
        let script = """
            <script>
            // Standings without reloading: the live part is fetched again every 5 seconds.
            setInterval(async () => { try { const r = await fetch("/live"); if (r.ok) document.getElementById("live").innerHTML = await r.text(); } catch (e) {} }, 5000);
            </script>
            """
        return layout(title, s, v, sub + "<div id=\"live\">" + s.liveHTML + "</div>\n" + script)
    }

    static func gameTable(_ games: [GameRow], _ s: Snapshot) -> String {
        var h =
            "<table class=\"games\"><tr><th>#</th><th class=\"l\">Black</th><th class=\"l\">White</th><th>Result</th><th>Moves</th><th class=\"l\">Why</th><th class=\"l\">SGF</th></tr>\n"
        for g in games {
            let id = g.id ?? 0
            h +=
                "<tr><td>\(id)</td><td class=\"l\">\(e(s.entrant(g.black)?.label ?? "?"))</td><td class=\"l\">\(e(s.entrant(g.white)?.label ?? "?"))</td><td><a href=\"/games/\(id)\">\(e(g.result))</a></td><td>\(g.moves)</td><td class=\"l\">\(e(String(g.reason.prefix(60))))</td><td class=\"l\"><a href=\"/games/\(id)/sgf\">sgf</a></td></tr>\n"
        }
        return h + "</table>\n"
    }

    static func games(_ s: Snapshot, _ v: Viewer) -> String {
        layout("Games", s, v, s.games.isEmpty ? "<p>No game played yet.</p>" : gameTable(s.games.reversed(), s))
    }

    /// One game on the board.
    static func game(_ g: GameRow, sgf: String, _ s: Snapshot, _ v: Viewer) -> String {
        let title = "\(s.entrant(g.black)?.label ?? "?") (B) vs \(s.entrant(g.white)?.label ?? "?") (W): \(g.result)"
        let body =
            "<p class=\"sub\">\(g.moves) moves · \(e(g.reason)) · <a href=\"/games/\(g.id ?? 0)/sgf\">download SGF</a></p>\n<div class=\"viewer\">"
            + HTMLReport.boardViewer([sgf]) + "</div>"
        return layout(title, s, v, body)
    }

    static func entrants(_ s: Snapshot, _ v: Viewer) -> String {
        var h =
            "<table><tr><th class=\"l\">Entrant</th><th class=\"l\">Kind</th><th>Parameters</th><th class=\"l\">Author</th><th class=\"l\">Added</th><th class=\"l\"></th></tr>\n"
        for en in s.entrants {
            let state =
                s.settings.withdrawn.contains(en.id ?? -1)
                ? "withdrawn" : s.current.contains(en.id ?? -1) ? "plays" : ""
            h +=
                "<tr><td class=\"l\"><a href=\"/entrants/\(e(en.name))\">\(e(en.label))</a></td><td class=\"l\">\(en.kind.rawValue)</td><td>\(en.parameters.map(String.init) ?? "")</td><td class=\"l\">\(e(en.author ?? ""))</td><td class=\"l\">\(ISO8601DateFormatter().string(from: en.added))</td><td class=\"l\">\(state)</td></tr>\n"
        }
        return layout("Entrants", s, v, h + "</table>\n")
    }

    /// Every version of one name, and its games.
    static func entrant(_ name: String, _ s: Snapshot, _ v: Viewer) -> String? {
        let versions = s.entrants.filter { $0.name == name }
        guard !versions.isEmpty else { return nil }
        var h = ""
        let rating = s.standings.ratings.filter { r in versions.contains { $0.label == r.name } }
        for en in versions {
            let state =
                s.settings.withdrawn.contains(en.id ?? -1)
                ? "withdrawn" : s.current.contains(en.id ?? -1) ? "plays now" : "superseded"
            h +=
                "<div class=\"box\"><h2>\(e(en.label))</h2><p>\(state) · added \(ISO8601DateFormatter().string(from: en.added))"
            if let a = en.author { h += " by \(e(a))" }
            h += "</p><table>"
            if en.kind == .network {
                h += "<tr><td class=\"l\">sha256</td><td class=\"l\"><code>\(e(en.sha256 ?? ""))</code></td></tr>"
                h += "<tr><td class=\"l\">parameters</td><td class=\"l\">\(en.parameters ?? 0)</td></tr>"
                h +=
                    "<tr><td class=\"l\">architecture</td><td class=\"l\">\(e(en.sha256.flatMap { s.architectures[$0] } ?? ""))</td></tr>"
            } else {
                h +=
                    "<tr><td class=\"l\">engine</td><td class=\"l\">\(e((try? en.commandWords())?.joined(separator: " ") ?? ""))</td></tr>"
            }
            if let r = rating.first(where: { $0.name == en.label }) {
                h +=
                    "<tr><td class=\"l\">rating</td><td class=\"l\">\(String(format: "%.0f", r.elo)) \(r.interval.isFinite ? String(format: "±%.0f", r.interval) : "") Elo, \(r.games) games, score \(r.score)</td></tr>"
            }
            h += "</table></div>\n"
        }
        let ids = Set(versions.compactMap(\.id))
        let games = s.games.filter { ids.contains($0.black) || ids.contains($0.white) }
        h += "<h2>Games</h2>\n" + (games.isEmpty ? "<p>No game played yet.</p>" : gameTable(games.reversed(), s))
        return layout(name, s, v, h)
    }

    static func signIn(_ s: Snapshot, _ v: Viewer, message: String? = nil) -> String {
        let m = message.map { "<p class=\"bad\" id=\"message\">\(e($0))</p>" } ?? ""
        return layout(
            "Sign in", s, v,
            m + """
                <form method="post" action="/signin" class="box">
                <p><label>Your token <input type="password" name="token" id="token" size="52" autocomplete="off" required></label></p>
                <p><button type="submit" id="signin">Sign in</button></p>
                <p class="sub">Your teacher gave you the token (it starts with <code>gonet_</code>).</p>
                </form>
                """)
    }

    /// A student's own page: the upload form, their submissions with verdicts, their games.
    static func me(_ st: Student, csrf: String, submissions: [SubmissionRecord], _ s: Snapshot, verdict: String? = nil)
        -> String
    {
        var h = ""
        if let verdict { h += "<div class=\"box\" id=\"verdict\"><h2>Verdict</h2><pre>\(e(verdict))</pre></div>\n" }
        let closed = s.settings.submissionsClosed()
        h += "<div class=\"box\"><h2>Hand in a network</h2>"
        if let closed {
            h += "<p class=\"bad\">\(e(closed)).</p>"
        } else {
            h += """
                <form method="post" action="/submit" enctype="multipart/form-data">
                <input type="hidden" name="csrf" value="\(e(csrf))">
                <p><input type="file" name="network" id="network" accept=".safetensors,.onnx" required></p>
                <p><button type="submit" id="upload">Upload and check</button></p>
                <p class="sub">A gonet network file or an ONNX model, at most \(s.config.parameterBudget) parameters. It is checked as <code>gonet net check</code> does; an accepted file becomes your next version.</p>
                </form>
                """
        }
        h += "</div>\n<h2>Your submissions</h2>\n"
        let mine = submissions.filter { $0.student == st.name }.reversed()
        if mine.isEmpty { h += "<p>None yet.</p>" }
        for sub in mine {
            let label = sub.entrant.flatMap { s.entrant($0)?.label }
            h +=
                "<div class=\"box\"><p><b class=\"\(sub.accepted ? "ok" : "bad")\">\(sub.accepted ? "accepted" : "refused")</b> · \(e(sub.fileName)) · \(ISO8601DateFormatter().string(from: sub.submitted))\(label.map { " · entered as <a href=\"/entrants/\(e(st.name))\">\(e($0))</a>" } ?? "")</p><pre>\(e(sub.verdict))</pre></div>\n"
        }
        let ids = Set(s.entrants.filter { $0.name == st.name }.compactMap(\.id))
        let games = s.games.filter { ids.contains($0.black) || ids.contains($0.white) }
        h += "<h2>Your games</h2>\n" + (games.isEmpty ? "<p>No game played yet.</p>" : gameTable(games.reversed(), s))
        return layout(st.name, s, Viewer(student: st, csrf: csrf), h)
    }

    /// The teacher's page: submissions, play, versions, students, downloads.
    static func teacher(_ t: Student, csrf: String, _ s: Snapshot) -> String {
        let c = e(csrf)
        let st = s.settings
        let deadline = st.deadline.map { ISO8601DateFormatter().string(from: $0) } ?? ""
        var h = """
            <div class="box"><h2>Submissions and play</h2>
            <form method="post" action="/teacher/settings">
            <input type="hidden" name="csrf" value="\(c)">
            <p><label><input type="checkbox" name="open" value="1"\(st.submissionsOpen ? " checked" : "")> submissions open</label>
            · <label>deadline (ISO 8601, empty for none) <input name="deadline" value="\(e(deadline))" size="24"></label></p>
            <p><label><input type="checkbox" name="paused" value="1"\(st.paused ? " checked" : "")> play paused</label>
            · <label><input type="checkbox" name="public" value="1"\(st.publicPages ? " checked" : "")> pages public</label></p>
            <p><button type="submit">Save</button></p></form></div>
            <div class="box"><h2>Versions</h2><table>
            """
        for en in s.entrants {
            let withdrawn = st.withdrawn.contains(en.id ?? -1)
            h +=
                "<tr><td class=\"l\">\(e(en.label))</td><td class=\"l\">\(withdrawn ? "withdrawn" : s.current.contains(en.id ?? -1) ? "plays" : "superseded")</td><td><form method=\"post\" action=\"/teacher/\(withdrawn ? "restore" : "withdraw")\"><input type=\"hidden\" name=\"csrf\" value=\"\(c)\"><input type=\"hidden\" name=\"entrant\" value=\"\(en.id ?? 0)\"><button>\(withdrawn ? "restore" : "withdraw")</button></form></td></tr>\n"
        }
        h += "</table></div>\n<div class=\"box\"><h2>Students</h2><table>"
        for p in s.students {
            h +=
                "<tr><td class=\"l\"><a href=\"/students/\(e(p.name))\">\(e(p.name))</a></td><td class=\"l\">\(p.role.rawValue)</td><td class=\"l\">\(p.revoked == nil ? "signs in" : "revoked")</td></tr>\n"
        }
        h += """
            </table><p class="sub">Add and revoke with <code>gonet tournament students</code>.</p></div>
            <div class="box"><h2>Download</h2><p><a href="/teacher/download/games.tar">every game (SGF, tar)</a> · <a href="/teacher/download/report.html">the report</a> · <a href="/teacher/download/submissions.json">every submission and verdict</a> · <a href="/teacher/download/tournament.sqlite">the store (SQLite)</a></p></div>
            """
        return layout("Teacher", s, Viewer(student: t, csrf: csrf), h)
    }

    /// A short page that says what went wrong.
    static func problem(_ title: String, _ message: String, _ s: Snapshot, _ v: Viewer) -> String {
        layout(title, s, v, "<p class=\"bad\" id=\"message\">\(e(message))</p>")
    }
}
