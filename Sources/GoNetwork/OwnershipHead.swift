import NeuralNet

/// The ownership head: who owns each point when the game is counted, +1 the side to move, −1 the
/// opponent (KataGo's ownership target, arXiv 1902.10565 §4.1, which with the score target made
/// its training 1.65× as efficient). It reads the value head's features, a 1x1 convolution to one
/// plane and a tanh. Training only: its tensors (`ownership.*`) live in checkpoints, never in the
/// network file a tournament plays.
final class OwnershipHead {
    let out: Conv2D
    private let owned = Buffer()
    private let dPre = Buffer()
    private let dFeatures = Buffer()

    /// A head over `features` channels of the value head.
    init(features: Int) {
        out = Conv2D("ownership.out", in: features, out: 1, kernel: 1, bias: true)
    }

    var parameters: [Parameter] { [out.weight, out.bias!] }

    /// The ownership `[B·361]` (sample-major) from the value head's features `h` `[V][B·361]`.
    func forward(_ h: UnsafePointer<Float>, batch: Int, columns: Buffer) -> UnsafeMutablePointer<Float> {
        let n = batch * Features.points
        let y = owned.reserve(n)
        out.forward(h, y, batch: batch, columns: columns)
        Activations.tanh(y, y, count: n)
        return y
    }

    /// Gradients of the head's parameters from `dOwned`, the gradient at the last forward's
    /// output; adds the gradient of `h` into `dh`.
    func backward(
        _ h: UnsafePointer<Float>, dOwned: UnsafePointer<Float>, addingTo dh: UnsafeMutablePointer<Float>,
        batch: Int, columns: Buffer
    ) {
        let n = batch * Features.points
        let d = dPre.reserve(n)
        Activations.tanhBackward(owned.pointer, dOwned, d, count: n)
        let v = out.inChannels
        let df = dFeatures.reserve(v * n)
        out.backward(h, d, df, batch: batch, columns: columns)
        for i in 0..<(v * n) { dh[i] += df[i] }
    }
}
