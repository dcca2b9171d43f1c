import Foundation
import GoRules
import NeuralNet

/// A network of docs/FORMATS.md's family, built from NeuralNet layers: forward (training or
/// inference), backward, and its parameters under their file names. The only kind gonet trains.
///
/// Activations are channel-major, `[C][B·361]`; NCHW appears only at the input.
public final class FamilyNetwork: PolicyValueNetwork {
    static let planes = Features.planes
    static let points = Features.points
    static let moves = Features.moves

    /// The network's shape.
    public let family: Architecture.Family
    /// What the network is built of (always `.family`).
    public var architecture: Architecture { .family(family) }
    /// The file's metadata: name, author, created, notes, training (format keys are written on save).
    public var metadata: [String: String] = [:]
    let stem: ConvBatchNorm
    let blocks: [TrunkBlock]
    let policyUnit: ConvBatchNorm
    let policyFC: Dense?
    let policyOut: Conv2D?
    let policyPass: Dense?
    let valueUnit: ConvBatchNorm
    let valueFC1: Dense
    let valueFC2: Dense
    /// The opponent's-reply head, present only while training with a reply weight.
    private(set) var replyHead: ReplyHead?
    /// The score head (a dense unit over the value head's hidden layer, predicting the final
    /// score for the side to move in units of 10 points), present while training with a score
    /// weight or loaded from a heads file (`HeadsFile`).
    var scoreHead: Dense?
    /// The ownership head, present while training with an ownership weight or loaded from a heads file.
    var ownershipHead: OwnershipHead?

    let scratch = Scratch()
    let input = Buffer()
    let gridTrunk = GridTrunk()
    /// Whether the last training pass ran the trunk on the grid (what backward must follow).
    var trunkTrainedOnGrid = false
    let policyFlat = Buffer()
    let policyBoard = Buffer()
    let policyPooled = Buffer()
    let passLogit = Buffer()
    let logits = Buffer()
    let valueIn = Buffer()
    let valueHidden = Buffer()
    let valuePre = Buffer()
    let values = Buffer()
    // Backward-only.
    let dTrunkA = Buffer()
    let dTrunkB = Buffer()
    let dHead = Buffer()
    let dHead2 = Buffer()
    let dFlat = Buffer()
    let dSmall = Buffer()
    let dSmall2 = Buffer()
    let dLogits = Buffer()
    let dValues = Buffer()
    let dReplyLogits = Buffer()
    let scores = Buffer()
    let dScores = Buffer()
    let dOwned = Buffer()
    let dScoreHidden = Buffer()

    /// A network with every weight zero and batch norms at identity; see `initialize(seed:)`.
    public init(_ family: Architecture.Family) {
        self.family = family
        let a = family
        let f = a.filters
        stem = ConvBatchNorm(
            .standard(Conv2D("stem.conv", in: Self.planes, out: f, kernel: 3)), bn: BatchNorm("stem.bn", channels: f),
            activation: a.activation.activation)
        blocks = (0..<a.blocks).map { i -> TrunkBlock in
            if a.trunk == .resnet {
                return ResidualBlock(
                    "blocks.\(i)", filters: f, pooling: a.pools(block: i), excitation: a.squeezeExcitation,
                    activation: a.activation.activation)
            }
            return MobileBlock(
                "blocks.\(i)", filters: f, expansion: a.expansion, kernels: a.depthwiseKernel.kernels,
                pooling: a.pools(block: i),
                excitation: a.squeezeExcitation, activation: a.activation.activation)
        }
        let p = a.policyFilters
        policyUnit = ConvBatchNorm(
            .standard(Conv2D("policy.conv", in: f, out: p, kernel: 1)), bn: BatchNorm("policy.bn", channels: p),
            activation: .relu)
        if a.policyHead == .fc {
            policyFC = Dense("policy.fc", in: p * Self.points, out: Self.moves)
            policyOut = nil
            policyPass = nil
        } else {
            policyFC = nil
            policyOut = Conv2D("policy.out", in: p, out: 1, kernel: 1, bias: true)
            policyPass = Dense("policy.pass", in: p, out: 1)
        }
        let v = a.valueFilters
        valueUnit = ConvBatchNorm(
            .standard(Conv2D("value.conv", in: f, out: v, kernel: 1)), bn: BatchNorm("value.bn", channels: v),
            activation: .relu)
        valueFC1 = Dense("value.fc1", in: a.valueHead == .fc ? v * Self.points : v, out: a.valueHidden)
        valueFC2 = Dense("value.fc2", in: a.valueHidden, out: 1)
    }

    var units: [ConvBatchNorm] { [stem] + blocks.flatMap(\.units) + [policyUnit, valueUnit] }

    /// Every tensor of the network file (running statistics included), in a stable order.
    public var parameters: [Parameter] {
        var all = units.flatMap(\.parameters) + blocks.compactMap(\.pool).flatMap(\.parameters)
        all += blocks.compactMap(\.excitation).flatMap(\.parameters)
        if let policyFC { all += [policyFC.weight, policyFC.bias] }
        if let policyOut, let policyPass {
            all += [policyOut.weight, policyOut.bias!, policyPass.weight, policyPass.bias]
        }
        all += [valueFC1.weight, valueFC1.bias, valueFC2.weight, valueFC2.bias]
        return all
    }

    /// The parameters a training run updates and checkpoints: the file's, and the auxiliary
    /// heads' that the file does not keep.
    public var trainingParameters: [Parameter] {
        parameters + (replyHead?.parameters ?? []) + analysisHeadParameters
    }

    /// Whether the opponent's-reply head is attached (see `addReplyHead(seed:)`).
    public var hasReplyHead: Bool { replyHead != nil }

    /// Attaches the training-only head that predicts the opponent's reply, He-initialised from
    /// `seed`; `lossAndGradients` trains it when the reply weight is above zero.
    public func addReplyHead(seed: UInt64) {
        let head = ReplyHead(features: family.policyFilters)
        var rng = RandomSource(seed: seed)
        for w in [head.out.weight, head.pass.weight] {
            let std = (2 / Double(w.shape.dropFirst().reduce(1, *))).squareRoot()
            w.value = (0..<w.count).map { _ in Float(std * rng.normal()) }
        }
        replyHead = head
    }

    /// Attaches the training-only score head, He-initialised from `seed`; `lossAndGradients`
    /// trains it on counted games when the score weight is above zero.
    public func addScoreHead(seed: UInt64) {
        let head = Dense("score.fc", in: family.valueHidden, out: 1)
        var rng = RandomSource(seed: seed)
        let std = (2 / Double(family.valueHidden)).squareRoot()
        head.weight.value = (0..<head.weight.count).map { _ in Float(std * rng.normal()) }
        scoreHead = head
    }

    /// Attaches the training-only ownership head, He-initialised from `seed`; `lossAndGradients`
    /// trains it on counted games when the ownership weight is above zero.
    public func addOwnershipHead(seed: UInt64) {
        let head = OwnershipHead(features: family.valueFilters)
        var rng = RandomSource(seed: seed)
        let std = (2 / Double(family.valueFilters)).squareRoot()
        head.out.weight.value = (0..<head.out.weight.count).map { _ in Float(std * rng.normal()) }
        ownershipHead = head
    }

    /// Floating-point operations of one position's forward pass (2 per multiply-add of the convolutions and dense layers).
    public var flopsPerPosition: Int {
        var macs = units.reduce(0) { $0 + $1.macsPerPoint * Self.points }
        macs += blocks.compactMap(\.pool).reduce(0) { $0 + $1.macsPerPosition }
        macs += blocks.compactMap(\.excitation).reduce(0) { $0 + $1.macsPerPosition }
        for d in [policyFC, policyPass, valueFC1, valueFC2].compactMap({ $0 }) { macs += d.inputs * d.outputs }
        if let policyOut { macs += policyOut.macsPerPoint * Self.points }
        return 2 * macs
    }

    /// Whether inference runs the trunk on the grid layout (`GridTrunk`): a resnet trunk without
    /// pooling bias or gates, its convolutions by Winograd.
    public var trunkOnGrid: Bool { GridTrunk.blocks(stem: stem, blocks) != nil }

    /// Whether training may run the trunk on the grid layout, as inference does, where the trunk
    /// and the batch allow it (`trainsTrunkOnGrid(batch:)`). The default; false trains layer by
    /// layer, with the same results to float rounding (what the tests compare).
    public var trainOnGrid = true

    /// Whether training at `batch` runs the trunk on the grid layout: `trainOnGrid`, a trunk that
    /// inference runs on the grid whose units all use ReLU, and an activation tensor of at most
    /// `gridTrainingFloats`.
    public func trainsTrunkOnGrid(batch: Int) -> Bool {
        trainOnGrid && batch * GridLayout(channels: family.filters).boardSize <= Self.gridTrainingFloats
            && GridTrunk.trainingBlocks(stem: stem, blocks) != nil
    }

    /// 2^20 floats (4 MiB): the largest activation tensor training keeps on the grid. The grid's
    /// batch norm passes stream each tensor from memory where the layer-by-layer path works a
    /// channel at a time in the core's cache, so the grid wins while a tensor stays near the
    /// caches. `gonet bench nn --threads 2`, alternating rounds on AMD EPYC (medians, samples/s
    /// on the grid against layer by layer): the small network (32 filters) at batch 64 (0.95 Mi
    /// floats) 1,013 against 689, at 96 734 against 738, at 128 697 against 897; the medium
    /// network (64 filters) at batch 64 (1.9 Mi floats) 328 against 319, at 96, 128 and 256
    /// 15%, 26% and 10% slower on the grid.
    public static let gridTrainingFloats = 1 << 20

    /// Whether 3x3 convolutions use Winograd F(4x4, 3x3) (the default: 3-4x fewer multiplications,
    /// float32 rounding about 1e-6 of the activations' scale) or the direct im2col product.
    public var useWinograd: Bool {
        get { units.allSatisfy { $0.useWinograd } }
        set {
            for u in units { u.useWinograd = newValue }
            weightsChanged()
        }
    }

    /// Call after changing weights by hand or by an optimizer: inference refolds batch norm.
    public func weightsChanged() {
        for u in units { u.invalidate() }
    }

    /// Inference: `forward(planes:batch:training:channelMajor:)` without training.
    public func forward(planes: UnsafePointer<Float>, batch: Int, channelMajor: Bool) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    ) {
        forward(planes: planes, batch: batch, training: false, channelMajor: channelMajor)
    }

    /// The outputs of the last forward pass (valid until the next one).
    public var lastOutputs: (logits: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        (UnsafePointer(logits.pointer), UnsafePointer(values.pointer))
    }

    /// Runs the network on NCHW planes `[B][6][361]`; returns pointers to the logits `[B][362]`
    /// and values `[B]` (valid until the next call). Training uses batch statistics and keeps what
    /// backward needs. `channelMajor` planes are `[6][B·361]`, the data loader's layout.
    @discardableResult
    public func forward(planes: UnsafePointer<Float>, batch: Int, training: Bool, channelMajor: Bool = false) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    ) {
        let boardStride = channelMajor ? Self.points : Self.planes * Self.points
        let channelStride = channelMajor ? batch * Self.points : Self.points
        let out = logits.reserve(batch * Self.moves)
        let vals = values.reserve(batch)
        // The analysis heads (`lastScores`, `lastOwnership`, `--heads-only` training) read this
        // pass's intermediate buffers, which hold the whole batch only when it ran in one piece.
        let chunk = training || !analysisHeads.isEmpty ? batch : inferenceChunk
        var start = 0
        while start < batch {
            let m = min(chunk, batch - start)
            forwardPass(
                planes + start * boardStride, boardStride: boardStride, channelStride: channelStride, batch: m,
                training: training, logits: out + start * Self.moves, values: vals + start)
            start += m
        }
        return (UnsafePointer(out), UnsafePointer(vals))
    }

    /// Boards an inference pass carries through the network at a time: larger batches run in
    /// pieces of this size, so a piece's activations stay in the cores' caches.
    public var inferenceChunk = defaultInferenceChunk

    /// 16: chosen by `gonet bench nn` at batch 256 against pieces of 8, 24, 32 and 64 and none
    /// (docs/RESULTS.md, "Small networks against ONNX Runtime"). Graph networks use it too.
    public static let defaultInferenceChunk = 16

    /// One forward pass over planes whose element (board b, plane c, point p) is at
    /// `b · boardStride + c · channelStride + p`, writing logits `[B][362]` and values `[B]`.
    private func forwardPass(
        _ planes: UnsafePointer<Float>, boardStride: Int, channelStride: Int, batch: Int, training: Bool,
        logits out: UnsafeMutablePointer<Float>, values vals: UnsafeMutablePointer<Float>
    ) {
        let n = batch * Self.points
        var t: UnsafeMutablePointer<Float>
        if training { trunkTrainedOnGrid = false }
        if training, trainsTrunkOnGrid(batch: batch), let plain = GridTrunk.trainingBlocks(stem: stem, blocks) {
            t = gridTrunk.forwardTraining(
                planes, boardStride: boardStride, channelStride: channelStride, batch: batch, stem: stem,
                blocks: plain, columns: scratch.columns)
            trunkTrainedOnGrid = true
        } else if !training, let plain = GridTrunk.blocks(stem: stem, blocks) {
            t = gridTrunk.forward(
                planes, boardStride: boardStride, channelStride: channelStride, batch: batch, stem: stem,
                blocks: plain, columns: scratch.columns)
        } else {
            let x = input.reserve(Self.planes * n)
            Reshape.channelMajor(
                planes, boardStride: boardStride, channelStride: channelStride, x, channels: Self.planes,
                batch: batch, points: Self.points)
            stem.forward(x, batch: batch, training: training, scratch: scratch)
            t = stem.output.pointer
            for b in blocks {
                b.forward(t, batch: batch, training: training, scratch: scratch)
                t = b.output
            }
        }
        // Policy head.
        policyUnit.forward(t, batch: batch, training: training, scratch: scratch)
        let h = policyUnit.output.pointer
        let p = family.policyFilters
        if let policyFC {
            let flat = policyFlat.reserve(batch * p * Self.points)
            Reshape.flatten(h, flat, channels: p, batch: batch, points: Self.points)
            policyFC.forward(flat, out, batch: batch)
        } else if let policyOut, let policyPass {
            let board = policyBoard.reserve(n)
            policyOut.forward(h, board, batch: batch, columns: scratch.columns)
            let pooled = policyPooled.reserve(batch * p)
            Reshape.meanPool(h, pooled, channels: p, batch: batch, points: Self.points)
            let pass = passLogit.reserve(batch)
            policyPass.forward(pooled, pass, batch: batch)
            for b in 0..<batch {
                (out + b * Self.moves).update(from: board + b * Self.points, count: Self.points)
                out[b * Self.moves + Self.points] = pass[b]
            }
        }
        // Value head.
        valueUnit.forward(t, batch: batch, training: training, scratch: scratch)
        let hv = valueUnit.output.pointer
        let v = family.valueFilters
        let vin: UnsafeMutablePointer<Float>
        if family.valueHead == .fc {
            vin = valueIn.reserve(batch * v * Self.points)
            Reshape.flatten(hv, vin, channels: v, batch: batch, points: Self.points)
        } else {
            vin = valueIn.reserve(batch * v)
            Reshape.meanPool(hv, vin, channels: v, batch: batch, points: Self.points)
        }
        let hidden = valueHidden.reserve(batch * family.valueHidden)
        valueFC1.forward(vin, hidden, batch: batch)
        Activations.relu(hidden, hidden, count: batch * family.valueHidden)
        let pre = valuePre.reserve(batch)
        valueFC2.forward(hidden, pre, batch: batch)
        Activations.tanh(pre, vals, count: batch)
    }
}
