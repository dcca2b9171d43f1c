import GoRules

/// A recorded game: the rules it was played under, the players, the setup and the moves.
public struct GameRecord: Sendable, Hashable {
    /// Board size (SZ).
    public var size: Int = Board.standardSize
    /// Komi (KM).
    public var komi: Double = 0
    /// Handicap stones as HA says (the stones themselves are in `setup`).
    public var handicap: Int = 0
    /// The result (RE).
    public var result: GameResult = .unknown
    /// Black's name (PB).
    public var blackPlayer: String = ""
    /// White's name (PW).
    public var whitePlayer: String = ""
    /// SGF's DT, as written.
    public var date: String = ""
    /// SGF's RU, as written.
    public var rules: String = ""
    /// Stones on the board before the first move (AB/AW).
    public var setup: [PlayedMove] = []
    /// The main line's moves.
    public var moves: [PlayedMove] = []
    /// Stones put on or taken off after the root (AB/AW/AE in later nodes), by move number.
    public var edits: [SetupStone] = []
    /// The root's other properties (GN, PC, BR, WR, TM, …) in file order, kept for a faithful write.
    public var extraProperties: [SGFProperty] = []

    /// An empty game on a `size` board with `komi`.
    public init(size: Int = Board.standardSize, komi: Double = 0) {
        self.size = size
        self.komi = komi
    }

    /// A game at the start of this record, setup stones placed. Without `koRule` the record is read
    /// under its own rules (`recordRules`: no superko for Japanese and Korean records, positional
    /// superko for the others and when `RU` says nothing).
    public func startingGame(koRule: KoRule? = nil) -> Game {
        var g = Game(size: size, komi: komi, koRule: koRule ?? recordRules.koRule)
        g.placeSetup(setup)
        if let first = moves.first { g.setToMove(first.color) }
        return g
    }

    /// The game after every move, checking each under `koRule` (default: the record's own rules);
    /// the error says which move is illegal.
    public func replay(koRule: KoRule? = nil) throws(IllegalMoveError) -> Game {
        try game(afterMoves: moves.count, koRule: koRule)
    }

    /// The game after its first `count` moves, edits between them applied (those after move
    /// `count` too when `count` is the whole game), the side to move the next move's colour.
    public func game(afterMoves count: Int, koRule: KoRule? = nil) throws(IllegalMoveError) -> Game {
        var g = startingGame(koRule: koRule)
        var e = 0
        func applyEdits(upTo k: Int) {
            let start = e
            while e < edits.count && edits[e].beforeMove <= k { e += 1 }
            if e > start { g.edit(Array(edits[start..<e])) }
        }
        for m in moves.prefix(count) {
            applyEdits(upTo: g.moves.count)
            try g.play(m.move, by: m.color)
        }
        applyEdits(upTo: count)
        if count < moves.count { g.setToMove(moves[count].color) }
        return g
    }

    /// Why this record cannot be used (a komi out of range, an absurd margin, a setup stone on an
    /// occupied point, an illegal move), or nil: what every reader of stored records checks.
    public func problem() -> String? {
        guard Limits.isValidKomi(komi, size: size) else { return "komi \(komi) is out of range" }
        if case .win(_, .score(let m)) = result, !(m.isFinite && m >= 0 && m <= Limits.margin) {
            return "margin \(m) is out of range"
        }
        var board = Board(size: size)
        for s in setup {
            guard let p = s.move.point, board[p] == nil else {
                return "setup stone \(s.color) \(Coordinates.sgf(s.move)) is on an occupied point"
            }
            board.place(p, s.color)
        }
        if let e = edits.first(where: { !$0.point.isOn(size: size) || $0.beforeMove < 0 || $0.beforeMove > moves.count }
        ) {
            return "edit of \(Coordinates.sgf(.play(e.point))) at move \(e.beforeMove) is off the board or the game"
        }
        if zip(edits, edits.dropFirst()).contains(where: { $0.beforeMove > $1.beforeMove }) {
            return "edits out of order"
        }
        do { _ = try replay() } catch { return "\(error)" }
        return nil
    }
}
