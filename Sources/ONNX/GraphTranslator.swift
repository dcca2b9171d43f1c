import Foundation
import GoNetwork
import NeuralNet

/// Translates an ONNX graph outside gonet's family into a `GraphSpec`, node by node: each ONNX
/// operator of docs/ONNX.md's list becomes one of gonet's graph operations (a batch norm after a
/// convolution or dense layer is folded into it, shape bookkeeping disappears); anything else is
/// refused with the node's name and op.
struct GraphTranslator {
    let g: ONNXGraph
    let path: String
    var nodes: [GraphSpec.Node] = []
    var tensors: [String: Tensor] = [:]
    /// Whether the policy output was a Softmax (or LogSoftmax), dropped for the logits before it.
    var policyWasSoftmax = false

    /// What an ONNX value is for gonet: a node's output (−1: the planes) and how ONNX sees its layout.
    struct Value {
        var node: Int
        var layout: Layout
        /// Set on the logits before a Softmax/LogSoftmax, which is dropped.
        var softmaxDropped = false
        /// How the value was bounded by its last operations: a Tanh, a Sigmoid, or 2·Sigmoid − 1
        /// (gonet's own export of a sigmoid value), which reads as a tanh.
        var end = End.unbounded
    }

    enum End { case unbounded, tanh, sigmoid, twiceSigmoid }

    enum Layout: Equatable {
        /// [N, C, 19, 19].
        case board(Int)
        /// [N, 19, 19, C]: a board tensor transposed to channels-last (Keras's order), only flattened or transposed back.
        case boardChannelsLast(Int)
        /// [N, K].
        case vector(Int)
        /// [N, C, 1, 1]: a vector ONNX keeps four-dimensional (squeeze-and-excitation).
        case pixel(Int)
        /// [N, C, 1]: halfway between a vector and a pixel (PyTorch's `x[:, :, None, None]` exports
        /// two Unsqueezes), only squeezed or unsqueezed further.
        case column(Int)
    }

    private var values: [String: Value] = [:]

    init(g: ONNXGraph, path: String) {
        self.g = g
        self.path = path
    }

    typealias Node = ONNXGraph.Node

    func fail(_ n: Node, _ why: String) -> ONNXError { ONNXError(path, "\(n.label): \(why)") }

    mutating func translate(policy: ONNXImport.PolicyOutput?, value: ONNXImport.ValueOutput?) throws -> GraphSpec {
        let dims = g.inputDims
        if dims.count == 4, dims[1] == 6, (dims[2] ?? 19) == 19, (dims[3] ?? 19) == 19 {
            values[g.input] = Value(node: -1, layout: .board(6))
        } else if dims.count == 4, dims[3] == 6, (dims[1] ?? 19) == 19, (dims[2] ?? 19) == 19 {
            values[g.input] = Value(node: -1, layout: .boardChannelsLast(6))
        } else {
            throw ONNXError(
                path,
                "input \"\(g.input)\" has shape \(dims.map { $0.map(String.init) ?? "N" }); gonet gives [N, 6, 19, 19] or [N, 19, 19, 6]"
            )
        }
        for n in g.nodes { try translate(n) }
        // The outputs: 362 numbers are the policy, one the value.
        var policyValue: Value?
        var valueValue: Value?
        for name in g.outputs {
            guard let v = values[name] else {
                throw ONNXError(path, "output \"\(name)\" is not computed from the planes")
            }
            switch v.layout {
            case .vector(Features.moves), .pixel(Features.moves): policyValue = v
            case .vector(1), .pixel(1): valueValue = v
            default: continue
            }
        }
        guard let p = policyValue, let v = valueValue else {
            throw ONNXError(
                path,
                "gonet needs an output of 362 numbers (the policy) and one of 1 (the value); the outputs are \(g.outputs.joined(separator: ", "))"
            )
        }
        var spec = GraphSpec(nodes: nodes, policy: p.node, value: v.node)
        guard p.node >= 0, v.node >= 0 else { throw ONNXError(path, "an output is the input planes") }
        spec.policyIsProbabilities = !p.softmaxDropped && policy == .probabilities
        policyWasSoftmax = p.softmaxDropped
        switch value {
        case .sigmoid?: spec.valueIsSigmoid = true
        case .tanh?: spec.valueIsSigmoid = false
        case nil:
            guard [.tanh, .sigmoid].contains(v.end) else {
                throw ONNXError(
                    path,
                    "the value output does not end in Tanh or Sigmoid; say which it is (gonet net import --value tanh|sigmoid)"
                )
            }
            spec.valueIsSigmoid = v.end == .sigmoid
        }
        return spec
    }

    private func input(_ n: Node, _ i: Int) throws -> Value {
        guard i < n.inputs.count, let v = values[n.inputs[i]] else {
            if i < n.inputs.count, g.constants[n.inputs[i]] != nil {
                throw fail(n, "input \(i + 1) is a constant where gonet expects a computed value")
            }
            throw fail(n, "input \(i + 1) is not computed from the planes")
        }
        return v
    }

    private func constant(_ n: Node, _ i: Int) -> ONNXGraph.Constant? {
        i < n.inputs.count ? g.constants[n.inputs[i]] : nil
    }

    private mutating func emit(
        _ node: GraphSpec.Node, _ layout: Layout, for n: Node, weight: Tensor? = nil, bias: Tensor? = nil
    ) {
        let i = nodes.count
        nodes.append(node)
        if let weight { tensors["graph.\(i).weight"] = weight }
        if let bias { tensors["graph.\(i).bias"] = bias }
        values[n.outputs[0]] = Value(node: i, layout: layout)
    }

    /// Channels of a layout, as gonet's graph shape sees them.
    private func width(_ l: Layout) -> Int {
        switch l {
        case .board(let c), .boardChannelsLast(let c), .vector(let c), .pixel(let c), .column(let c): return c
        }
    }

    private func vectorLike(_ l: Layout) -> Bool {
        if case .vector = l { return true }
        if case .pixel = l { return true }
        return false
    }

    private mutating func translate(_ n: Node) throws {
        guard n.outputs.count == 1 || ["BatchNormalization", "Dropout", "Split"].contains(n.op) else {
            throw fail(n, "\(n.outputs.count) outputs")
        }
        switch n.op {
        case "Conv": try conv(n)
        case "BatchNormalization": try batchNorm(n)
        case "Relu", "Sigmoid", "Tanh", "LeakyRelu", "HardSigmoid", "HardSwish", "Clip":
            let x = try input(n, 0)
            if case .boardChannelsLast = x.layout {
                throw fail(n, "gonet reads channels-last tensors only to flatten them")
            }
            var node = GraphSpec.Node(op(n.op), [x.node])
            switch n.op {
            case "LeakyRelu": node.a = n.float("alpha") ?? 0.01
            case "HardSigmoid": (node.a, node.b) = (n.float("alpha") ?? 0.2, n.float("beta") ?? 0.5)
            case "Clip":
                // Opset 11 on: bounds as inputs; before: as attributes.
                node.a = constant(n, 1)?.values.first ?? n.float("min") ?? -.infinity
                node.b = constant(n, 2)?.values.first ?? n.float("max") ?? .infinity
                if node.a == -.infinity { node.a = -Float.greatestFiniteMagnitude }
                if node.b == .infinity { node.b = Float.greatestFiniteMagnitude }
            default: break
            }
            emit(node, x.layout, for: n)
            if n.op == "Sigmoid" { values[n.outputs[0]]!.end = .sigmoid }
            if n.op == "Tanh" { values[n.outputs[0]]!.end = .tanh }
        case "Softmax", "LogSoftmax":
            var x = try input(n, 0)
            guard vectorLike(x.layout), width(x.layout) == Features.moves, g.outputs.contains(n.outputs[0]) else {
                throw fail(n, "gonet reads a Softmax only at the end of the policy (362 moves, a graph output)")
            }
            x.softmaxDropped = true
            values[n.outputs[0]] = x
        case "Add", "Mul", "Sub", "Div": try arithmetic(n)
        case "Concat": try concat(n)
        case "Split": try split(n)
        case "Slice": try slice(n)
        case "GlobalAveragePool", "ReduceMean", "GlobalMaxPool", "ReduceMax":
            let isMax = n.op.hasSuffix("Max") || n.op == "GlobalMaxPool"
            let x = try input(n, 0)
            guard case .board(let c) = x.layout else {
                throw fail(n, "gonet \(isMax ? "takes maxima of" : "averages") board tensors [N, C, 19, 19]")
            }
            if n.op.hasPrefix("Reduce") {
                let axes = n.ints("axes") ?? constant(n, 1).flatMap { ONNXGraph.integers($0.values) }
                guard let axes, Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == [2, 3] else {
                    throw fail(
                        n, "gonet \(isMax ? "takes the maximum" : "averages") over the board (axes 2 and 3)")
                }
            }
            let keep = n.op.hasPrefix("Global") || (n.int("keepdims") ?? 1) == 1
            emit(GraphSpec.Node(isMax ? .max : .mean, [x.node]), keep ? .pixel(c) : .vector(c), for: n)
        case "AveragePool", "MaxPool": try pool(n)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze": try reshape(n)
        case "Transpose":
            let x = try input(n, 0)
            let perm = n.ints("perm") ?? []
            switch (x.layout, perm) {
            case (.board(let c), [0, 2, 3, 1]):
                values[n.outputs[0]] = Value(node: x.node, layout: .boardChannelsLast(c))
            case (.boardChannelsLast(let c), [0, 3, 1, 2]):
                values[n.outputs[0]] = Value(node: x.node, layout: .board(c))
            default: throw fail(n, "gonet reads Transpose between NCHW and NHWC board tensors only, not perm \(perm)")
            }
        case "Gemm", "MatMul": try dense(n)
        case "Dropout":
            // Inference: the identity.
            values[n.outputs[0]] = try input(n, 0)
        default:
            throw fail(n, "operator \(n.op) is not one gonet reads (docs/ONNX.md lists them)")
        }
    }

    private func op(_ onnx: String) -> GraphSpec.Op {
        switch onnx {
        case "Relu": return .relu
        case "Sigmoid": return .sigmoid
        case "Tanh": return .tanh
        case "LeakyRelu": return .leakyRelu
        case "HardSigmoid": return .hardSigmoid
        case "HardSwish": return .hardSwish
        default: return .clip
        }
    }

    private mutating func conv(_ n: Node) throws {
        let x = try input(n, 0)
        guard let w = constant(n, 1), w.dims.count == 4, w.dims.allSatisfy({ $0 > 0 }) else {
            throw fail(n, "the weight must be a constant [out, in, k, k]")
        }
        let (out, k) = (w.dims[0], w.dims[2])
        let group = Int(n.int("group") ?? 1)
        if let s = n.ints("strides"), s.contains(where: { $0 != 1 }) { throw fail(n, "strides \(s): gonet's are 1") }
        if let d = n.ints("dilations"), d.contains(where: { $0 != 1 }) {
            throw fail(n, "dilations \(d): gonet's are 1")
        }
        let bias = constant(n, 2)?.values ?? [Float](repeating: 0, count: out)
        guard bias.count == out else { throw fail(n, "a bias of \(bias.count) for \(out) channels") }
        guard w.dims[3] == k else { throw fail(n, "a \(k)x\(w.dims[3]) kernel: gonet's are square") }
        if case .pixel(let c) = x.layout {
            // A 1x1 convolution of [N, C, 1, 1] (squeeze-and-excitation) is a dense layer.
            guard k == 1, group == 1, w.dims[1] == c else {
                throw fail(n, "gonet reads 1x1 convolutions of a pooled vector")
            }
            var node = GraphSpec.Node(.dense, [x.node])
            node.channels = out
            emit(
                node, .pixel(out), for: n, weight: Tensor(shape: [out, c], data: w.values),
                bias: Tensor(shape: [out], data: bias))
            return
        }
        guard case .board(let c) = x.layout else { throw fail(n, "gonet convolves board tensors [N, C, 19, 19]") }
        guard k == 1 || k == 3 || (k == 5 && group > 1) else {
            throw fail(n, "a \(k)x\(k) kernel: gonet's convolutions are 1x1 or 3x3 (and 5x5 depthwise)")
        }
        guard n.keepsBoard(kernel: k) else { throw fail(n, "padding must keep the board 19x19") }
        var node = GraphSpec.Node(.conv, [x.node])
        node.kernel = k
        node.channels = out
        if group == 1 {
            guard w.dims[1] == c else { throw fail(n, "a weight for \(w.dims[1]) input channels; the input has \(c)") }
        } else {
            guard group == c, out == c, w.dims[1] == 1, k == 3 || k == 5 else {
                throw fail(
                    n,
                    "group \(group): gonet reads ordinary and depthwise 3x3 or 5x5 (group = channels = outputs) convolutions"
                )
            }
            node.depthwise = true
        }
        emit(
            node, .board(out), for: n, weight: Tensor(shape: w.dims, data: w.values),
            bias: Tensor(shape: [out], data: bias))
    }

    /// Folds into the convolution or dense layer it follows (when nothing else reads that
    /// layer's output), else becomes a scale_shift.
    private mutating func batchNorm(_ n: Node) throws {
        let x = try input(n, 0)
        guard let s = constant(n, 1), let b = constant(n, 2), let m = constant(n, 3), let v = constant(n, 4) else {
            throw fail(n, "scale, bias, mean and variance must be constants")
        }
        let c = width(x.layout)
        guard [s, b, m, v].allSatisfy({ $0.values.count == c }) else {
            throw fail(n, "statistics for other than \(c) channels")
        }
        let eps = n.float("epsilon") ?? 1e-5
        var scale = [Float](repeating: 0, count: c)
        var shift = [Float](repeating: 0, count: c)
        for i in 0..<c {
            guard v.values[i] + eps > 0 else { throw fail(n, "a variance of \(v.values[i])") }
            scale[i] = s.values[i] / (v.values[i] + eps).squareRoot()
            shift[i] = b.values[i] - m.values[i] * scale[i]
        }
        try scaleShift(n, x, scale: scale, shift: shift)
    }

    /// y = x · scale + shift per channel: folded into the layer before when only this reads it.
    private mutating func scaleShift(_ n: Node, _ x: Value, scale: [Float], shift: [Float]) throws {
        if case .boardChannelsLast = x.layout {
            throw fail(n, "gonet reads channels-last tensors only to flatten them")
        }
        let c = scale.count
        if x.node >= 0, [.conv, .dense].contains(nodes[x.node].op), onlyReader(n, of: x.node),
            var w = tensors["graph.\(x.node).weight"], var bias = tensors["graph.\(x.node).bias"]
        {
            let per = w.data.count / c
            for o in 0..<c {
                for j in 0..<per { w.data[o * per + j] *= scale[o] }
                bias.data[o] = bias.data[o] * scale[o] + shift[o]
            }
            tensors["graph.\(x.node).weight"] = w
            tensors["graph.\(x.node).bias"] = bias
            values[n.outputs[0]] = x
            return
        }
        if case .boardChannelsLast = x.layout {
            throw fail(n, "gonet reads channels-last tensors only to flatten them")
        }
        emit(
            GraphSpec.Node(.scaleShift, [x.node]), x.layout, for: n, weight: Tensor(shape: [c], data: scale),
            bias: Tensor(shape: [c], data: shift))
    }

    /// Whether `n` is the only reader of gonet node `node`'s output (under any of its ONNX names),
    /// and no graph output is it: then `n` may be folded into it.
    private func onlyReader(_ n: Node, of node: Int) -> Bool {
        let names = values.filter { $0.value.node == node }.map(\.key)
        guard !names.contains(where: g.outputs.contains) else { return false }
        return names.reduce(0) { $0 + g.consumers(of: $1).count } == 1 && names.contains(where: n.inputs.contains)
    }

    private mutating func arithmetic(_ n: Node) throws {
        guard n.inputs.count == 2 else { throw fail(n, "\(n.inputs.count) inputs") }
        let consts = [constant(n, 0), constant(n, 1)]
        if consts[0] == nil, consts[1] == nil {
            guard ["Add", "Mul"].contains(n.op) else { throw fail(n, "gonet reads \(n.op) by a constant only") }
            let (a, b) = (try input(n, 0), try input(n, 1))
            let layouts = [a.layout, b.layout]
            let ok =
                a.layout == b.layout
                || layouts.contains {
                    if case .board(let c) = $0 {
                        return layouts.contains(.pixel(c)) || layouts.contains(.vector(c))
                    } else {
                        return false
                    }
                }
            guard ok else { throw fail(n, "shapes \(a.layout) and \(b.layout) do not go together") }
            if layouts.contains(where: { if case .boardChannelsLast = $0 { return true } else { return false } }) {
                throw fail(n, "gonet reads channels-last tensors only to flatten them")
            }
            let out = layouts.first { if case .board = $0 { return true } else { return false } } ?? a.layout
            emit(GraphSpec.Node(n.op == "Add" ? .add : .mul, [a.node, b.node]), out, for: n)
            return
        }
        // One side a constant: a scalar or one number per channel.
        guard let k = consts[0] ?? consts[1], consts[0] == nil || consts[1] == nil else {
            throw fail(n, "both inputs are constants")
        }
        let x = try input(n, consts[0] == nil ? 0 : 1)
        guard consts[1] != nil || ["Add", "Mul"].contains(n.op) else {
            throw fail(n, "gonet reads x \(n.op) constant only")
        }
        let c = width(x.layout)
        guard k.values.count == 1 || k.values.count == c, k.dims.reduce(1, *) == k.values.count else {
            throw fail(n, "a constant of shape \(k.dims) for \(c) channels; gonet reads a scalar or one per channel")
        }
        if k.values.count == c, c > 1, case .board = x.layout {
            // Per channel of a board tensor: [C, 1, 1] or [1, C, 1, 1] in NCHW broadcasting.
            guard k.dims.count >= 3, k.dims.suffix(2) == [1, 1] else {
                throw fail(n, "a constant of shape \(k.dims); gonet reads [C, 1, 1] for a board tensor")
            }
        }
        let per = k.values.count == 1 ? [Float](repeating: k.values[0], count: c) : k.values
        defer {
            // 2σ − 1 is a tanh-like value: note it for the value output.
            if k.values == [2], n.op == "Mul", x.end == .sigmoid { values[n.outputs[0]]?.end = .twiceSigmoid }
            if x.end == .twiceSigmoid, (n.op == "Sub" && k.values == [1]) || (n.op == "Add" && k.values == [-1]) {
                values[n.outputs[0]]?.end = .tanh
            }
        }
        switch n.op {
        case "Mul":
            if k.values.count == 1 {
                var node = GraphSpec.Node(.scale, [x.node])
                node.a = k.values[0]
                if case .boardChannelsLast = x.layout {
                    throw fail(n, "gonet reads channels-last tensors only to flatten them")
                }
                emit(node, x.layout, for: n)
            } else {
                try scaleShift(n, x, scale: per, shift: [Float](repeating: 0, count: c))
            }
        case "Div":
            guard per.allSatisfy({ $0 != 0 }) else { throw fail(n, "division by zero") }
            try scaleShift(n, x, scale: per.map { 1 / $0 }, shift: [Float](repeating: 0, count: c))
        case "Sub":
            try scaleShift(n, x, scale: [Float](repeating: 1, count: c), shift: per.map { -$0 })
        default:
            try scaleShift(n, x, scale: [Float](repeating: 1, count: c), shift: per)
        }
    }

    private mutating func concat(_ n: Node) throws {
        let xs = try n.inputs.indices.map { try input(n, $0) }
        let axis = n.int("axis") ?? 1
        let allVectors = xs.allSatisfy { if case .vector = $0.layout { return true } else { return false } }
        guard axis == 1 || axis == -1 && allVectors else {
            throw fail(n, "gonet concatenates along channels (axis 1)")
        }
        guard xs.count >= 2, xs.count <= 64 else { throw fail(n, "\(xs.count) inputs") }
        let total = xs.reduce(0) { $0 + width($1.layout) }
        let layout: Layout
        if xs.allSatisfy({ if case .board = $0.layout { return true } else { return false } }) {
            layout = .board(total)
        } else if xs.allSatisfy({ if case .pixel = $0.layout { return true } else { return false } }) {
            layout = .pixel(total)
        } else if xs.allSatisfy({ vectorLike($0.layout) }) {
            layout = .vector(total)
        } else {
            throw fail(n, "gonet concatenates tensors of one kind (board, or vectors)")
        }
        emit(GraphSpec.Node(.concat, xs.map(\.node)), layout, for: n)
    }

    /// A Split along channels (MixConv's groups): one slice node per part.
    private mutating func split(_ n: Node) throws {
        let x = try input(n, 0)
        guard case .board(let c) = x.layout, (n.int("axis") ?? 0) == 1 else {
            throw fail(n, "gonet splits board tensors [N, C, 19, 19] along channels (axis 1)")
        }
        guard let sizes = g.splitSizes(n, channels: c) else {
            throw fail(n, "its parts do not divide the \(c) channels")
        }
        var first = 0
        for (size, output) in zip(sizes, n.outputs) {
            var node = GraphSpec.Node(.slice, [x.node])
            (node.first, node.channels) = (first, size)
            nodes.append(node)
            values[output] = Value(node: nodes.count - 1, layout: .board(size))
            first += size
        }
    }

    /// A Slice of channels (`x[:, a:b]`), step 1.
    private mutating func slice(_ n: Node) throws {
        let x = try input(n, 0)
        guard case .board(let c) = x.layout else {
            throw fail(n, "gonet slices board tensors [N, C, 19, 19] along channels")
        }
        guard let range = g.channelRange(n, channels: c) else {
            throw fail(n, "gonet slices one range of channels (axes [1], step 1, constant bounds)")
        }
        let (from, to) = (range.lowerBound, range.upperBound)
        guard to > from else { throw fail(n, "channels \(from)..<\(to) of \(c): nothing left") }
        var node = GraphSpec.Node(.slice, [x.node])
        (node.first, node.channels) = (from, to - from)
        emit(node, .board(to - from), for: n)
    }

    private mutating func pool(_ n: Node) throws {
        let x = try input(n, 0)
        guard case .board(let c) = x.layout else { throw fail(n, "gonet pools board tensors [N, C, 19, 19]") }
        guard let ks = n.ints("kernel_shape"), ks.count == 2, ks[0] == ks[1], ks[0] % 2 == 1, (1...19).contains(ks[0])
        else {
            throw fail(n, "gonet pools odd square windows up to 19x19")
        }
        if let s = n.ints("strides"), s.contains(where: { $0 != 1 }) {
            throw fail(n, "strides \(s): gonet keeps the board 19x19")
        }
        if let d = n.ints("dilations"), d.contains(where: { $0 != 1 }) { throw fail(n, "dilations \(d)") }
        if (n.int("ceil_mode") ?? 0) != 0 { throw fail(n, "ceil_mode") }
        guard n.keepsBoard(kernel: Int(ks[0])) else { throw fail(n, "padding must keep the board 19x19") }
        var node = GraphSpec.Node(n.op == "MaxPool" ? .maxPool : .avgPool, [x.node])
        node.kernel = Int(ks[0])
        if n.op == "AveragePool" { node.countPadding = (n.int("count_include_pad") ?? 0) == 1 }
        emit(node, .board(c), for: n)
    }

    /// Flatten, Reshape, Squeeze and Unsqueeze between the forms gonet knows.
    private mutating func reshape(_ n: Node) throws {
        let x = try input(n, 0)
        // The shape asked for, per sample (Reshape: 0 copies a dimension, −1 is what is left).
        var target: [Int]?
        switch n.op {
        case "Flatten":
            guard (n.int("axis") ?? 1) == 1 else { throw fail(n, "gonet flattens from axis 1") }
            target = [-1]
        case "Reshape":
            guard let s = constant(n, 1), s.values.count >= 1, s.values.count <= 4 else {
                throw fail(n, "the shape must be a constant (use torch.flatten rather than x.view(x.size(0), -1))")
            }
            guard let dims = ONNXGraph.integers(s.values) else {
                throw fail(n, "the shape \(s.values) is not whole numbers")
            }
            target = dims.dropFirst().map { Int($0) }
            if let first = dims.first, first != 0, first != -1 {
                throw fail(n, "the first dimension must be the batch (0 or -1), not \(first)")
            }
        case "Squeeze", "Unsqueeze":
            if width(x.layout) > 1 {
                var y = x
                y.layout = try squeezed(n, x.layout)
                values[n.outputs[0]] = y
                return
            }
            target = nil
        default: break
        }
        let out: Layout
        switch (x.layout, n.op) {
        case (.board(let c), "Flatten"),
            (.board(let c), "Reshape") where target == [-1] || target == [c * Features.points]:
            var node = GraphSpec.Node(.flatten, [x.node])
            node.channelsLast = false
            emit(node, .vector(c * Features.points), for: n)
            return
        case (.boardChannelsLast(let c), "Flatten"),
            (.boardChannelsLast(let c), "Reshape") where target == [-1] || target == [c * Features.points]:
            var node = GraphSpec.Node(.flatten, [x.node])
            node.channelsLast = true
            emit(node, .vector(c * Features.points), for: n)
            return
        case (.pixel(let c), "Flatten"), (.pixel(let c), "Squeeze"): out = .vector(c)
        case (.pixel(let c), "Reshape") where target == [-1] || target == [c]: out = .vector(c)
        case (.pixel(let c), "Reshape") where target == [c, 1, 1] || target == [-1, 1, 1]: out = .pixel(c)
        case (.vector(let c), "Flatten"), (.vector(let c), "Squeeze"): out = .vector(c)
        case (.vector(let c), "Unsqueeze"): out = c == 1 ? .vector(1) : .pixel(c)
        case (.vector(let c), "Reshape") where target == [-1] || target == [c] || target == [] && c == 1:
            out = .vector(c)
        case (.vector(let c), "Reshape") where target == [c, 1, 1] || target == [-1, 1, 1]: out = .pixel(c)
        default:
            throw fail(n, "gonet cannot read this \(n.op) of a \(x.layout) tensor\(target.map { " to \($0)" } ?? "")")
        }
        var y = x
        y.layout = out
        values[n.outputs[0]] = y
    }

    /// The layout a Squeeze or Unsqueeze of more than one channel gives: between [N, C], [N, C, 1]
    /// and [N, C, 1, 1] only, adding or taking away axes 2 and 3 (squeezing without axes takes
    /// every 1 away).
    private func squeezed(_ n: Node, _ layout: Layout) throws -> Layout {
        let axes = n.ints("axes") ?? constant(n, 1).flatMap { ONNXGraph.integers($0.values) }
        let rank: Int
        switch layout {
        case .vector: rank = 2
        case .column: rank = 3
        default: rank = 4
        }
        // Negative axes count from the end of the side that has them: Unsqueeze's output.
        let sideRank = n.op == "Unsqueeze" ? rank + (axes?.count ?? 0) : rank
        let named = axes.map { Set($0.map { Int($0) < 0 ? Int($0) + sideRank : Int($0) }) }
        switch (layout, n.op, named) {
        case (.vector(let c), "Unsqueeze", [2, 3]?), (.column(let c), "Unsqueeze", [3]?): return .pixel(c)
        case (.vector(let c), "Unsqueeze", [2]?), (.pixel(let c), "Squeeze", [3]?): return .column(c)
        case (.pixel(let c), "Squeeze", [2, 3]?), (.pixel(let c), "Squeeze", nil), (.column(let c), "Squeeze", [2]?),
            (.column(let c), "Squeeze", nil), (.vector(let c), "Squeeze", nil):
            return .vector(c)
        default:
            throw fail(
                n, "gonet reads \(n.op) of axes 2 and 3 only (between [N, C], [N, C, 1] and [N, C, 1, 1])")
        }
    }

    /// Gemm (alpha and beta folded in), or MatMul by a constant [K, M] (its bias from an Add after it).
    private mutating func dense(_ n: Node) throws {
        let x = try input(n, 0)
        guard vectorLike(x.layout) else { throw fail(n, "gonet's dense layers read a vector [N, K]; flatten first") }
        let k = width(x.layout)
        guard let b = constant(n, 1), b.dims.count == 2, b.dims.allSatisfy({ $0 > 0 }) else {
            throw fail(n, "the weight must be a constant matrix")
        }
        var weight: [Float]
        var rows: Int
        var bias: [Float]
        if n.op == "Gemm" {
            guard (n.int("transA") ?? 0) == 0 else { throw fail(n, "transA 1") }
            let transposed = (n.int("transB") ?? 0) == 1
            rows = transposed ? b.dims[0] : b.dims[1]
            guard (transposed ? b.dims[1] : b.dims[0]) == k else { throw fail(n, "a weight \(b.dims) for \(k) inputs") }
            weight = transposed ? b.values : ONNXGraph.transpose(b.values, b.dims[0], b.dims[1])
            let alpha = n.float("alpha") ?? 1
            let beta = n.float("beta") ?? 1
            weight = weight.map { $0 * alpha }
            let c = constant(n, 2)?.values ?? [Float](repeating: 0, count: rows)
            guard c.count == rows || c.count == 1 else { throw fail(n, "a bias of \(c.count) for \(rows) outputs") }
            bias = (c.count == 1 ? [Float](repeating: c[0], count: rows) : c).map { $0 * beta }
        } else {
            guard b.dims[0] == k else { throw fail(n, "a weight \(b.dims) for \(k) inputs") }
            rows = b.dims[1]
            weight = ONNXGraph.transpose(b.values, b.dims[0], b.dims[1])
            bias = [Float](repeating: 0, count: rows)
        }
        var node = GraphSpec.Node(.dense, [x.node])
        node.channels = rows
        emit(
            node, .vector(rows), for: n, weight: Tensor(shape: [rows, k], data: weight),
            bias: Tensor(shape: [rows], data: bias))
    }
}
