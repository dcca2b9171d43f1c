import NeuralNet

/// Scratch buffers a backward pass shares between layers.
final class Scratch {
    let columns = Buffer()
    let dPre = Buffer()
    let dMid1 = Buffer()
    let dMid2 = Buffer()
    let dSkip = Buffer()
    let dPool = Buffer()
    let dExcite = Buffer()
}

/// One residual block of a trunk.
protocol TrunkBlock: AnyObject {
    var units: [ConvBatchNorm] { get }
    /// The global pooling bias added to the first unit, when the block has one.
    var pool: GlobalPoolBias? { get }
    /// The squeeze-and-excitation gate, when the block has one.
    var excitation: SqueezeExcitation? { get }
    /// The block's output after a forward pass, `[F][N]`.
    var output: UnsafeMutablePointer<Float> { get }
    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool, scratch: Scratch)
    /// Parameter gradients from dOut; writes the gradient of the block's input into dx.
    func backward(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, batch: Int,
        scratch: Scratch)
}

extension TrunkBlock {
    /// The first unit on the block's input `x`, with the pooling bias of `x` when the block has one.
    func forwardFirst(
        _ unit: ConvBatchNorm, _ x: UnsafePointer<Float>, batch: Int, training: Bool, scratch: Scratch
    ) {
        let bias = pool?.forward(x, batch: batch, points: Features.points)
        unit.forward(x, batch: batch, training: training, residual: bias, scratch: scratch)
    }

    /// The first unit's backward: writes dx, and adds the pooling bias's share when there is one.
    func backwardFirst(
        _ unit: ConvBatchNorm, _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>,
        _ dx: UnsafeMutablePointer<Float>, batch: Int, scratch: Scratch
    ) {
        let points = Features.points
        guard let pool else {
            unit.backward(x, dOut, dx, batch: batch, points: points, dPre: scratch.dPre, columns: scratch.columns)
            return
        }
        let dBias = scratch.dPool.reserve(unit.outChannels * batch * points)
        unit.backward(
            x, dOut, dx, batch: batch, points: points, dResidual: dBias, dPre: scratch.dPre, columns: scratch.columns)
        pool.backward(x, dBias, addingTo: dx, batch: batch, points: points)
    }
}

extension ConvBatchNorm {
    func forward(
        _ x: UnsafePointer<Float>, batch: Int, training: Bool, residual: UnsafePointer<Float>? = nil, scratch: Scratch
    ) {
        if training {
            forwardTraining(x, batch: batch, points: Features.points, residual: residual, columns: scratch.columns)
        } else {
            forwardInference(x, batch: batch, points: Features.points, residual: residual, columns: scratch.columns)
        }
    }
}

/// `f(x + [se](bn2(conv2(f(bn1(conv1(x)) [+ pool(x)])))))`, f the trunk's activation.
final class ResidualBlock: TrunkBlock {
    let first: ConvBatchNorm
    let second: ConvBatchNorm
    let pool: GlobalPoolBias?
    let excitation: SqueezeExcitation?
    let activation: Activation
    /// The block's output when a gate comes between the second unit and the sum.
    private let sum = Buffer()
    /// The sum before a smooth activation, when a gate comes before it (for backward).
    private let preSum = Buffer()
    var units: [ConvBatchNorm] { [first, second] }
    var output: UnsafeMutablePointer<Float> { excitation == nil ? second.output.pointer : sum.pointer }

    init(_ name: String, filters f: Int, pooling: Bool, excitation hidden: Int, activation: Activation) {
        pool = pooling ? GlobalPoolBias(name + ".pool", channels: f, outputs: f) : nil
        excitation = hidden > 0 ? SqueezeExcitation(name + ".se", channels: f, hidden: hidden) : nil
        self.activation = activation
        first = ConvBatchNorm(
            .standard(Conv2D(name + ".conv1", in: f, out: f, kernel: 3)), bn: BatchNorm(name + ".bn1", channels: f),
            activation: activation)
        // With a gate, the sum and its activation come after it, in the block.
        second = ConvBatchNorm(
            .standard(Conv2D(name + ".conv2", in: f, out: f, kernel: 3)), bn: BatchNorm(name + ".bn2", channels: f),
            activation: hidden == 0 ? activation : .identity)
    }

    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool, scratch: Scratch) {
        forwardFirst(first, x, batch: batch, training: training, scratch: scratch)
        guard let excitation else {
            second.forward(first.output.pointer, batch: batch, training: training, residual: x, scratch: scratch)
            return
        }
        second.forward(first.output.pointer, batch: batch, training: training, scratch: scratch)
        let n = second.outChannels * batch * Features.points
        let out = sum.reserve(n)
        excitation.forward(
            second.output.pointer, addingTo: x, into: out, batch: batch, points: Features.points,
            relu: activation == .relu)
        if activation.needsInput {
            if training { preSum.reserve(n).update(from: out, count: n) }
            activation.apply(out, count: n)
        }
    }

    func backward(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, batch: Int,
        scratch: Scratch
    ) {
        let n = first.outChannels * batch * Features.points
        let dMid = scratch.dMid1.reserve(n)
        let dSkip = scratch.dSkip.reserve(n)
        if let excitation {
            activation.backward(input: preSum.pointer, output: sum.pointer, dOut, dSkip, count: n)
            let dGated = scratch.dExcite.reserve(n)
            excitation.backward(second.output.pointer, dSkip, dGated, batch: batch, points: Features.points)
            second.backward(
                first.output.pointer, dGated, dMid, batch: batch, points: Features.points, dPre: scratch.dPre,
                columns: scratch.columns)
        } else {
            second.backward(
                first.output.pointer, dOut, dMid, batch: batch, points: Features.points, dResidual: dSkip,
                dPre: scratch.dPre,
                columns: scratch.columns)
        }
        backwardFirst(first, x, dMid, dx, batch: batch, scratch: scratch)
        for i in 0..<n { dx[i] += dSkip[i] }
    }
}

/// `x + bn3(project([se](f(bn2(depthwise(f(bn1(expand(x)) [+ pool(x)])))))))`, f the trunk's activation.
final class MobileBlock: TrunkBlock {
    let expand: ConvBatchNorm
    let depthwise: ConvBatchNorm
    let project: ConvBatchNorm
    let pool: GlobalPoolBias?
    let excitation: SqueezeExcitation?
    var units: [ConvBatchNorm] { [expand, depthwise, project] }
    var output: UnsafeMutablePointer<Float> { project.output.pointer }
    /// What the projection reads: the depthwise unit's output, gated when there is a gate.
    private var projected: UnsafeMutablePointer<Float> { excitation?.output.pointer ?? depthwise.output.pointer }

    init(
        _ name: String, filters f: Int, expansion e: Int, kernels: [Int], pooling: Bool, excitation hidden: Int,
        activation: Activation
    ) {
        pool = pooling ? GlobalPoolBias(name + ".pool", channels: f, outputs: e) : nil
        excitation = hidden > 0 ? SqueezeExcitation(name + ".se", channels: e, hidden: hidden) : nil
        expand = ConvBatchNorm(
            .standard(Conv2D(name + ".expand", in: f, out: e, kernel: 1)), bn: BatchNorm(name + ".bn1", channels: e),
            activation: activation)
        depthwise = ConvBatchNorm(
            .depthwise(DepthwiseConv2D(name + ".depthwise", channels: e, kernels: kernels)),
            bn: BatchNorm(name + ".bn2", channels: e),
            activation: activation)
        project = ConvBatchNorm(
            .standard(Conv2D(name + ".project", in: e, out: f, kernel: 1)), bn: BatchNorm(name + ".bn3", channels: f),
            activation: .identity)
    }

    func forward(_ x: UnsafePointer<Float>, batch: Int, training: Bool, scratch: Scratch) {
        forwardFirst(expand, x, batch: batch, training: training, scratch: scratch)
        depthwise.forward(expand.output.pointer, batch: batch, training: training, scratch: scratch)
        excitation?.forward(depthwise.output.pointer, batch: batch, points: Features.points)
        project.forward(projected, batch: batch, training: training, residual: x, scratch: scratch)
    }

    func backward(
        _ x: UnsafePointer<Float>, _ dOut: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, batch: Int,
        scratch: Scratch
    ) {
        let ne = expand.outChannels * batch * Features.points
        let nf = project.outChannels * batch * Features.points
        let d2 = scratch.dMid2.reserve(ne)
        let d1 = scratch.dMid1.reserve(ne)
        let dSkip = scratch.dSkip.reserve(nf)
        let dProjected = excitation == nil ? d2 : scratch.dExcite.reserve(ne)
        project.backward(
            projected, dOut, dProjected, batch: batch, points: Features.points, dResidual: dSkip,
            dPre: scratch.dPre,
            columns: scratch.columns)
        excitation?.backward(depthwise.output.pointer, dProjected, d2, batch: batch, points: Features.points)
        depthwise.backward(
            expand.output.pointer, d2, d1, batch: batch, points: Features.points, dPre: scratch.dPre,
            columns: scratch.columns)
        backwardFirst(expand, x, d1, dx, batch: batch, scratch: scratch)
        for i in 0..<nf { dx[i] += dSkip[i] }
    }
}
