import Foundation
import GoRules
import NeuralNet

/// A policy/value network of docs/FORMATS.md's family, built from NeuralNet layers: forward (training
/// or inference), backward, and its parameters under their file names.
///
/// Activations are channel-major, `[C][B·361]`; NCHW appears only at the input.
public final class PolicyValueNetwork {
    /// The input planes: `Features.planes`, the one definition.
    public static let planes = Features.planes
    /// Points of the board (19x19).
    public static let points = Features.points
    /// Policy outputs: the points and the pass.
    public static let moves = Features.moves

    /// What the network is built of.
    public let architecture: Architecture
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
    /// A network outside the family runs as this graph; the family's layers above are then an
    /// empty skeleton that nothing reads.
    let graph: GraphRunner?

    let scratch = Scratch()
    let input = Buffer()
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

    /// A network with every weight zero and batch norms at identity; see `initialize(seed:)`.
    public init(_ architecture: Architecture) {
        self.architecture = architecture
        var a = architecture
        if let spec = architecture.graph {
            // Architecture(json:) and validate() check the graph: an unchecked one is a programming error.
            guard let runner = try? GraphRunner(spec) else { preconditionFailure("an unvalidated graph architecture") }
            graph = runner
            a = Architecture(graph: spec)
        } else {
            graph = nil
        }
        let f = a.filters
        stem = ConvBatchNorm(
            .standard(Conv2D("stem.conv", in: Self.planes, out: f, kernel: 3)), bn: BatchNorm("stem.bn", channels: f),
            relu: true)
        blocks = (0..<a.blocks).map { i -> TrunkBlock in
            if a.trunk == .resnet { return ResidualBlock("blocks.\(i)", filters: f) }
            return MobileBlock("blocks.\(i)", filters: f, expansion: a.expansion)
        }
        let p = a.policyFilters
        policyUnit = ConvBatchNorm(
            .standard(Conv2D("policy.conv", in: f, out: p, kernel: 1)), bn: BatchNorm("policy.bn", channels: p),
            relu: true)
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
            relu: true)
        valueFC1 = Dense("value.fc1", in: a.valueHead == .fc ? v * Self.points : v, out: a.valueHidden)
        valueFC2 = Dense("value.fc2", in: a.valueHidden, out: 1)
    }

    var units: [ConvBatchNorm] { graph == nil ? [stem] + blocks.flatMap(\.units) + [policyUnit, valueUnit] : [] }

    /// Every tensor of the network file (running statistics included), in a stable order.
    public var parameters: [Parameter] {
        if let graph { return graph.parameters }
        var all = units.flatMap(\.parameters)
        if let policyFC { all += [policyFC.weight, policyFC.bias] }
        if let policyOut, let policyPass {
            all += [policyOut.weight, policyOut.bias!, policyPass.weight, policyPass.bias]
        }
        all += [valueFC1.weight, valueFC1.bias, valueFC2.weight, valueFC2.bias]
        return all
    }

    /// The tensors an optimizer updates.
    public var trainableParameters: [Parameter] { parameters.filter(\.trainable) }

    /// docs/FORMATS.md's parameter budget: trainable values, running statistics excluded.
    public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }

    /// Floating-point operations of one position's forward pass (2 per multiply-add of the convolutions and dense layers).
    public var flopsPerPosition: Int {
        if let graph { return 2 * graph.macsPerPosition }
        var macs = units.reduce(0) { $0 + $1.macsPerPoint * Self.points }
        for d in [policyFC, policyPass, valueFC1, valueFC2].compactMap({ $0 }) { macs += d.inputs * d.outputs }
        if let policyOut { macs += policyOut.macsPerPoint * Self.points }
        return 2 * macs
    }

    /// He (Kaiming normal, fan-in) initialisation of every weight; biases zero, batch norms at identity.
    public func initialize(seed: UInt64) {
        var rng = RandomSource(seed: seed)
        for p in parameters {
            if p.name.hasSuffix("running_var") || (p.name.hasSuffix(".weight") && p.shape.count == 1) {
                p.value = [Float](repeating: 1, count: p.count)
            } else if p.name.hasSuffix(".weight") {
                let fanIn = p.shape.dropFirst().reduce(1, *)
                let std = (2 / Double(fanIn)).squareRoot()
                p.value = (0..<p.count).map { _ in Float(std * rng.normal()) }
            } else {
                p.value = [Float](repeating: 0, count: p.count)
            }
        }
        weightsChanged()
    }

    /// Whether 3x3 convolutions use Winograd F(4x4, 3x3) (the default: 3-4x fewer multiplications,
    /// float32 rounding about 1e-6 of the activations' scale) or the direct im2col product.
    public var useWinograd: Bool {
        get { units.allSatisfy { $0.useWinograd } && graph?.useWinograd ?? true }
        set {
            for u in units { u.useWinograd = newValue }
            graph?.useWinograd = newValue
            weightsChanged()
        }
    }

    /// Call after changing weights by hand or by an optimizer: inference refolds batch norm.
    public func weightsChanged() {
        for u in units { u.invalidate() }
    }

    // MARK: Forward

    /// Whether gonet can train it (a graph network runs, but has no backward pass).
    public var isTrainable: Bool { graph == nil }

    /// Runs the network on NCHW planes `[B][6][361]`; returns pointers to the logits `[B][362]`
    /// and values `[B]` (valid until the next call). Training uses batch statistics and keeps what
    /// backward needs. `channelMajor` planes are `[6][B·361]`, the data loader's layout.
    @discardableResult
    public func forward(planes: UnsafePointer<Float>, batch: Int, training: Bool, channelMajor: Bool = false) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    ) {
        if let graph {
            // Trainer refuses graph networks before any training pass.
            precondition(!training, "a graph network cannot be trained")
            return graph.forward(planes: planes, batch: batch, channelMajor: channelMajor)
        }
        let n = batch * Self.points
        let x = input.reserve(Self.planes * n)
        if channelMajor {
            x.update(from: planes, count: Self.planes * n)
        } else {
            Reshape.fromNCHW(planes, x, channels: Self.planes, batch: batch, points: Self.points)
        }
        stem.forward(x, batch: batch, training: training, scratch: scratch)
        var t = stem.output.pointer
        for b in blocks {
            b.forward(t, batch: batch, training: training, scratch: scratch)
            t = b.output
        }
        // Policy head.
        policyUnit.forward(t, batch: batch, training: training, scratch: scratch)
        let h = policyUnit.output.pointer
        let p = architecture.policyFilters
        let out = logits.reserve(batch * Self.moves)
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
        let v = architecture.valueFilters
        let vin: UnsafeMutablePointer<Float>
        if architecture.valueHead == .fc {
            vin = valueIn.reserve(batch * v * Self.points)
            Reshape.flatten(hv, vin, channels: v, batch: batch, points: Self.points)
        } else {
            vin = valueIn.reserve(batch * v)
            Reshape.meanPool(hv, vin, channels: v, batch: batch, points: Self.points)
        }
        let hidden = valueHidden.reserve(batch * architecture.valueHidden)
        valueFC1.forward(vin, hidden, batch: batch)
        Activations.relu(hidden, hidden, count: batch * architecture.valueHidden)
        let pre = valuePre.reserve(batch)
        valueFC2.forward(hidden, pre, batch: batch)
        let vals = values.reserve(batch)
        Activations.tanh(pre, vals, count: batch)
        return (UnsafePointer(out), UnsafePointer(vals))
    }

    // MARK: Backward

    /// Gradients of every trainable parameter from the gradients at the logits and values,
    /// after a training forward pass of the same batch.
    public func backward(batch: Int, dLogits dl: UnsafePointer<Float>, dValues dv: UnsafePointer<Float>) {
        let n = batch * Self.points
        let f = architecture.filters
        let trunkOut = blocks.last?.output ?? stem.output.pointer
        let dT = dTrunkA.reserve(f * n)
        let dT2 = dTrunkB.reserve(f * n)

        // Policy head → dT.
        let p = architecture.policyFilters
        let dh = dHead.reserve(p * n)
        if let policyFC {
            let df = dFlat.reserve(batch * p * Self.points)
            policyFC.backward(policyFlat.pointer, dl, df, batch: batch)
            Reshape.unflatten(df, dh, channels: p, batch: batch, points: Self.points)
        } else if let policyOut, let policyPass {
            let dBoard = dFlat.reserve(n)
            let dPass = dSmall.reserve(batch)
            for b in 0..<batch {
                (dBoard + b * Self.points).update(from: dl + b * Self.moves, count: Self.points)
                dPass[b] = dl[b * Self.moves + Self.points]
            }
            let dPooled = dSmall2.reserve(batch * p)
            policyPass.backward(policyPooled.pointer, dPass, dPooled, batch: batch)
            Reshape.meanPoolBackward(dPooled, dh, channels: p, batch: batch, points: Self.points)
            let dh2 = dHead2.reserve(p * n)
            policyOut.backward(policyUnit.output.pointer, dBoard, dh2, batch: batch, columns: scratch.columns)
            for i in 0..<(p * n) { dh[i] += dh2[i] }
        }
        policyUnit.backward(
            trunkOut, dh, dT, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)

        // Value head → dT2, then dT += dT2.
        let hiddenCount = batch * architecture.valueHidden
        let dPre = dSmall.reserve(batch)
        Activations.tanhBackward(values.pointer, dv, dPre, count: batch)
        let dHidden = dSmall2.reserve(hiddenCount)
        valueFC2.backward(valueHidden.pointer, dPre, dHidden, batch: batch)
        Activations.reluBackward(valueHidden.pointer, dHidden, dHidden, count: hiddenCount)
        let v = architecture.valueFilters
        let dvh = dHead.reserve(v * n)
        if architecture.valueHead == .fc {
            let df = dFlat.reserve(batch * v * Self.points)
            valueFC1.backward(valueIn.pointer, dHidden, df, batch: batch)
            Reshape.unflatten(df, dvh, channels: v, batch: batch, points: Self.points)
        } else {
            let dPooled = dFlat.reserve(batch * v)
            valueFC1.backward(valueIn.pointer, dHidden, dPooled, batch: batch)
            Reshape.meanPoolBackward(dPooled, dvh, channels: v, batch: batch, points: Self.points)
        }
        valueUnit.backward(
            trunkOut, dvh, dT2, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)
        for i in 0..<(f * n) { dT[i] += dT2[i] }

        // Trunk, last block first; dOut and dx alternate between the two trunk buffers.
        var dOut = dT
        var dIn = dT2
        for i in stride(from: blocks.count - 1, through: 0, by: -1) {
            let x = i == 0 ? stem.output.pointer : blocks[i - 1].output
            blocks[i].backward(x, dOut, dIn, batch: batch, scratch: scratch)
            swap(&dOut, &dIn)
        }
        stem.backward(
            input.pointer, dOut, nil, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)
    }
}
