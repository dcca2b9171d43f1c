import GoRules

/// A position as the network sees it, before symmetry: each point's colour and atari flag, the
/// side to move, and the opponent's last move.
public struct EncodedPosition: Sendable, Equatable {
    /// Per point (index order): 0 empty, 1 black, 2 white, plus `Board.atariBit`.
    public var codes: [UInt8]
    /// The side to move.
    public var toMove: Stone
    /// The point of the previous move when the opponent played it, else -1.
    public var theirLastMove: Int

    /// A position from its point codes, the side to move and the opponent's last move.
    public init(codes: [UInt8], toMove: Stone, theirLastMove: Int) {
        self.codes = codes
        self.toMove = toMove
        self.theirLastMove = theirLastMove
    }

    /// The position of a game now (19x19).
    public init(_ game: Game) {
        precondition(game.size == 19, "networks play 19x19")
        var codes = [UInt8](repeating: 0, count: Features.points)
        codes.withUnsafeMutableBufferPointer { game.board.snapshot(into: $0.baseAddress!) }
        var last = -1
        if let m = game.lastMove, m.color == game.toMove.opponent, let p = m.move.point {
            last = p.index(size: Board.standardSize)
        }
        self.init(codes: codes, toMove: game.toMove, theirLastMove: last)
    }
}

/// docs/FORMATS.md's input features `planes6-v1`.
public enum Features {
    /// Planes per position (docs: `planes6-v1`).
    public static let planes = 6
    /// Points of the 19x19 board a network sees (docs/FORMATS.md: index 19·y + x).
    public static let points = 361
    /// Policy outputs: the points, then pass.
    public static let moves = points + 1

    /// Writes the 6 planes of a position under symmetry `k`: plane p's 361 values go to
    /// `out + p · planeStride` (361 for one NCHW sample; B·361 in the channel-major batch layout).
    @inline(__always)
    public static func encode(
        codes: UnsafePointer<UInt8>, toMove: Stone, theirLastMove: Int, symmetry k: Int,
        into out: UnsafeMutablePointer<Float>, planeStride: Int
    ) {
        let ours: UInt8 = toMove.rawValue
        let theirs: UInt8 = toMove.opponent.rawValue
        let p0 = out
        let p1 = out + planeStride
        let p2 = out + 2 * planeStride
        let p3 = out + 3 * planeStride
        let p4 = out + 4 * planeStride
        let p5 = out + 5 * planeStride
        Symmetry.destination[k].withUnsafeBufferPointer { dest in
            for i in 0..<Features.points {
                let c = codes[i]
                let color = c & Board.colorMask
                let d = Int(dest[i])
                p0[d] = color == ours ? 1 : 0
                p1[d] = color == theirs ? 1 : 0
                p2[d] = color == 0 ? 1 : 0
                p3[d] = 0
                p4[d] = c & Board.atariBit != 0 ? 1 : 0
            }
            if theirLastMove >= 0 { p3[Int(dest[theirLastMove])] = 1 }
        }
        p5.update(repeating: toMove == .white ? 1 : 0, count: Features.points)
    }

    /// NCHW planes `[6][361]` of one position under symmetry k.
    public static func planes(_ position: EncodedPosition, symmetry k: Int = 0) -> [Float] {
        var out = [Float](repeating: 0, count: 6 * Features.points)
        position.codes.withUnsafeBufferPointer { codes in
            out.withUnsafeMutableBufferPointer {
                encode(
                    codes: codes.baseAddress!, toMove: position.toMove, theirLastMove: position.theirLastMove,
                    symmetry: k, into: $0.baseAddress!, planeStride: Features.points)
            }
        }
        return out
    }
}

extension PolicyValueNetwork {
    /// Inference on positions (BN folded, Winograd): move probabilities `[B][362]` and values.
    public func evaluate(_ positions: [EncodedPosition], symmetry: Int = 0) -> (policy: [Float], value: [Float]) {
        var planes = [Float]()
        planes.reserveCapacity(positions.count * 6 * Features.points)
        for p in positions { planes += Features.planes(p, symmetry: symmetry) }
        var (policy, value) = evaluate(planes: planes, batch: positions.count)
        if symmetry != 0 {
            // Bring the policy back to the positions' own orientation.
            var back = policy
            for b in 0..<positions.count {
                for i in 0..<Features.points {
                    back[b * Features.moves + i] = policy[b * Features.moves + Symmetry.apply(symmetry, i)]
                }
            }
            policy = back
        }
        return (policy, value)
    }
}

extension PolicyValueNetwork {
    /// Inference averaged over the 8 symmetries (one batch of 8·B): move probabilities `[B][362]`
    /// in the positions' own orientation and values. On the held-out Tygem month the budget
    /// network's top-1 goes from 39.6% to 41.3% this way (docs/STRENGTH.md).
    public func evaluateSymmetric(_ positions: [EncodedPosition]) -> (policy: [Float], value: [Float]) {
        let n = positions.count
        var planes = [Float]()
        planes.reserveCapacity(8 * n * Features.planes * Features.points)
        for k in 0..<8 { for p in positions { planes += Features.planes(p, symmetry: k) } }
        let (all, values) = evaluate(planes: planes, batch: 8 * n)
        var policy = [Float](repeating: 0, count: n * Features.moves)
        var value = [Float](repeating: 0, count: n)
        for k in 0..<8 {
            let dest = Symmetry.destination[k]
            for b in 0..<n {
                let row = (k * n + b) * Features.moves
                // The probability of point i is the transformed board's at its image under k.
                for i in 0..<Features.points { policy[b * Features.moves + i] += all[row + Int(dest[i])] / 8 }
                policy[b * Features.moves + Features.points] += all[row + Features.points] / 8
                value[b] += values[k * n + b] / 8
            }
        }
        return (policy, value)
    }
}
