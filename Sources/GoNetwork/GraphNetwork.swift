import Foundation
import NeuralNet

/// A network outside docs/FORMATS.md's family (imported from ONNX), run as its `GraphSpec` on
/// gonet's kernels (Winograd for 3x3 convolutions, BLAS for 1x1 and dense layers) over
/// channel-major board tensors `[C][B·361]` and sample-major vectors `[B][K]`. Buffers are shared
/// between nodes whose values are no longer needed. Inference only: gonet plays it but has no
/// backward pass for it.
public final class GraphNetwork: PolicyValueNetwork {
    /// The operations.
    public let spec: GraphSpec
    /// The file's metadata.
    public var metadata: [String: String] = [:]
    let shapes: [GraphSpec.Shape]
    /// Every node's weights, by node (empty for nodes without any).
    let weights: [[Parameter]]
    private var convs: [Int: Conv2D] = [:]
    private var depthwise: [Int: DepthwiseConv2D] = [:]
    private var denses: [Int: Dense] = [:]
    /// The buffer each node writes (several nodes share one when their values do not overlap in time).
    private let slot: [Int]
    private let buffers: [Buffer]
    private let input = Buffer()
    private let columns = Buffer()
    private let logits = Buffer()
    private let values = Buffer()

    static let points = Features.points

    /// A graph with every weight zero (scale-shift weights one); throws when its shapes do not check out.
    public init(_ spec: GraphSpec) throws(NetworkError) {
        self.spec = spec
        let shapes = try spec.shapes(planes: Features.planes)
        self.shapes = shapes
        func inputShape(_ j: Int) -> GraphSpec.Shape { j == -1 ? .board(Features.planes) : shapes[j] }
        var weights: [[Parameter]] = []
        for (i, n) in spec.nodes.enumerated() {
            let name = "graph.\(i)"
            switch (n.op, inputShape(n.inputs[0])) {
            case (.conv, .board(let c)):
                if n.depthwise == true {
                    let d = DepthwiseConv2D(name, channels: c, kernel: n.kernel ?? 3, bias: true)
                    depthwise[i] = d
                    weights.append(d.weights + [d.bias!])
                } else {
                    let conv = Conv2D(name, in: c, out: n.channels!, kernel: n.kernel!, bias: true)
                    convs[i] = conv
                    weights.append([conv.weight, conv.bias!])
                }
            case (.dense, .vector(let k)):
                let d = Dense(name, in: k, out: n.channels!)
                denses[i] = d
                weights.append([d.weight, d.bias])
            case (.scaleShift, let s):
                let c: Int
                switch s {
                case .board(let channels): c = channels
                case .vector(let k): c = k
                }
                weights.append([
                    Parameter(name + ".weight", shape: [c], value: [Float](repeating: 1, count: c)),
                    Parameter(name + ".bias", shape: [c]),
                ])
            default:
                weights.append([])
            }
        }
        self.weights = weights
        // Liveness: a node's buffer is free again after the last node that reads it.
        var lastUse = [Int](repeating: -1, count: spec.nodes.count)
        for (i, n) in spec.nodes.enumerated() { for j in n.inputs where j >= 0 { lastUse[j] = i } }
        for j in [spec.policy, spec.value] { lastUse[j] = spec.nodes.count }
        var slot = [Int](repeating: 0, count: spec.nodes.count)
        var free: [Int] = []
        var count = 0
        for (i, n) in spec.nodes.enumerated() {
            if let s = free.popLast() {
                slot[i] = s
            } else {
                slot[i] = count
                count += 1
            }
            // Inputs whose last reader is this node free their buffer for the next node (not
            // this one: a node never writes over what it reads).
            for j in Set(n.inputs) where j >= 0 && lastUse[j] == i { free.append(slot[j]) }
        }
        self.slot = slot
        buffers = (0..<count).map { _ in Buffer() }
    }

    private func shape(_ j: Int) -> GraphSpec.Shape { j == -1 ? .board(Features.planes) : shapes[j] }

    /// `.graph(spec)`.
    public var architecture: Architecture { .graph(spec) }

    /// Every node's weights, by node.
    public var parameters: [Parameter] { weights.flatMap { $0 } }

    /// Two per multiply-add of the convolutions and dense layers.
    public var flopsPerPosition: Int { 2 * macsPerPosition }

    /// Multiply-adds per position.
    var macsPerPosition: Int {
        var total = 0
        for i in spec.nodes.indices {
            if let c = convs[i] { total += c.macsPerPoint * Self.points }
            if let d = depthwise[i] { total += d.weightCount * Self.points }
            if let d = denses[i] { total += d.inputs * d.outputs }
        }
        return total
    }

    /// Whether 3x3 convolutions use Winograd.
    public var useWinograd: Bool {
        get { convs.values.allSatisfy(\.useWinograd) }
        set { for c in convs.values { c.useWinograd = newValue } }
    }

    /// The convolutions read their weights on every pass: nothing is folded.
    public func weightsChanged() {}

    /// The outputs of the last forward pass.
    public var lastOutputs: (logits: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        (UnsafePointer(logits.pointer), UnsafePointer(values.pointer))
    }

    /// NCHW planes `[B][6][361]` (or channel-major `[6][B·361]`) to logits `[B][362]` and values `[B]`.
    public func forward(planes: UnsafePointer<Float>, batch: Int, channelMajor: Bool) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    ) {
        let boardStride = channelMajor ? Self.points : Features.planes * Self.points
        let channelStride = channelMajor ? batch * Self.points : Self.points
        let out = logits.reserve(batch * Features.moves)
        let v = values.reserve(batch)
        var start = 0
        while start < batch {
            let m = min(inferenceChunk, batch - start)
            forwardPass(
                planes + start * boardStride, boardStride: boardStride, channelStride: channelStride, batch: m,
                logits: out + start * Features.moves, values: v + start)
            start += m
        }
        return (UnsafePointer(out), UnsafePointer(v))
    }

    /// Boards a pass carries through the graph at a time, as `FamilyNetwork.inferenceChunk`.
    public var inferenceChunk = FamilyNetwork.defaultInferenceChunk

    /// One pass over planes whose element (board b, plane c, point p) is at
    /// `b · boardStride + c · channelStride + p`, writing logits `[B][362]` and values `[B]`.
    private func forwardPass(
        _ planes: UnsafePointer<Float>, boardStride: Int, channelStride: Int, batch: Int,
        logits out: UnsafeMutablePointer<Float>, values v: UnsafeMutablePointer<Float>
    ) {
        let p = Self.points
        let x = input.reserve(Features.planes * batch * p)
        Reshape.channelMajor(
            planes, boardStride: boardStride, channelStride: channelStride, x, channels: Features.planes,
            batch: batch, points: p)
        func value(_ j: Int) -> UnsafeMutablePointer<Float> { j == -1 ? x : buffers[slot[j]].pointer }
        for (i, n) in spec.nodes.enumerated() {
            let y = buffers[slot[i]].reserve(shapes[i].count * batch)
            let a = UnsafePointer(value(n.inputs[0]))
            let count = shapes[i].count * batch
            switch n.op {
            case .conv:
                if let c = convs[i] {
                    c.forward(a, y, batch: batch, columns: columns)
                } else {
                    depthwise[i]!.forward(a, y, batch: batch)
                }
            case .dense: denses[i]!.forward(a, y, batch: batch)
            case .scaleShift: scaleShift(a, y, shapes[i], weights[i], batch: batch)
            case .relu: for k in 0..<count { y[k] = max(a[k], 0) }
            case .sigmoid: for k in 0..<count { y[k] = 1 / (1 + exp(-a[k])) }
            case .tanh: Activations.tanh(a, y, count: count)
            case .leakyRelu:
                let s = n.a ?? 0.01
                for k in 0..<count { y[k] = a[k] >= 0 ? a[k] : s * a[k] }
            case .hardSigmoid:
                let (al, be) = (n.a ?? 0.2, n.b ?? 0.5)
                for k in 0..<count { y[k] = min(max(al * a[k] + be, 0), 1) }
            case .hardSwish: for k in 0..<count { y[k] = a[k] * min(max(a[k] / 6 + 0.5, 0), 1) }
            case .clip:
                let (lo, hi) = (n.a ?? -.infinity, n.b ?? .infinity)
                for k in 0..<count { y[k] = min(max(a[k], lo), hi) }
            case .scale:
                let s = n.a ?? 1
                for k in 0..<count { y[k] = a[k] * s }
            case .add, .mul:
                binary(n.op, i, value, y, batch: batch)
            case .concat:
                concat(i, value, y, batch: batch)
            case .slice:
                // Channel-major: a run of channels is one contiguous run of floats.
                y.update(from: a + n.first! * batch * p, count: count)
            case .mean:
                guard case .board(let c) = shape(n.inputs[0]) else { break }
                Reshape.meanPool(a, y, channels: c, batch: batch, points: p)
            case .max:
                guard case .board(let c) = shape(n.inputs[0]) else { break }
                for ch in 0..<c {
                    for b in 0..<batch {
                        let row = a + (ch * batch + b) * p
                        var m = row[0]
                        for q in 1..<p { m = Swift.max(m, row[q]) }
                        y[b * c + ch] = m
                    }
                }
            case .maxPool, .avgPool:
                guard case .board(let c) = shapes[i] else { break }
                pool(
                    a, y, channels: c * batch, kernel: n.kernel!, max: n.op == .maxPool,
                    countPadding: n.countPadding ?? false)
            case .flatten:
                guard case .board(let c) = shape(n.inputs[0]) else { break }
                if n.channelsLast == true {
                    for ch in 0..<c {
                        for b in 0..<batch {
                            let src = a + ch * batch * p + b * p
                            let dst = y + b * c * p + ch
                            for q in 0..<p { dst[q * c] = src[q] }
                        }
                    }
                } else {
                    Reshape.flatten(a, y, channels: c, batch: batch, points: p)
                }
            }
        }
        out.update(from: value(spec.policy), count: batch * Features.moves)
        if spec.policyIsProbabilities {
            // The logarithm of probabilities is a logit vector (softmax gives them back); zero
            // probabilities stay finite.
            for k in 0..<(batch * Features.moves) { out[k] = log(max(out[k], .leastNormalMagnitude)) }
        }
        v.update(from: value(spec.value), count: batch)
        if spec.valueIsSigmoid { for b in 0..<batch { v[b] = 2 * v[b] - 1 } }
    }

    private func scaleShift(
        _ a: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: GraphSpec.Shape, _ w: [Parameter], batch: Int
    ) {
        let (scale, shift) = (w[0].value, w[1].value)
        switch s {
        case .board(let c):
            let n = batch * Self.points
            for ch in 0..<c { for k in 0..<n { y[ch * n + k] = a[ch * n + k] * scale[ch] + shift[ch] } }
        case .vector(let k):
            for b in 0..<batch { for j in 0..<k { y[b * k + j] = a[b * k + j] * scale[j] + shift[j] } }
        }
    }

    /// Sum or product: elementwise, or a board tensor with a vector of its channels broadcast over the points.
    private func binary(
        _ op: GraphSpec.Op, _ i: Int, _ value: (Int) -> UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
        batch: Int
    ) {
        let n = spec.nodes[i]
        var (a, b) = (UnsafePointer(value(n.inputs[0])), UnsafePointer(value(n.inputs[1])))
        var (sa, sb) = (shape(n.inputs[0]), shape(n.inputs[1]))
        if case .vector = sa, case .board = sb {
            swap(&a, &b)
            swap(&sa, &sb)
        }
        let mul = op == .mul
        if sa == sb {
            let count = sa.count * batch
            if mul { for k in 0..<count { y[k] = a[k] * b[k] } } else { for k in 0..<count { y[k] = a[k] + b[k] } }
            return
        }
        guard case .board(let c) = sa else { return }
        let p = Self.points
        for ch in 0..<c {
            for s in 0..<batch {
                let v = b[s * c + ch]
                let src = a + (ch * batch + s) * p
                let dst = y + (ch * batch + s) * p
                if mul { for q in 0..<p { dst[q] = src[q] * v } } else { for q in 0..<p { dst[q] = src[q] + v } }
            }
        }
    }

    private func concat(
        _ i: Int, _ value: (Int) -> UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int
    ) {
        let n = spec.nodes[i]
        if case .board = shapes[i] {
            // Channel-major: the inputs' channel blocks one after the other.
            var offset = 0
            for j in n.inputs {
                let count = shape(j).count * batch
                (y + offset).update(from: value(j), count: count)
                offset += count
            }
            return
        }
        let total = shapes[i].count
        var offset = 0
        for j in n.inputs {
            let k = shape(j).count
            let src = value(j)
            for b in 0..<batch { (y + b * total + offset).update(from: src + b * k, count: k) }
            offset += k
        }
    }

    /// A k×k window, stride 1, the board kept (k/2 padding): max, or mean over the window's points
    /// on the board (or over all k² with `countPadding`).
    private func pool(
        _ a: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, channels planes: Int, kernel: Int, max isMax: Bool,
        countPadding: Bool
    ) {
        let side = 19
        let r = kernel / 2
        for plane in 0..<planes {
            let src = a + plane * Self.points
            let dst = y + plane * Self.points
            for row in 0..<side {
                for col in 0..<side {
                    var acc: Float = isMax ? -.infinity : 0
                    var n = 0
                    for yy in Swift.max(0, row - r)...Swift.min(side - 1, row + r) {
                        for xx in Swift.max(0, col - r)...Swift.min(side - 1, col + r) {
                            let v = src[yy * side + xx]
                            if isMax { acc = Swift.max(acc, v) } else { acc += v }
                            n += 1
                        }
                    }
                    dst[row * side + col] = isMax ? acc : acc / Float(countPadding ? kernel * kernel : n)
                }
            }
        }
    }
}
