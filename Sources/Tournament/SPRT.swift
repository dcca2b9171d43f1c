import Foundation

/// The sequential probability ratio test of cutechess-cli and Leela Zero's `validation`: H0 "the
/// Elo difference is elo0" against H1 "it is elo1", decided when the log-likelihood ratio of the
/// games so far leaves the bounds set by the error rates α and β.
///
/// The model is BayesElo's: with draw Elo d and Elo x, P(win) = f(x − d), P(loss) = f(−x − d),
/// f(x) = 1 / (1 + 10^(−x/400)); d is estimated from the games, and the hypotheses' Elo values are
/// divided by BayesElo's scale 4·10^(−d/400) / (1 + 10^(−d/400))². Games of Go with a half-point
/// komi have no draws: then d = 0, the scale is 1, and the LLR is the binomial one,
/// W·ln(p1/p0) + L·ln((1 − p1)/(1 − p0)) with p = f(elo). (Both cutechess and Leela Zero return
/// 0 while any of W, D, L is 0; without draws that would never decide, so gonet uses the binomial
/// form there. With draws and no win or no loss yet, the LLR is 0, as in cutechess.)
public struct SPRT: Sendable, Equatable, Codable {
    /// Elo difference of H0.
    public var elo0: Double
    /// Elo difference of H1 (above `elo0`).
    public var elo1: Double
    /// Probability of accepting H1 when H0 holds.
    public var alpha: Double
    /// Probability of accepting H0 when H1 holds.
    public var beta: Double

    /// A test of `elo0` against `elo1` with error rates `alpha` and `beta`.
    public init(elo0: Double, elo1: Double, alpha: Double = 0.05, beta: Double = 0.05) {
        self.elo0 = elo0
        self.elo1 = elo1
        self.alpha = alpha
        self.beta = beta
    }

    /// What the test says so far.
    public enum Decision: String, Sendable {
        case continueTesting = "continue"
        case acceptH0 = "H0"
        case acceptH1 = "H1"
    }

    /// ln(β / (1 − α)): at or below it, H0 is accepted.
    public var lowerBound: Double { log(beta / (1 - alpha)) }
    /// ln((1 − β) / α): at or above it, H1 is accepted.
    public var upperBound: Double { log((1 - beta) / alpha) }

    /// The log-likelihood ratio of H1 against H0 after these games.
    public func llr(wins: Int, draws: Int, losses: Int) -> Double {
        let w = Double(wins)
        let d = Double(draws)
        let l = Double(losses)
        guard wins + draws + losses > 0 else { return 0 }
        func f(_ x: Double) -> Double { 1 / (1 + pow(10, -x / 400)) }
        if draws == 0 {
            let p0 = f(elo0)
            let p1 = f(elo1)
            return w * log(p1 / p0) + l * log((1 - p1) / (1 - p0))
        }
        guard wins > 0, losses > 0 else { return 0 }
        let n = w + d + l
        let pw = w / n
        let pl = l / n
        let drawElo = 200 * log10((1 - pl) / pl * (1 - pw) / pw)
        let x = pow(10, -drawElo / 400)
        let scale = 4 * x / ((1 + x) * (1 + x))
        func probabilities(_ elo: Double) -> (win: Double, loss: Double, draw: Double) {
            let win = f(elo / scale - drawElo)
            let loss = f(-elo / scale - drawElo)
            return (win, loss, 1 - win - loss)
        }
        let h0 = probabilities(elo0)
        let h1 = probabilities(elo1)
        return w * log(h1.win / h0.win) + l * log(h1.loss / h0.loss) + d * log(h1.draw / h0.draw)
    }

    /// Refuses bounds that cannot make a test, naming them.
    public func validate() throws {
        guard elo0.isFinite, elo1.isFinite, elo0 < elo1 else {
            throw TournamentError("SPRT needs finite Elo bounds with elo0 < elo1, not \(elo0) and \(elo1)")
        }
        guard alpha > 0, alpha < 0.5, beta > 0, beta < 0.5 else {
            throw TournamentError("SPRT's alpha and beta must be above 0 and below 0.5, not \(alpha) and \(beta)")
        }
    }

    /// Whether the test has decided after these games.
    public func decision(wins: Int, draws: Int, losses: Int) -> Decision {
        let r = llr(wins: wins, draws: draws, losses: losses)
        return r >= upperBound ? .acceptH1 : r <= lowerBound ? .acceptH0 : .continueTesting
    }

    /// One game's outcome for the side the test is about.
    public enum Outcome: Sendable, Equatable {
        case win, draw, loss
    }

    /// Where the test stops along `outcomes`, in the order the games were committed: the first
    /// decision, the games it took and the LLR then. Games committed after it (those in flight when
    /// it decided) are played out but do not undo it, as in cutechess-cli and Fishtest; without a
    /// decision, `.continueTesting` after all the games.
    public func stop(along outcomes: [Outcome]) -> (decision: Decision, games: Int, llr: Double) {
        var (w, d, l) = (0, 0, 0)
        for o in outcomes {
            switch o {
            case .win: w += 1
            case .draw: d += 1
            case .loss: l += 1
            }
            let r = llr(wins: w, draws: d, losses: l)
            if r >= upperBound { return (.acceptH1, w + d + l, r) }
            if r <= lowerBound { return (.acceptH0, w + d + l, r) }
        }
        return (.continueTesting, outcomes.count, llr(wins: w, draws: d, losses: l))
    }
}
