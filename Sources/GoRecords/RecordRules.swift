import GoRules

/// What the rules a record names (SGF's `RU`) say about which moves are legal. Under Japanese and
/// Korean rules a repeated position is legal (a triple ko ends the game without result), so a
/// record played under them may repeat a whole-board position; Chinese, AGA, New Zealand, Ing and
/// Tromp-Taylor rules forbid it (AGA's situational superko is read as positional, the stricter
/// form). A record that names no rules, or rules gonet does not know, is read under positional
/// superko, gonet's own rule, and says that it was assumed.
public struct RecordRules: Sendable, Equatable {
    /// The ko rule the record's moves are checked under.
    public var koRule: KoRule
    /// True when `RU` was absent or unknown and positional superko was assumed.
    public var assumed: Bool

    /// Rules with this ko rule, assumed or named.
    public init(koRule: KoRule, assumed: Bool) {
        self.koRule = koRule
        self.assumed = assumed
    }

    /// The rules of an `RU` value, as written (case and spacing do not matter).
    public init(ru: String) {
        let name = ru.lowercased().filter { $0.isLetter }
        if Self.repetitionAllowed.contains(where: { name.hasPrefix($0) }) {
            (koRule, assumed) = (.simple, false)
        } else if Self.superko.contains(where: { name.hasPrefix($0) }) {
            (koRule, assumed) = (.positionalSuperko, false)
        } else {
            (koRule, assumed) = (.positionalSuperko, true)
        }
    }

    /// Rule sets under which a position may repeat, by the start of their lowercase letters.
    private static let repetitionAllowed = ["japan", "jp", "korea", "kr"]
    /// Rule sets with a superko rule, by the start of their lowercase letters ("area scoring…" is
    /// what gonet's referee writes for a dead-stones-removed count).
    private static let superko = [
        "chin", "cn", "aga", "american", "nz", "newzealand", "ing", "tromptaylor", "tt", "area",
    ]

    /// A short description for reports: "repetition allowed" and the like.
    public var description: String {
        switch (koRule, assumed) {
        case (.simple, _): return "repetition allowed"
        case (.positionalSuperko, false): return "positional superko"
        case (.positionalSuperko, true): return "positional superko assumed"
        }
    }
}

extension GameRecord {
    /// The rules this record's moves are checked under, from its `RU`.
    public var recordRules: RecordRules { RecordRules(ru: rules) }
}
