import Foundation

/// `gonet tournament status` as text: games done, in flight (worker, lease age), waiting; each
/// worker's last heartbeat, games and games per hour; an ETA from the workers active lately.
public enum StatusReport {
    /// A worker counts towards the ETA if it was seen in the last five minutes (five leases).
    static let activeWindow = 300.0

    /// The text `gonet tournament status` prints.
    public static func text(_ s: StoreStatus, now: Date = Date()) -> String {
        var lines = ["\(s.done) games done, \(s.inFlight.count) in flight, \(s.waiting) waiting"]
        for f in s.inFlight {
            lines.append(
                "  playing \(f.slot) at \(f.worker) for \(duration(now.timeIntervalSince(f.claimed))), lease ends in \(duration(f.expires.timeIntervalSince(now)))"
            )
        }
        for g in s.givenBack.prefix(10) { lines.append("  given back \(g.slot): \(g.reason)") }
        let rate = gamesPerHour(s, now: now)
        if !s.workers.isEmpty { lines.append("workers:") }
        for w in s.workers {
            let perHour = gamesPerHour(w)
            lines.append(
                "  \(w.name) on \(w.host): \(w.games) games, \(String(format: "%.1f", perHour)) games/hour, last heard \(duration(now.timeIntervalSince(w.lastSeen))) ago"
            )
        }
        let left = s.waiting + s.inFlight.count
        if left == 0 {
            lines.append("nothing left to play")
        } else if rate > 0 {
            lines.append("ETA: \(duration(Double(left) / rate * 3600)) at \(String(format: "%.1f", rate)) games/hour")
        } else {
            lines.append("ETA: unknown (no worker has finished a game in the last \(Int(activeWindow / 60)) minutes)")
        }
        return lines.joined(separator: "\n")
    }

    /// Games an hour by the workers seen in the last five minutes.
    public static func gamesPerHour(_ s: StoreStatus, now: Date = Date()) -> Double {
        s.workers.filter { now.timeIntervalSince($0.lastSeen) < activeWindow }.map(gamesPerHour).reduce(0, +)
    }

    /// Seconds until every game is played at the recent pace; nil when nothing is left or no
    /// worker finished a game lately.
    public static func eta(_ s: StoreStatus, now: Date = Date()) -> Double? {
        let left = s.waiting + s.inFlight.count
        let rate = gamesPerHour(s, now: now)
        return left > 0 && rate > 0 ? Double(left) / rate * 3600 : nil
    }

    private static func gamesPerHour(_ w: StoreStatus.WorkerActivity) -> Double {
        Double(w.games) / (max(w.lastSeen.timeIntervalSince(w.firstSeen), 1) / 3600)
    }

    /// A duration as people read it: "45 s", "12 min", "3 h 20 min".
    public static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
