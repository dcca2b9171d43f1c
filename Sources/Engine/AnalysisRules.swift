import GoRules

/// The rules of an analysis query, as KataGo's analysis protocol names them (a shorthand such as
/// `"japanese"` or an object with `ko`, `scoring`, `suicide`, `whiteHandicapBonus`), reduced to
/// what gonet's board plays by: the ko rule and the points White gets for Black's handicap
/// stones. gonet counts by area under every rule set and never allows suicide, so a territory
/// count may differ by a point (seki) and a query whose moves commit suicide is refused.
struct AnalysisRules: Equatable {
    /// What White receives for a handicap of N stones (KataGo's `whiteHandicapBonus`).
    enum HandicapBonus: String, Equatable {
        case none = "0"
        case n = "N"
        case nMinusOne = "N-1"

        /// Points for `stones` handicap stones (1 stone is no handicap).
        func points(_ stones: Int) -> Double {
            guard stones >= 2 else { return 0 }
            switch self {
            case .none: return 0
            case .n: return Double(stones)
            case .nMinusOne: return Double(stones - 1)
            }
        }
    }

    var koRule: KoRule
    var handicapBonus: HandicapBonus

    /// KataGo's shorthands, by their lowercase letters alone (`tromp-taylor` and `TrompTaylor`
    /// alike). Situational superko is read as positional, the stricter form (as `RecordRules` does).
    private static let shorthands: [String: AnalysisRules] = [
        "tromptaylor": .init(koRule: .positionalSuperko, handicapBonus: .none),
        "chinese": .init(koRule: .simple, handicapBonus: .n),
        "chineseogs": .init(koRule: .positionalSuperko, handicapBonus: .n),
        "chinesekgs": .init(koRule: .positionalSuperko, handicapBonus: .n),
        "japanese": .init(koRule: .simple, handicapBonus: .none),
        "korean": .init(koRule: .simple, handicapBonus: .none),
        "stonescoring": .init(koRule: .simple, handicapBonus: .none),
        "aga": .init(koRule: .positionalSuperko, handicapBonus: .nMinusOne),
        "agabutton": .init(koRule: .positionalSuperko, handicapBonus: .nMinusOne),
        "bga": .init(koRule: .positionalSuperko, handicapBonus: .n),
        "newzealand": .init(koRule: .positionalSuperko, handicapBonus: .none),
    ]

    /// The rules a query's `rules` value names; the message says what could not be read.
    static func parse(_ value: JSONValue) throws(AnalysisProtocolError) -> AnalysisRules {
        switch value {
        case .string(let name):
            let key = name.lowercased().filter { $0.isLetter }
            guard let rules = shorthands[key] else {
                throw AnalysisProtocolError("Could not parse rules: \(name)", field: "rules")
            }
            return rules
        case .object(let fields):
            var rules = AnalysisRules(koRule: .positionalSuperko, handicapBonus: .none)
            for (key, v) in fields {
                switch (key, v) {
                case ("ko", .string(let ko)), ("koRule", .string(let ko)):
                    switch ko.uppercased() {
                    case "SIMPLE": rules.koRule = .simple
                    case "POSITIONAL", "SITUATIONAL": rules.koRule = .positionalSuperko
                    default: throw AnalysisProtocolError("Could not parse rules: unknown ko rule \(ko)", field: "rules")
                    }
                case ("whiteHandicapBonus", .string(let b)):
                    guard let bonus = HandicapBonus(rawValue: b.uppercased()) else {
                        throw AnalysisProtocolError("Could not parse rules: whiteHandicapBonus \(b)", field: "rules")
                    }
                    rules.handicapBonus = bonus
                case ("scoring", .string), ("scoringRule", .string), ("tax", .string), ("taxRule", .string),
                    ("suicide", .bool), ("multiStoneSuicideLegal", .bool), ("hasButton", .bool),
                    ("friendlyPassOk", .bool):
                    // Read and set aside: gonet counts by area and forbids suicide (see above).
                    continue
                default:
                    throw AnalysisProtocolError(
                        "Could not parse rules: unknown or malformed key \(key)", field: "rules")
                }
            }
            return rules
        default:
            throw AnalysisProtocolError("Could not parse rules: expected a string or an object", field: "rules")
        }
    }
}
