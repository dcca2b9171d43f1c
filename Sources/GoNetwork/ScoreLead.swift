import Foundation

/// The score lead gonet's analysis reports for a network without a score head
/// (`AnalysisHeads.score`; one with the head reports the head's, averaged over the search, as
/// KataGo does): a network that learned who won but not by how much has its win rate told in points,
/// `pointsPerLogit · ln(w / (1 − w))`: 0 at an even game, growing with the odds, and ordered
/// exactly as the win rates are, so that a GUI's "points lost" (the drop in lead from one move to
/// the next) ranks mistakes as the search does.
public enum ScoreLead {
    /// Points per unit of log-odds: 9.8 is the least-squares fit of Black's final margin on the
    /// log-odds of Black's win rate, the budget network searching 100 visits, over 3,541
    /// positions at moves 50–250 of the 752 counted games among the 3,000 9-dan games in
    /// `Games/` (`scripts/fit-score-lead`; docs/STRENGTH.md, "Score lead").
    public static let pointsPerLogit = 9.8

    /// The most a lead may say: beyond a win rate of 0.999 the odds are noise.
    static let mostLogit = log(999.0)

    /// The lead of the side whose win rate is `winrate` (0…1).
    public static func points(winrate: Double) -> Double {
        guard winrate.isFinite else { return 0 }
        let w = min(max(winrate, 0), 1)
        let logit = w <= 0 ? -mostLogit : w >= 1 ? mostLogit : min(max(log(w / (1 - w)), -mostLogit), mostLogit)
        return pointsPerLogit * logit
    }
}
