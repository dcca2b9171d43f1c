import Foundation
import GoNetwork
import GoRecords

/// The tournament page: standings, crosstable, a rating plot with intervals, and every game
/// linked to its SGF and shown on a board (the SGFs are embedded, so the page works from disk).
public enum HTMLReport {
    /// The report page of the tournament's standings and games.
    public static func html(
        title: String, config: TournamentConfig, entrants: [Entrant], games: [GameRow],
        record: (GameRow) -> String?
    ) -> String {
        let s = Standings(entrants: entrants, games: games)
        var h = head(title: title, config: config, standings: s)
        h += standingsTable(s, entrants: entrants)
        h += "\n<h2>Ratings</h2>\n" + plot(s)
        h += crosstable(s) + "</table>\n"
        let (rows, sgfs) = gameRows(games, entrants: entrants, record: record)
        h += rows
        h += "</table></div>\n" + boardViewer(sgfs) + "</div>\n</body></html>\n"
        return h
    }

    /// The pages' style sheet (the report and `gonet serve`'s pages).
    public static let style = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
        h1{margin-bottom:.2rem} .sub{color:#666;margin-top:0}
        table{border-collapse:collapse;margin:1rem 0} th,td{padding:.35rem .6rem;border-bottom:1px solid #e4e4e4;text-align:right}
        th{background:#f4f4f4} td.l,th.l{text-align:left} tr:hover td{background:#fafafa}
        .x{color:#bbb} .viewer{display:flex;gap:1.5rem;align-items:flex-start;flex-wrap:wrap-reverse}
        .viewer>div:last-child{position:sticky;top:1rem}
        #board{border:1px solid #999;background:#dcb35c} .games td a{cursor:pointer}
        .controls button{font-size:1rem;margin-right:.3rem} #info{font-family:monospace;white-space:pre-wrap;max-width:420px}
        """

    /// The page's head, style, title line and the standings table's header.
    private static func head(title: String, config: TournamentConfig, standings s: Standings) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>
        \(style)
        </style></head><body>
        <h1>\(Markup.escape(title))</h1>
        <p class="sub">\(s.games) games · komi \(config.komi) · \(config.scoring.rawValue) scoring · \(config.networkMode == .mcts ? "networks search \(config.visits.map { "\($0) visits" } ?? "\(config.searchSeconds) s") per move" : "networks play their policy") · \(config.secondsPerMove) s per move · updated \(ISO8601DateFormatter().string(from: Date()))</p>
        <h2>Standings</h2>

        """
    }

    /// The standings table: rank, Elo with its 95% interval, games, score, kind.
    public static func standingsTable(_ s: Standings, entrants: [Entrant]) -> String {
        var h =
            "<table id=\"standings\"><tr><th>#</th><th class=\"l\">Entrant</th><th>Elo</th><th>95% CI</th><th>Games</th><th>Score</th><th>Win %</th><th class=\"l\">Kind</th></tr>\n"
        for (i, r) in s.ratings.enumerated() {
            let e = entrants.first { $0.label == r.name }
            let kind = e.map { $0.kind == .network ? "network, \($0.parameters ?? 0) params" : "engine" } ?? ""
            let ci = r.interval.isFinite ? String(format: "±%.0f", r.interval) : "—"
            let pct = r.games > 0 ? String(format: "%.1f", 100 * r.score / Double(r.games)) : "—"
            h +=
                "<tr><td>\(i + 1)</td><td class=\"l\">\(Markup.escape(r.name))</td><td>\(String(format: "%.0f", r.elo))</td><td>\(ci)</td><td>\(r.games)</td><td>\(s.fmt(r.score))</td><td>\(pct)</td><td class=\"l\">\(Markup.escape(kind))</td></tr>\n"
        }
        return h + "</table>\n"
    }

    /// The crosstable: points and games of each row's entrant against each column's (an open table).
    public static func crosstable(_ s: Standings) -> String {
        var h = "\n<h2>Crosstable</h2>\n<table><tr><th></th><th class=\"l\">points / games</th>"
        for i in s.labels.indices { h += "<th>\(i + 1)</th>" }
        h += "</tr>\n"
        for (i, name) in s.labels.enumerated() {
            h += "<tr><td>\(i + 1)</td><td class=\"l\">\(Markup.escape(name))</td>"
            for j in s.labels.indices {
                let c = s.crosstable[i][j]
                h +=
                    i == j
                    ? "<td class=\"x\">·</td>"
                    : (c.games == 0 ? "<td class=\"x\">–</td>" : "<td>\(s.fmt(c.points))/\(c.games)</td>")
            }
            h += "</tr>\n"
        }
        return h
    }

    /// The games table (each result shows its game on the board) and the SGF texts, in order.
    private static func gameRows(_ games: [GameRow], entrants: [Entrant], record: (GameRow) -> String?) -> (
        String, [String]
    ) {
        let byID = Dictionary(uniqueKeysWithValues: entrants.compactMap { e in e.id.map { ($0, e) } })
        var h =
            "<h2>Games</h2>\n<div class=\"viewer\"><div><table class=\"games\"><tr><th>#</th><th class=\"l\">Black</th><th class=\"l\">White</th><th>Result</th><th>Moves</th><th class=\"l\">Why</th><th class=\"l\">SGF</th></tr>\n"
        var sgfs: [String] = []
        for (i, g) in games.enumerated() {
            let text = record(g) ?? ""
            sgfs.append(text)
            let b = byID[g.black]?.label ?? "?"
            let w = byID[g.white]?.label ?? "?"
            h +=
                "<tr><td>\(i + 1)</td><td class=\"l\">\(Markup.escape(b))</td><td class=\"l\">\(Markup.escape(w))</td><td><a onclick=\"show(\(i))\">\(Markup.escape(g.result))</a></td><td>\(g.moves)</td><td class=\"l\">\(Markup.escape(String(g.reason.prefix(60))))</td><td class=\"l\"><a href=\"\(Markup.escape(g.sgf))\">sgf</a></td></tr>\n"
        }
        return (h, sgfs)
    }

    /// The board viewer: the SGFs embedded as JSON and a small script that replays them;
    /// `show(i)` shows game i, the first at once.
    public static func boardViewer(_ sgfs: [String]) -> String {
        let data = String(
            decoding: (try? JSONSerialization.data(withJSONObject: sgfs)) ?? Data("[]".utf8), as: UTF8.self
        )
        .replacingOccurrences(of: "</", with: "<\\/")
        return """
            <div><canvas id="board" width="420" height="420"></canvas>
            <div class="controls"><button onclick="go(-1e9)">«</button><button onclick="go(-10)">−10</button><button onclick="go(-1)">‹</button><button onclick="go(1)">›</button><button onclick="go(10)">+10</button><button onclick="go(1e9)">»</button></div>
            <div id="info">Click a result to show its game.</div></div>
            <script>
            const SGFS = \(data);
            let moves = [], shown = 0, current = -1, header = "";
            function parse(t) {
              const out = []; const re = /;\\s*([BW])\\[([a-s]{0,2})\\]/g; let m;
              while ((m = re.exec(t))) out.push([m[1], m[2]]);
              const get = k => { const r = new RegExp(k + "\\\\[([^\\\\]]*)\\\\]").exec(t); return r ? r[1] : ""; };
              header = get("PB") + " (B) vs " + get("PW") + " (W) — " + get("RE") + "\\n" + get("C");
              return out;
            }
            function show(i) { current = i; moves = parse(SGFS[i]); shown = moves.length; draw(); }
            function go(d) { shown = Math.max(0, Math.min(moves.length, shown + d)); draw(); }
            function draw() {
              const c = document.getElementById("board"), x = c.getContext("2d"), n = 19, s = c.width / (n + 1);
              x.fillStyle = "#dcb35c"; x.fillRect(0, 0, c.width, c.height); x.strokeStyle = "#333";
              for (let i = 0; i < n; i++) { x.beginPath(); x.moveTo(s, s + i*s); x.lineTo(n*s, s + i*s); x.stroke();
                x.beginPath(); x.moveTo(s + i*s, s); x.lineTo(s + i*s, n*s); x.stroke(); }
              for (const a of [3, 9, 15]) for (const b of [3, 9, 15]) { x.beginPath(); x.arc(s + a*s, s + b*s, 3, 0, 7); x.fillStyle = "#333"; x.fill(); }
              const g = Array.from({length: n}, () => Array(n).fill(0)); let last = null;
              const libs = (cx, cy, col, seen) => { const st = [[cx, cy]]; let free = false; const grp = [];
                while (st.length) { const [a, b] = st.pop(); const k = a*n + b; if (seen.has(k)) continue; seen.add(k); grp.push([a, b]);
                  for (const [da, db] of [[1,0],[-1,0],[0,1],[0,-1]]) { const p = a + da, q = b + db;
                    if (p < 0 || q < 0 || p >= n || q >= n) continue; if (g[p][q] === 0) free = true; else if (g[p][q] === col) st.push([p, q]); } }
                return [free, grp]; };
              for (let i = 0; i < shown; i++) { const [col, v] = moves[i]; if (v.length < 2) { last = null; continue; }
                const a = v.charCodeAt(0) - 97, b = v.charCodeAt(1) - 97; if (a >= n || b >= n) { last = null; continue; }
                const me = col === "B" ? 1 : 2, op = 3 - me; g[a][b] = me; last = [a, b];
                for (const [da, db] of [[1,0],[-1,0],[0,1],[0,-1]]) { const p = a + da, q = b + db;
                  if (p < 0 || q < 0 || p >= n || q >= n || g[p][q] !== op) continue; const [free, grp] = libs(p, q, op, new Set());
                  if (!free) for (const [u, w] of grp) g[u][w] = 0; } }
              for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (g[a][b]) { x.beginPath(); x.arc(s + a*s, s + b*s, s*0.47, 0, 7);
                x.fillStyle = g[a][b] === 1 ? "#111" : "#f8f8f8"; x.fill(); x.strokeStyle = "#222"; x.stroke(); }
              if (last) { x.beginPath(); x.arc(s + last[0]*s, s + last[1]*s, s*0.2, 0, 7); x.strokeStyle = "#d00"; x.lineWidth = 2; x.stroke(); x.lineWidth = 1; }
              document.getElementById("info").textContent = current < 0 ? "Click a result to show its game." : "Game " + (current + 1) + ": " + header + "\\nmove " + shown + " / " + moves.length;
            }
            if (SGFS.length) show(0); else draw();
            </script>
            """
    }

    /// Ratings as points with 95% intervals, one row per entrant.
    public static func plot(_ s: Standings) -> String {
        let rows = s.ratings
        guard !rows.isEmpty else { return "<p>No games yet.</p>" }
        let finite = rows.flatMap { r in r.interval.isFinite ? [r.elo - r.interval, r.elo + r.interval] : [r.elo] }
        var lo = (finite.min() ?? -100) - 50
        var hi = (finite.max() ?? 100) + 50
        if hi - lo < 200 {
            lo -= 100
            hi += 100
        }
        let w = 720.0
        let left = 200.0
        let right = 20.0
        let rowH = 28.0
        let top = 20.0
        let height = top + Double(rows.count) * rowH + 30
        func px(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (w - left - right) }
        var out =
            "<svg width=\"\(Int(w))\" height=\"\(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"13\">"
        let step = max(50.0, ((hi - lo) / 6 / 50).rounded(.up) * 50)
        var t = (lo / step).rounded(.up) * step
        while t <= hi {
            out +=
                "<line x1=\"\(px(t))\" x2=\"\(px(t))\" y1=\"\(top - 5)\" y2=\"\(height - 25)\" stroke=\"#eee\"/><text x=\"\(px(t))\" y=\"\(height - 8)\" text-anchor=\"middle\" fill=\"#666\">\(Int(t))</text>"
            t += step
        }
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * rowH + rowH / 2
            out += "<text x=\"\(left - 10)\" y=\"\(y + 4)\" text-anchor=\"end\">\(Markup.escape(r.name))</text>"
            if r.interval.isFinite {
                out +=
                    "<line x1=\"\(px(max(lo, r.elo - r.interval)))\" x2=\"\(px(min(hi, r.elo + r.interval)))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#4a90d9\" stroke-width=\"3\"/>"
            }
            out += "<circle cx=\"\(px(r.elo))\" cy=\"\(y)\" r=\"5\" fill=\"#d0021b\"/>"
        }
        return out + "</svg>"
    }
}
