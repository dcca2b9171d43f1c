import NeuralNet

/// The auxiliary policy head that predicts the opponent's reply to the move played (KataGo's
/// "opponent policy", arXiv 1902.10565 §5: a training signal that every record gives for free).
/// It reads the policy head's features, as the main policy's conv head does: a 1x1 convolution to
/// one plane for the 361 points and a dense unit over their mean for pass. Training only: its
/// tensors (`reply.*`) live in checkpoints, never in the network file a tournament plays.
final class ReplyHead {
    let out: Conv2D
    let pass: Dense
    private let board = Buffer()
    private let pooled = Buffer()
    private let passLogit = Buffer()
    private let logits = Buffer()
    private let dBoard = Buffer()
    private let dPass = Buffer()
    private let dPooled = Buffer()
    private let dFeatures = Buffer()

    /// A head over `features` channels of the policy head.
    init(features: Int) {
        out = Conv2D("reply.out", in: features, out: 1, kernel: 1, bias: true)
        pass = Dense("reply.pass", in: features, out: 1)
    }

    var parameters: [Parameter] { [out.weight, out.bias!, pass.weight, pass.bias] }

    /// The logits `[B][362]` of the reply from the policy head's features `h` `[P][B·361]`.
    func forward(_ h: UnsafePointer<Float>, batch: Int, columns: Buffer) -> UnsafeMutablePointer<Float> {
        let points = Features.points
        let p = out.inChannels
        let b = board.reserve(batch * points)
        out.forward(h, b, batch: batch, columns: columns)
        let m = pooled.reserve(batch * p)
        Reshape.meanPool(h, m, channels: p, batch: batch, points: points)
        let pl = passLogit.reserve(batch)
        pass.forward(m, pl, batch: batch)
        let z = logits.reserve(batch * Features.moves)
        for s in 0..<batch {
            (z + s * Features.moves).update(from: b + s * points, count: points)
            z[s * Features.moves + points] = pl[s]
        }
        return z
    }

    /// Gradients of the head's parameters from `dLogits`; adds the gradient of `h` into `dh`.
    func backward(
        _ h: UnsafePointer<Float>, dLogits dl: UnsafePointer<Float>, addingTo dh: UnsafeMutablePointer<Float>,
        batch: Int, columns: Buffer
    ) {
        let points = Features.points
        let p = out.inChannels
        let db = dBoard.reserve(batch * points)
        let dp = dPass.reserve(batch)
        for s in 0..<batch {
            (db + s * points).update(from: dl + s * Features.moves, count: points)
            dp[s] = dl[s * Features.moves + points]
        }
        let dm = dPooled.reserve(batch * p)
        pass.backward(pooled.pointer, dp, dm, batch: batch)
        let df = dFeatures.reserve(p * batch * points)
        Reshape.meanPoolBackward(dm, df, channels: p, batch: batch, points: points)
        for i in 0..<(p * batch * points) { dh[i] += df[i] }
        out.backward(h, db, df, batch: batch, columns: columns)
        for i in 0..<(p * batch * points) { dh[i] += df[i] }
    }
}
