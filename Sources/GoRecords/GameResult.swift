import GoRules

/// How a game ended, as SGF's RE property says it.
public enum GameResult: Sendable, Hashable, CustomStringConvertible {
    /// How a win was reached.
    public enum Reason: Sendable, Hashable {
        /// On the board, by this many points.
        case score(Double)
        case resignation
        case time
        case forfeit
        /// A win with no reason given (`B+`).
        case unspecified
    }

    case win(Stone, Reason)
    case draw
    /// No result: the game was annulled (`Void`).
    case void
    /// Missing, `?`, or text that says nothing we can read.
    case unknown

    /// The winner, if there is one.
    public var winner: Stone? {
        if case .win(let s, _) = self { return s }
        return nil
    }

    /// SGF's RE value: `B+R`, `W+3.5`, `B+T`, `W+F`, `B+`, `0`, `Void`, `?`.
    public var description: String {
        switch self {
        case .win(let s, let reason):
            switch reason {
            // A margin past Int's range (an absurd komi, a hostile record) is written as a Double, never converted.
            case .score(let m): return "\(s.letter)+\(m == m.rounded() && abs(m) < 1e15 ? String(Int(m)) : String(m))"
            case .resignation: return "\(s.letter)+R"
            case .time: return "\(s.letter)+T"
            case .forfeit: return "\(s.letter)+F"
            case .unspecified: return "\(s.letter)+"
            }
        case .draw: return "0"
        case .void: return "Void"
        case .unknown: return "?"
        }
    }

    /// Reads an RE value in any of the spellings found in the wild (`B+Resign`, `W+Time`, `Jigo`, `Draw`).
    public init(sgf text: String) {
        let t = text.trimmed
        let lower = t.lowercased()
        switch lower {
        case "0", "draw", "jigo", "d":
            self = .draw
            return
        case "void":
            self = .void
            return
        case "", "?":
            self = .unknown
            return
        default: break
        }
        guard t.count >= 2, let color = Stone(name: String(t.prefix(1))), t.dropFirst().first == "+" else {
            self = .unknown
            return
        }
        let how = lower.dropFirst(2)
        switch how {
        case "": self = .win(color, .unspecified)
        case "r", "resign", "resignation": self = .win(color, .resignation)
        case "t", "time": self = .win(color, .time)
        case "f", "forfeit": self = .win(color, .forfeit)
        default:
            guard let m = Double(how), m.isFinite, m >= 0 else {
                self = .unknown
                return
            }
            // An absurd margin (RE[B+1e300]) still names the winner.
            self = .win(color, m <= Limits.margin ? .score(m) : .unspecified)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    var trimmed: String {
        // Nearly every value (moves, numbers) starts and ends with a printable ASCII byte: then
        // no Character at either end can be whitespace, and the Unicode property lookups that
        // `isWhitespace` costs (12% of an import) are skipped.
        let bytes = utf8
        if let f = bytes.first, let l = bytes.reversed().first, f > 32, f < 127, l > 32, l < 127 { return String(self) }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
