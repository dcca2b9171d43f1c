import GoNetwork
import GoRecords
import GoRules

/// The fixed-width bytes a sample takes in the shuffle buffer: 361 point codes, side to move,
/// their last move (u16, 0xFFFF for none), the target move (u16), value (−1, 0, +1) and mask,
/// the opponent's reply to the target (u16, 0xFFFF where the game ended), the final score for
/// the side to move in half points (i16, 0x7FFF where the game was not counted), then whether the
/// game's final owners follow (u8) and the owners, 2 bits a point (0 neutral, 1 Black, 2 White).
enum SampleCoding {
    static let width = 464
    private static let ownershipFlag = 372
    private static let ownershipBytes = 373
    /// The score of a counted game is kept up to this many points either way: a larger margin is
    /// a typo or a hostile record, and the whole board is 361.
    static let scoreLimit = 400.0

    /// Replays a record and writes each position's sample into `scratch` before calling `body`,
    /// with the game's final owners when `ownership` is set and the game has them
    /// (`FinalOwnership`). The record was checked at import; a move the board refuses ends the
    /// replay (returns false).
    @discardableResult
    static func replay(
        _ r: GameRecord, scratch: UnsafeMutablePointer<UInt8>, ownership: Bool = false,
        _ body: (UnsafeMutablePointer<UInt8>) -> Void
    ) -> Bool {
        (scratch + ownershipFlag).update(repeating: 0, count: width - ownershipFlag)
        if ownership, let owners = FinalOwnership.of(r) {
            scratch[ownershipFlag] = 1
            for (i, o) in owners.enumerated() {
                let code: UInt8 = o == .black ? 1 : o == .white ? 2 : 0
                scratch[ownershipBytes + i / 4] |= code << (2 * (i % 4))
            }
        }
        var board = Board(size: Board.standardSize)
        var last: PlayedMove? = nil
        var margin: Double?
        if case .win(_, .score(let points)) = r.result, points.isFinite { margin = min(abs(points), scoreLimit) }
        for (k, m) in r.moves.enumerated() {
            board.snapshot(into: scratch)
            let toMove = m.color
            scratch[Features.points] = toMove.rawValue
            var their = 0xFFFF
            if let l = last, l.color == toMove.opponent, let p = l.move.point {
                their = p.index(size: Board.standardSize)
            }
            scratch[Features.points + 1] = UInt8(their & 0xFF)
            scratch[Features.points + 2] = UInt8(their >> 8)
            let target = m.move.index(size: Board.standardSize)
            scratch[364] = UInt8(target & 0xFF)
            scratch[365] = UInt8(target >> 8)
            let (v, mask) = TrainingSample.value(r.result, toMove: toMove)
            scratch[366] = UInt8(bitPattern: Int8(v))
            scratch[367] = UInt8(mask)
            let reply = k + 1 < r.moves.count ? r.moves[k + 1].move.index(size: Board.standardSize) : 0xFFFF
            scratch[368] = UInt8(reply & 0xFF)
            scratch[369] = UInt8(reply >> 8)
            var halfPoints = 0x7FFF
            if let margin, let winner = r.result.winner {
                halfPoints = Int((2 * margin).rounded()) * (winner == toMove ? 1 : -1)
            }
            let bits = UInt16(bitPattern: Int16(halfPoints))
            scratch[370] = UInt8(bits & 0xFF)
            scratch[371] = UInt8(bits >> 8)
            body(scratch)
            guard board.play(m.move, m.color) == .legal else { return false }
            last = m
        }
        return true
    }

    static func toMove(_ s: UnsafePointer<UInt8>) -> Stone { s[Features.points] == 2 ? .white : .black }
    static func theirLast(_ s: UnsafePointer<UInt8>) -> Int {
        let v = Int(s[Features.points + 1]) | Int(s[Features.points + 2]) << 8
        return v == 0xFFFF ? -1 : v
    }
    static func target(_ s: UnsafePointer<UInt8>) -> Int { Int(s[364]) | Int(s[365]) << 8 }
    static func value(_ s: UnsafePointer<UInt8>) -> Float { Float(Int8(bitPattern: s[366])) }
    static func mask(_ s: UnsafePointer<UInt8>) -> Float { Float(s[367]) }
    /// The opponent's reply, or −1 where the game ended with the target move.
    static func reply(_ s: UnsafePointer<UInt8>) -> Int {
        let v = Int(s[368]) | Int(s[369]) << 8
        return v == 0xFFFF ? -1 : v
    }

    /// The final score for the side to move in points, or nil where the game was not counted.
    static func score(_ s: UnsafePointer<UInt8>) -> Float? {
        let v = Int16(bitPattern: UInt16(s[370]) | UInt16(s[371]) << 8)
        return v == 0x7FFF ? nil : Float(v) / 2
    }

    /// Writes the final owners from the side to move's view (+1 its, −1 the opponent's, 0
    /// neutral) into `out[361]`, each point moved by `symmetry`; false (nothing written) where the
    /// sample has none.
    static func ownership(_ s: UnsafePointer<UInt8>, symmetry: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        guard s[ownershipFlag] == 1 else { return false }
        let mine: UInt8 = toMove(s) == .black ? 1 : 2
        for i in 0..<Features.points {
            let code = (s[ownershipBytes + i / 4] >> (2 * (i % 4))) & 3
            out[Symmetry.apply(symmetry, i)] = code == 0 ? 0 : code == mine ? 1 : -1
        }
        return true
    }

    /// The sample as a value (tests, `games planes`).
    static func decode(_ s: UnsafePointer<UInt8>) -> TrainingSample {
        TrainingSample(
            position: EncodedPosition(
                codes: Array(UnsafeBufferPointer(start: s, count: Features.points)), toMove: toMove(s),
                theirLastMove: theirLast(s)),
            policyTarget: target(s), valueTarget: value(s), valueMask: mask(s))
    }
}
