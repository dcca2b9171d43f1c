import Foundation
import GTP
import GoNetwork
import GoRules

/// What every submission check said of one network file: what `gonet net check` prints and what
/// `tournament submit` refuses on. The checks run in order; one that cannot run because an earlier
/// one failed is reported as not run.
public struct SubmissionVerdict: Sendable {
    /// One check and its outcome.
    public struct Check: Sendable, Equatable {
        /// What was checked, in a few words ("parameter budget").
        public var name: String
        /// Passed, failed (with the reason) or not run (with why not).
        public var outcome: Outcome
    }

    /// How a check came out.
    public enum Outcome: Sendable, Equatable {
        /// It held; the detail says what was seen ("99,011 of 100,000").
        case passed(String)
        /// It did not; the reason in plain words.
        case failed(String)
        /// An earlier failure left nothing to check.
        case notRun
    }

    /// The file as the submitter named it.
    public var file: String
    /// The checks in the order they ran.
    public var checks: [Check]
    /// The parameters that play, once the file loaded.
    public var parameters: Int?
    /// The file's architecture in words, once it loaded.
    public var architecture: String?

    /// True when the file would be accepted.
    public var accepted: Bool {
        checks.allSatisfy { if case .passed = $0.outcome { true } else { false } }
    }

    /// The reasons it is refused, in check order (empty when accepted).
    public var reasons: [String] {
        checks.compactMap { if case .failed(let why) = $0.outcome { "\($0.name): \(why)" } else { nil } }
    }

    /// The verdict on a file that is not a network at all: the first check failed for `reason`.
    public static func unreadable(_ file: String, reason: String) -> SubmissionVerdict {
        var v = SubmissionVerdict(file: file, checks: [])
        v.checks.append(Check(name: Submission.checkNames[0], outcome: .failed(reason)))
        for name in Submission.checkNames.dropFirst() { v.checks.append(Check(name: name, outcome: .notRun)) }
        return v
    }

    /// Names the file `name` wherever a reason names it by `path` (a server's copy, a temporary
    /// import), so that a verdict never shows where the file was kept.
    public mutating func rename(_ path: String, to name: String) {
        for i in checks.indices {
            if case .failed(let why) = checks[i].outcome {
                checks[i].outcome = .failed(why.replacingOccurrences(of: path, with: name))
            }
        }
    }

    /// Adds a refusal that comes after the checks (the tournament would not enter the file).
    public mutating func refuse(_ reason: String) {
        checks.append(Check(name: "entered", outcome: .failed(reason)))
    }

    /// A verdict a student can paste into an email: a line a check, then the decision.
    public var text: String {
        var lines = ["\(file)"]
        if let architecture { lines.append("  \(architecture)") }
        for c in checks {
            let mark: String
            let detail: String
            switch c.outcome {
            case .passed(let d): (mark, detail) = ("ok  ", d)
            case .failed(let d): (mark, detail) = ("FAIL", d)
            case .notRun: (mark, detail) = ("-   ", "not checked: an earlier check failed")
            }
            lines.append("  \(mark) \(c.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(detail)")
        }
        lines.append(accepted ? "accepted: a tournament with this budget takes this file" : "refused")
        return lines.joined(separator: "\n")
    }
}

extension Submission {
    /// The names of the checks, in the order they run.
    static let checkNames = ["network file", "parameter budget", "forward pass", "legal moves over GTP"]

    /// Runs every check a tournament runs on a submitted network: the file loads (docs/FORMATS.md's
    /// layout, features and architecture, finite weights), its parameters fit `budget`, its outputs
    /// are finite on positions beyond the empty board, and, when `gonet` (this executable) is given,
    /// `gonet gtp` on it answers `genmove` with legal moves for both colours.
    public static func verdict(network path: String, budget: Int, gonet: String?) -> SubmissionVerdict {
        var v = SubmissionVerdict(file: path, checks: [])
        func add(_ outcome: SubmissionVerdict.Outcome) {
            v.checks.append(.init(name: checkNames[v.checks.count], outcome: outcome))
        }
        let net: PolicyValueNetwork
        do {
            net = try NetworkFile.load(path: path)
        } catch let e as NetworkError {
            add(.failed(e.reasons.joined(separator: "; ")))
            while v.checks.count < checkNames.count { add(.notRun) }
            return v
        } catch {
            add(.failed("\(error)"))
            while v.checks.count < checkNames.count { add(.notRun) }
            return v
        }
        v.parameters = net.parameterCount
        v.architecture = net.architecture.summary
        add(.passed("\(net.metadata["format"] ?? "gonet-network/1"), features \(net.metadata["features"] ?? "?")"))
        let count = grouped(net.parameterCount)
        add(
            net.parameterCount <= budget
                ? .passed("\(count) parameters, budget \(grouped(budget))")
                : .failed("\(count) parameters exceed the budget of \(grouped(budget))"))
        add(forwardProblem(net).map { .failed($0) } ?? .passed("finite policy and value on 3 positions"))
        if let gonet {
            add(gtpProblem(gonet: gonet, network: path).map { .failed($0) } ?? .passed("genmove answered legally"))
        }
        return v
    }

    /// `12345` as `12,345`.
    private static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Non-finite outputs on the empty board, an opening and a crowded middle game, or nil. (The
    /// loader has checked the empty board; a network can overflow only once stones are on it.)
    static func forwardProblem(_ net: PolicyValueNetwork) -> String? {
        var positions = [EncodedPosition(Game())]
        var random = RandomSource(seed: 11)
        for moves in [6, 120] {
            var g = Game()
            var tries = 0
            while g.moves.count < moves, tries < 10 * moves {
                tries += 1
                try? g.play(.play(Point(index: random.below(Features.points))))
            }
            positions.append(EncodedPosition(g))
        }
        let out = net.evaluate(positions)
        for i in positions.indices {
            let policy = out.policy[(i * Features.moves)..<((i + 1) * Features.moves)]
            guard out.value[i].isFinite, policy.allSatisfy(\.isFinite) else {
                return "the outputs are not finite on position \(i + 1) of 3 (the empty board, 6 and 120 stones)"
            }
        }
        return nil
    }

    /// Plays the network over GTP as a tournament does (`gonet gtp`, policy mode, one thread):
    /// nil when it answers `genmove` for Black, then White, with legal moves.
    static func gtpProblem(gonet: String, network path: String) -> String? {
        let command = EngineSpec.network(path: path, mode: .policy, visits: nil)
            .command(gonet: gonet, name: "check", seed: 1)
        let client: GTPClient
        do { client = try GTPClient(command: command) } catch { return "gonet gtp did not start: \(error)" }
        defer { client.stop() }
        var game = Game()
        for setup in ["boardsize 19", "clear_board", "komi 7.5"] {
            do { _ = try client.ask(setup, timeout: 30) } catch { return "\(error)" }
        }
        for color in [Stone.black, .white] {
            let answer: String
            do { answer = try client.ask("genmove \(color == .black ? "b" : "w")", timeout: 60) } catch {
                return "\(error)"
            }
            guard let move = Coordinates.move(gtp: answer, size: Board.standardSize) else {
                return "genmove answered \"\(answer)\", not a move"
            }
            do { try game.play(move, by: color) } catch { return "genmove answered the illegal move \(answer)" }
        }
        return nil
    }
}
