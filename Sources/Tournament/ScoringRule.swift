import Foundation
import GoRules

/// How the referee scores a game that ends on the board (two passes or the move cap).
public enum ScoringRule: String, Codable, Sendable, CaseIterable {
    /// Tromp-Taylor area scoring of the board exactly as it stands: every stone counts as alive,
    /// so each player must capture the dead stones itself.
    case trompTaylor = "tromp-taylor"
    /// Area scoring after taking off the dead stones: the list the two players give through
    /// `final_status_list dead` when they agree, the referee engine's when they do not
    /// (gogui-twogtp's `-referee`, gomill's `scorer`).
    case deadRemoved = "dead-removed"

    /// The rule a config value names; `area`, the old name of Tromp-Taylor, still reads.
    public init?(name: String) {
        if name == "area" { self = .trompTaylor } else { self.init(rawValue: name) }
    }

    /// SGF's RU for a game scored this way.
    var sgfRules: String { self == .trompTaylor ? "Tromp-Taylor" : "Area scoring, dead stones removed" }
}

/// The dead stones of a finished game and who decided them.
public struct DeadStones: Sendable, Equatable {
    /// The dead stones.
    public var points: Set<Point>
    /// Who decided which stones are dead; the SGF comment names it.
    public enum Decider: String, Sendable {
        /// Both players gave the same list.
        case players
        /// The referee engine, when the players disagreed.
        case referee
        /// Nobody: strict Tromp-Taylor, or the referee could not answer.
        case none
    }

    /// Who decided.
    public var decidedBy: Decider
    /// Why the referee engine was asked, or why it failed.
    public var note: String
}
