import GoNetwork
import GoRecords
import GoRules

/// The fixed-width bytes a sample takes in the shuffle buffer: 361 point codes, side to move,
/// their last move (u16, 0xFFFF for none), the target move (u16), value (−1, 0, +1) and mask,
/// and the opponent's reply to the target (u16, 0xFFFF where the game ended).
enum SampleCoding {
    static let width = 370

    /// Replays a record and writes each position's sample into `scratch` before calling `body`.
    /// The record was checked at import; a move the board refuses ends the replay (returns false).
    @discardableResult
    static func replay(
        _ r: GameRecord, scratch: UnsafeMutablePointer<UInt8>, _ body: (UnsafeMutablePointer<UInt8>) -> Void
    ) -> Bool {
        var board = Board(size: Board.standardSize)
        var last: PlayedMove? = nil
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

    /// The sample as a value (tests, `games planes`).
    static func decode(_ s: UnsafePointer<UInt8>) -> TrainingSample {
        TrainingSample(
            position: EncodedPosition(
                codes: Array(UnsafeBufferPointer(start: s, count: Features.points)), toMove: toMove(s),
                theirLastMove: theirLast(s)),
            policyTarget: target(s), valueTarget: value(s), valueMask: mask(s))
    }
}
