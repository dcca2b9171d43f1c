import GoNetwork
import GoRules

/// One candidate move with what the player thinks of it (for analysis output).
public struct MoveInfo: Sendable, Equatable {
    /// The move.
    public var move: Move
    /// Search visits it received (1 for a policy player).
    public var visits: Int
    /// Win probability for the player to move, 0…1.
    public var winrate: Double
    /// The network's prior probability.
    public var prior: Double
    /// The principal variation starting with `move`.
    public var pv: [Move]
    /// The visits of each move of `pv` (empty where the player does not search).
    public var pvVisits: [Int]
    /// The player to move's final margin in points after the move, from the network's score head
    /// (averaged over the search); nil where the network has none.
    public var scoreLead: Double?

    /// A candidate with its figures.
    public init(
        move: Move, visits: Int, winrate: Double, prior: Double, pv: [Move], pvVisits: [Int] = [],
        scoreLead: Double? = nil
    ) {
        self.move = move
        self.visits = visits
        self.winrate = winrate
        self.prior = prior
        self.pv = pv
        self.pvVisits = pvVisits
        self.scoreLead = scoreLead
    }

    /// The score lead a client is shown: the score head's, or the win rate told in points.
    public var lead: Double { scoreLead ?? ScoreLead.points(winrate: winrate) }
}

/// A player's decision: the move (or resignation) and the candidates it weighed, best first.
public struct Decision: Sendable {
    /// The move chosen (a pass when resigning).
    public var move: Move
    /// Whether the player resigns instead.
    public var resign: Bool
    /// The moves weighed, best first.
    public var candidates: [MoveInfo]
    /// Win probability of the side to move before the move.
    public var winrate: Double
    /// The side to move's final margin in points from the network's score head; nil where the
    /// network has none.
    public var scoreLead: Double?

    /// A decision with its candidates and the player's win rate (and score lead).
    public init(move: Move, resign: Bool, candidates: [MoveInfo], winrate: Double, scoreLead: Double? = nil) {
        self.move = move
        self.resign = resign
        self.candidates = candidates
        self.winrate = winrate
        self.scoreLead = scoreLead
    }

    /// The score lead a client is shown: the score head's, or the win rate told in points.
    public var lead: Double { scoreLead ?? ScoreLead.points(winrate: winrate) }
}

/// What an analysis client asks of the next searches, beyond the player's own settings.
public struct SearchControl {
    /// Visits to search to instead of the settings' (an analysis runs until told to stop).
    public var visits: Int?
    /// Asked between batches of leaves: true ends the search with what it has.
    public var stop: (() -> Bool)?
    /// Seconds between two `analysis` reports during a search. 0.2 keeps a GUI's display live
    /// without the summaries (a walk over the root's children) costing the search anything measurable.
    public var reportInterval = 0.2

    /// No bounds beyond the player's settings.
    public init() {}
}

/// Something that chooses moves for a side in a game.
public protocol Player: AnyObject {
    /// An analysis client's bounds on the next searches; a player that does not search ignores them.
    var control: SearchControl { get set }
    /// Chooses a move for `color` (who may not be the side to move); `seconds` bounds the thinking
    /// time; `restrictions` are moves a client asked it to leave out (`lz-analyze avoid …`).
    func decide(
        _ game: Game, color: Stone, seconds: Double?, restrictions: MoveRestrictions, analysis: ((Decision) -> Void)?
    ) -> Decision
    /// Called when a move is played, so a search can keep its tree.
    func played(_ move: PlayedMove)
    /// Forgets everything about the game (new game, undo, setup).
    func reset()
    /// Whether thinking longer can change its decision (a search does; a policy does not, so an
    /// analysis of it waits for the next request instead of asking again).
    var searches: Bool { get }
    /// The network whose analysis heads (`AnalysisHeads`) an analysis reads; nil where none.
    var analysisNetwork: PolicyValueNetwork? { get }
}

extension Player {
    /// Players without a search have nothing to bound.
    public var control: SearchControl {
        get { SearchControl() }
        set {}
    }
    /// A decision without restrictions.
    public func decide(_ game: Game, color: Stone, seconds: Double?, analysis: ((Decision) -> Void)?) -> Decision {
        decide(game, color: color, seconds: seconds, restrictions: .none, analysis: analysis)
    }
    /// Players that keep no state between moves ignore the moves played.
    public func played(_ move: PlayedMove) {}
    /// Players that keep no state have nothing to forget.
    public func reset() {}
    /// Players without a search give the same answer however long they think.
    public var searches: Bool { false }
    /// Players without a network have no heads to read.
    public var analysisNetwork: PolicyValueNetwork? { nil }
}

/// Move helpers every player shares.
enum Moves {
    /// Legal moves for `color` that do not fill its own single-point eyes.
    static func sensible(_ game: Game, _ color: Stone) -> [Point] {
        game.board.emptyPoints.filter { p in
            !game.board.isEye(p, of: color) && game.legality(.play(p), for: color) == .legal
        }
    }

    /// The game with `color` to move.
    static func withMover(_ game: Game, _ color: Stone) -> Game {
        var g = game
        g.setToMove(color)
        return g
    }
}
