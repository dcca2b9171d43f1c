import GoNetwork
import GoRecords
import GoRules

/// One training example: a position with the move played there and the game's result.
public struct TrainingSample: Sendable, Equatable {
    /// The position, as the network sees it.
    public var position: EncodedPosition
    /// The move played, 0…360, or 361 for a pass.
    public var policyTarget: Int
    /// The result for the side to move: 1 a win, −1 a loss, 0 a draw.
    public var valueTarget: Float
    /// 1 when the result is known, 0 when the value should not learn from it.
    public var valueMask: Float

    /// The value target and mask of a result for the player to move (docs/FORMATS.md).
    public static func value(_ result: GameResult, toMove: Stone) -> (target: Float, mask: Float) {
        switch result {
        case .win(let w, _): return (w == toMove ? 1 : -1, 1)
        case .draw: return (0, 1)
        case .void, .unknown: return (0, 0)
        }
    }

    /// The sample after `move` moves of a record (the target is move `move + 1`).
    public static func at(_ record: GameRecord, move: Int) throws -> TrainingSample {
        precondition(move >= 0 && move < record.moves.count)
        // Setup and edits included: the position as the record shows it before move `move + 1`.
        let game = try record.game(afterMoves: move)
        let next = record.moves[move]
        let position = EncodedPosition(game)
        let (t, mask) = value(record.result, toMove: next.color)
        return TrainingSample(
            position: position, policyTarget: next.move.index(size: Board.standardSize), valueTarget: t, valueMask: mask
        )
    }
}

/// Which games go to validation: a stable hash of the game (moves, players, date), so the split
/// never changes between runs, machines or archive orders.
public enum GameSplit {
    /// FNV-1a over the record's identity.
    public static func hash(_ r: GameRecord) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        for m in r.moves {
            let v = m.move.index(size: r.size) | (m.color == .white ? 0x8000 : 0)
            mix(UInt8(v & 0xFF))
            mix(UInt8(v >> 8))
        }
        for s in [r.blackPlayer, r.whitePlayer, r.date] {
            for b in s.utf8 { mix(b) }
            mix(0)
        }
        return h
    }

    /// Whether a game belongs to the validation set for this fraction (0…1).
    public static func isValidation(_ r: GameRecord, fraction: Double) -> Bool {
        guard fraction > 0 else { return false }
        return Double(hash(r) % 1_000_000) < fraction * 1_000_000
    }
}
