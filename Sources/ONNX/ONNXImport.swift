import Foundation
import GoNetwork
import NeuralNet

/// An ONNX graph becomes a gonet network file. A network of gonet's family (docs/FORMATS.md) is
/// matched layer by layer (stem, resnet or mobile blocks, the policy and value heads; convolution
/// biases and batch norms of any ε become gonet's batch norms) and runs exactly as a native one;
/// any other graph of the operators docs/ONNX.md lists becomes a graph network (`GraphSpec`). A
/// Softmax policy or a Sigmoid value is turned back into logits or a tanh. What neither reads is
/// refused with the node's name and op.
public enum ONNXImport {
    /// What the policy output holds when the graph does not end it with a Softmax (which gonet drops).
    public enum PolicyOutput: String, Sendable, CaseIterable { case logits, probabilities }
    /// What the value output holds when the graph does not end it with a Tanh or a Sigmoid.
    public enum ValueOutput: String, Sendable, CaseIterable { case tanh, sigmoid }

    /// How the imported graph ended: what was undone to give gonet's logits and tanh value.
    public struct Report: Sendable, Equatable {
        /// The imported network's architecture, summarised.
        public var architecture: String
        /// The input was channels-last (NHWC) and is read as NCHW.
        public var inputWasNHWC: Bool
        /// The policy ended in a Softmax, taken off to give logits.
        public var policyWasSoftmax: Bool
        /// The value ended in a Sigmoid, turned into tanh's range.
        public var valueWasSigmoid: Bool
    }

    /// Reads `path` and returns the network (checked as any network file is) with what was found;
    /// `policy` and `value` say what outputs without a final Softmax, Tanh or Sigmoid hold.
    public static func network(path: String, policy: PolicyOutput? = nil, value: ValueOutput? = nil) throws
        -> (PolicyValueNetwork, Report)
    {
        try network(ONNXGraph(path: path), path: path, policy: policy, value: value)
    }

    /// The same from a model's bytes (`path` names it in errors).
    public static func network(data: Data, path: String, policy: PolicyOutput? = nil, value: ValueOutput? = nil)
        throws -> (PolicyValueNetwork, Report)
    {
        try network(ONNXGraph(data: data, path: path), path: path, policy: policy, value: value)
    }

    private static func network(_ g: ONNXGraph, path: String, policy: PolicyOutput?, value: ValueOutput?) throws
        -> (PolicyValueNetwork, Report)
    {
        var architecture: Architecture
        var report: Report
        var tensors: [String: Tensor]
        var m = Matcher(g: g, path: path)
        do {
            (architecture, report) = try m.match()
            tensors = m.tensors
        } catch {
            // Not gonet's family: any graph of the operators gonet reads. Its refusal is the one
            // shown, since it names the first node gonet cannot run at all.
            var t = GraphTranslator(g: g, path: path)
            let spec = try t.translate(policy: policy, value: value)
            architecture = Architecture.graph(spec)
            do { try architecture.validate() } catch { throw ONNXError(path, "\(error)") }
            tensors = t.tensors
            report = Report(
                architecture: spec.summary, inputWasNHWC: g.inputDims.count == 4 && g.inputDims[3] == 6,
                policyWasSoftmax: t.policyWasSoftmax, valueWasSigmoid: spec.valueIsSigmoid)
        }
        var file = SafeTensors()
        for (name, t) in tensors { file.set(name, t) }
        var meta = g.metadata.filter { !["format", "features", "architecture"].contains($0.key) }
        meta["format"] = NetworkFile.format
        meta["features"] = NetworkFile.features
        meta["architecture"] = architecture.json
        meta["imported"] = (path as NSString).lastPathComponent
        file.metadata = meta
        return (try NetworkFile.load(file, path: path), report)
    }
}

private struct Matcher {
    let g: ONNXGraph
    let path: String
    var tensors: [String: Tensor] = [:]
    /// The trunk's nonlinearity, as its stem showed it; every trunk unit must use the same.
    var trunkActivation: Architecture.Family.TrunkActivation?

    /// What follows a unit's batch norm: nothing, ReLU (the heads), or the trunk's activation.
    enum Nonlinearity { case none, relu, trunk }
    /// gonet's batch-norm ε: a graph's own ε is folded into the variance.
    static let epsilon: Float = 1e-5

    typealias Node = ONNXGraph.Node

    func fail(_ n: Node, _ why: String) -> ONNXError { ONNXError(path, "\(n.label): \(why)") }

    /// The one node reading `value`, which must be one of `ops`.
    func next(_ value: String, _ ops: Set<String>, after n: Node) throws -> Node {
        let cs = g.consumers(of: value)
        guard cs.count == 1, let c = cs.first else {
            throw fail(
                n, "its output feeds \(cs.count) nodes; gonet expects one \(ops.sorted().joined(separator: " or "))")
        }
        guard ops.contains(c.op) else {
            throw fail(c, "gonet expects \(ops.sorted().joined(separator: " or ")) after \(n.label)")
        }
        return c
    }

    func constant(_ n: Node, _ i: Int) throws -> ONNXGraph.Constant {
        guard i < n.inputs.count, let c = g.constants[n.inputs[i]] else {
            throw fail(n, "input \(i + 1) must be a constant (a weight), not a computed value")
        }
        return c
    }

    mutating func match() throws -> (Architecture, ONNXImport.Report) {
        var a = Architecture.Family()
        var nhwc = false
        var x = g.input
        let dims = g.inputDims
        if dims.count == 4, dims[3] == 6, dims[1] == 19 {
            // [N, 19, 19, 6] (Keras, tf2onnx): a Transpose to NCHW comes first.
            let t = try next(
                x, ["Transpose"], after: Node(name: x, op: "input", inputs: [], outputs: [], attributes: [:]))
            guard t.ints("perm") == [0, 3, 1, 2] else { throw fail(t, "an NHWC input needs perm [0, 3, 1, 2]") }
            nhwc = true
            x = t.outputs[0]
        } else if !(dims.count == 4 && dims[1] == 6 && (dims[2] ?? 19) == 19 && (dims[3] ?? 19) == 19) {
            throw ONNXError(
                path,
                "input \"\(g.input)\" has shape \(dims.map { $0.map(String.init) ?? "N" }); gonet gives [N, 6, 19, 19] or [N, 19, 19, 6]"
            )
        }
        let stemConv = try next(
            x, ["Conv"], after: Node(name: g.input, op: "input", inputs: [], outputs: [], attributes: [:]))
        var (t, filters) = try unit(stemConv, conv: "stem.conv", bn: "stem.bn", activation: .trunk)
        a.filters = filters
        a.blocks = 0
        var trunk: Architecture.Family.Trunk?
        var pooled: [Int] = []
        // Each block's gate width (0: none); the family gates every block alike.
        var excitations: [Int] = []
        while true {
            let cs = g.consumers(of: t)
            let pools = cs.filter { Self.boardPools.contains($0.op) }
            guard cs.count == 2 + pools.count, pools.isEmpty || pools.count == 2,
                let add = cs.first(where: { $0.op == "Add" }), let first = cs.first(where: { $0.op == "Conv" })
            else { break }
            let b = "blocks.\(a.blocks)"
            let bias = pools.isEmpty ? nil : try poolBias(pools, prefix: "\(b).pool")
            if bias != nil { pooled.append(a.blocks) }
            let kernel = try constant(first, 1).dims.last ?? 0
            let kind: Architecture.Family.Trunk = kernel == 3 ? .resnet : .mobile
            if let trunk, trunk != kind { throw fail(first, "a \(kind) block after \(trunk) blocks") }
            trunk = kind
            var y: String
            switch kind {
            case .resnet:
                let (h, _) = try unit(first, conv: "\(b).conv1", bn: "\(b).bn1", activation: .trunk, bias: bias)
                (y, _) = try unit(
                    try next(h, ["Conv"], after: first), conv: "\(b).conv2", bn: "\(b).bn2", activation: .none)
                excitations.append(try excitation(&y, prefix: "\(b).se"))
            case .mobile:
                let (e, width) = try unit(first, conv: "\(b).expand", bn: "\(b).bn1", activation: .trunk, bias: bias)
                a.expansion = width
                // PyTorch's `x[:, :k]` and `x[:, k:]` export a MixConv as two Slices of one tensor.
                let slices = g.consumers(of: e)
                let sliced = slices.count == 2 && slices.allSatisfy { $0.op == "Slice" }
                let dw = try sliced ? slices[0] : next(e, ["Conv", "Split"], after: first)
                let kind: Architecture.Family.DepthwiseKernel
                var d: String
                if sliced {
                    kind = .mixed
                    (d, _) = try mixedUnit(slices: slices, width: width, conv: "\(b).depthwise", bn: "\(b).bn2")
                } else if dw.op == "Split" {
                    kind = .mixed
                    (d, _) = try mixedUnit(dw, conv: "\(b).depthwise", bn: "\(b).bn2")
                } else {
                    let side = try constant(dw, 1).dims.last ?? 0
                    kind = side == 5 ? .five : .three
                    (d, _) = try unit(
                        dw, conv: "\(b).depthwise", bn: "\(b).bn2", activation: .trunk, depthwise: true)
                }
                if a.blocks > 0 && kind != a.depthwiseKernel {
                    throw fail(
                        dw,
                        "\(kind.rawValue) depthwise filters after \(a.depthwiseKernel.rawValue) ones: gonet's family uses one kind"
                    )
                }
                a.depthwiseKernel = kind
                excitations.append(try excitation(&d, prefix: "\(b).se"))
                (y, _) = try unit(
                    try next(d, ["Conv"], after: dw), conv: "\(b).project", bn: "\(b).bn3", activation: .none)
            }
            guard Set(add.inputs) == [t, y], g.consumers(of: y).count == 1 else {
                throw fail(add, "a block's sum must add the block's input and its last batch norm")
            }
            if kind == .resnet {
                t = try activated(add.outputs[0], after: add)
            } else {
                if g.consumers(of: add.outputs[0]).contains(where: { Self.activations.contains($0.op) }) {
                    throw fail(add, "a mobile block's sum goes through an activation: not gonet's mobile block")
                }
                t = add.outputs[0]
            }
            a.blocks += 1
        }
        a.trunk = trunk ?? .resnet
        a.activation = trunkActivation ?? .relu
        if let e = excitations.first {
            guard excitations.allSatisfy({ $0 == e }) else {
                throw ONNXError(
                    path,
                    "squeeze-and-excitation gates of widths \(excitations): gonet's family gates every block alike")
            }
            a.squeezeExcitation = e
        }
        if let p = pooled.first {
            // The family pools every kth block: blocks k−1, 2k−1, … and no others.
            a.globalPoolEvery = p + 1
            guard pooled == (0..<a.blocks).filter({ a.pools(block: $0) }) else {
                throw ONNXError(
                    path,
                    "global pooling in blocks \(pooled.map(String.init).joined(separator: ", ")): gonet's family pools every kth block"
                )
            }
        }
        let heads = g.consumers(of: t)
        guard heads.count == 2, heads.allSatisfy({ $0.op == "Conv" }) else {
            throw ONNXError(
                path,
                "the trunk's output feeds \(heads.map(\.label).joined(separator: ", ")); gonet expects two 1x1 Conv heads (policy and value)"
            )
        }
        // Which head is which shows only further on: try one as the policy, else the other.
        var policySoftmax = false
        var valueSigmoid = false
        var tried = self
        do {
            (policySoftmax, a.policyHead, a.policyFilters) = try tried.policy(heads[0])
            (valueSigmoid, a.valueHead, a.valueFilters, a.valueHidden) = try tried.value(heads[1])
            self = tried
        } catch let first {
            // Both orders failing: the first order's reason is the one to show (exporters write
            // the policy head first).
            do {
                (policySoftmax, a.policyHead, a.policyFilters) = try policy(heads[1])
                (valueSigmoid, a.valueHead, a.valueFilters, a.valueHidden) = try value(heads[0])
            } catch {
                throw first
            }
        }
        return (
            .family(a),
            ONNXImport.Report(
                architecture: a.summary, inputWasNHWC: nhwc, policyWasSoftmax: policySoftmax,
                valueWasSigmoid: valueSigmoid)
        )
    }

    /// ReduceMean, ReduceMax and their global-pool forms: what a pooling bias reads from the board.
    static let boardPools: Set<String> = ["ReduceMean", "GlobalAveragePool", "ReduceMax", "GlobalMaxPool"]

    /// A block's global pooling bias: the mean and the maximum of its input over the board,
    /// concatenated in that order, a dense layer stored as `prefix`, reshaped to [N, C, 1, 1];
    /// returns the bias's value, which the first unit adds after its batch norm.
    mutating func poolBias(_ pools: [Node], prefix: String) throws -> String {
        guard let m = pools.first(where: { ["ReduceMean", "GlobalAveragePool"].contains($0.op) }),
            let x = pools.first(where: { ["ReduceMax", "GlobalMaxPool"].contains($0.op) })
        else {
            throw fail(pools[0], "gonet's global pooling takes the mean and the maximum of the block's input")
        }
        _ = try mean(m)
        guard x.op == "GlobalMaxPool" || reducesBoard(x) else {
            throw fail(x, "gonet takes the maximum over the board (axes 2 and 3)")
        }
        let (meanValue, _) = try flatten(m.outputs[0], after: m)
        let (maxValue, _) = try flatten(x.outputs[0], after: x)
        let cat = try next(meanValue, ["Concat"], after: m)
        guard cat.inputs == [meanValue, maxValue], [1, -1].contains(cat.int("axis") ?? 0) else {
            throw fail(cat, "gonet concatenates the means, then the maxima")
        }
        let (bias, _, node) = try dense(cat.outputs[0], prefix: prefix, after: cat)
        var value = bias
        var last = node
        while g.consumers(of: value).count == 1, let c = g.consumers(of: value).first,
            ["Unsqueeze", "Reshape"].contains(c.op)
        {
            value = c.outputs[0]
            last = c
        }
        guard g.consumers(of: value).count == 1, g.consumers(of: value).first?.op == "Add" else {
            throw fail(last, "gonet adds the global pooling bias to a block's first batch norm")
        }
        return value
    }

    /// A squeeze-and-excitation gate on `y`, if `y` feeds one (a mean over the board and a Mul):
    /// the mean, a dense layer, Relu, a dense layer, Sigmoid, reshapes, and the Mul with `y`,
    /// stored as `prefix.fc1` and `prefix.fc2`. Moves `y` to the gated value; returns the gate's
    /// hidden width, 0 where there is none.
    mutating func excitation(_ y: inout String, prefix: String) throws -> Int {
        let cs = g.consumers(of: y)
        guard cs.count == 2, let m = cs.first(where: { ["ReduceMean", "GlobalAveragePool"].contains($0.op) }),
            let mul = cs.first(where: { $0.op == "Mul" })
        else { return 0 }
        _ = try mean(m)
        let (pooled, _) = try flatten(m.outputs[0], after: m)
        let (h, hidden, n1) = try dense(pooled, prefix: "\(prefix).fc1", after: m)
        let r = try next(h, ["Relu"], after: n1)
        let (z, _, n2) = try dense(r.outputs[0], prefix: "\(prefix).fc2", after: r)
        let sigmoid = try next(z, ["Sigmoid"], after: n2)
        var gate = sigmoid.outputs[0]
        while g.consumers(of: gate).count == 1, let c = g.consumers(of: gate).first,
            ["Unsqueeze", "Reshape"].contains(c.op)
        {
            gate = c.outputs[0]
        }
        guard Set(mul.inputs) == [y, gate] else {
            throw fail(mul, "gonet multiplies a block's tensor by its own squeeze-and-excitation gate")
        }
        y = mul.outputs[0]
        return hidden
    }

    /// Conv → [BatchNormalization] → [Add `bias`] → [Relu], stored as gonet's `conv` weight and
    /// `bn` statistics.
    mutating func unit(
        _ c: Node, conv: String, bn: String, activation: Nonlinearity, depthwise: Bool = false,
        bias added: String? = nil
    ) throws -> (String, Int) {
        let (out, bias) = try convolution(c, conv: conv, depthwise: depthwise)
        let value = try normalized(c.outputs[0], from: c, out: out, bias: bias, bn: bn, activation: activation, added)
        return (value, out)
    }

    /// MixConv as PyTorch exports it: Split along channels → one depthwise Conv a group (3x3,
    /// then 5x5) → Concat → [BatchNormalization] → activation, stored as gonet's `conv.0`,
    /// `conv.1` weights and `bn` statistics. The groups must be the family's even split.
    mutating func mixedUnit(_ split: Node, conv: String, bn: String) throws -> (String, Int) {
        guard split.op == "Split", (split.int("axis") ?? 0) == 1 else {
            throw fail(split, "gonet splits a mixed depthwise convolution's input along channels (axis 1)")
        }
        let convs = try split.outputs.map { try next($0, ["Conv"], after: split) }
        let graph = g
        return try mixedGroups(convs, from: split, conv: conv, bn: bn) { sizes, out in
            graph.splitSizes(split, channels: out) == sizes
        }
    }

    /// MixConv written with slices: two Slices of the `width`-channel input (`x[:, :k]`,
    /// `x[:, k:]`, in either order), each into its depthwise Conv, then as `mixedUnit`.
    mutating func mixedUnit(slices: [Node], width: Int, conv: String, bn: String) throws -> (String, Int) {
        var ranges: [(range: Range<Int>, node: Node)] = []
        for s in slices {
            guard let r = g.channelRange(s, channels: width), !r.isEmpty else {
                throw fail(s, "gonet reads a mixed depthwise convolution's slices as ranges of channels")
            }
            ranges.append((r, s))
        }
        ranges.sort { $0.range.lowerBound < $1.range.lowerBound }
        let convs = try ranges.map { try next($0.node.outputs[0], ["Conv"], after: $0.node) }
        return try mixedGroups(convs, from: ranges[0].node, conv: conv, bn: bn) { sizes, out in
            out == width && ranges.map(\.range) == [0..<sizes[0], sizes[0]..<width]
        }
    }

    /// The two depthwise convolutions of a MixConv, the groups checked by `cover` (the sizes the
    /// convolutions read, and their channels in all), the Concat after them, the batch norm.
    private mutating func mixedGroups(
        _ convs: [Node], from split: Node, conv: String, bn: String, cover: ([Int], Int) -> Bool
    ) throws -> (String, Int) {
        guard convs.count == 2 else {
            throw fail(split, "\(convs.count) groups: gonet's family mixes two (3x3 then 5x5)")
        }
        var out = 0
        var bias: [Float] = []
        var sides: [Int] = []
        for (i, c) in convs.enumerated() {
            let (o, b) = try convolution(c, conv: "\(conv).\(i)", depthwise: true)
            sides.append(try constant(c, 1).dims.last ?? 0)
            out += o
            bias += b
        }
        let sizes = convs.map { (try? constant($0, 1).dims.first) ?? 0 }
        guard cover(sizes, out) else {
            throw fail(split, "its parts are not the \(sizes) channels its convolutions read")
        }
        guard sides == [3, 5] else {
            throw fail(split, "groups of \(sides.map { "\($0)x\($0)" }) filters: gonet's family mixes 3x3 then 5x5")
        }
        guard sizes == [out - out / 2, out / 2] else {
            throw fail(split, "groups of \(sizes) channels: gonet's family splits evenly, the odd channel first")
        }
        let concat = try next(convs[0].outputs[0], ["Concat"], after: convs[0])
        guard concat.inputs == convs.map({ $0.outputs[0] }), (concat.int("axis") ?? 0) == 1 else {
            throw fail(concat, "gonet concatenates the groups in order along channels")
        }
        let value = try normalized(
            concat.outputs[0], from: concat, out: out, bias: bias, bn: bn, activation: .trunk, nil)
        return (value, out)
    }

    /// Checks a Conv as gonet runs it and stores its weight as `conv.weight`; returns its output
    /// channels and bias.
    private mutating func convolution(_ c: Node, conv: String, depthwise: Bool) throws -> (Int, [Float]) {
        guard c.op == "Conv" else { throw fail(c, "gonet expects Conv here") }
        let w = try constant(c, 1)
        guard w.dims.count == 4, w.dims[2] == w.dims[3], (depthwise ? [3, 5] : [1, 3]).contains(w.dims[2]) else {
            throw fail(
                c,
                "weight shape \(w.dims): gonet's convolutions are \(depthwise ? "3x3 or 5x5 (depthwise)" : "1x1 or 3x3")"
            )
        }
        let out = w.dims[0]
        let k = w.dims[2]
        guard (1...Architecture.limits.expansion.upperBound).contains(out) else {
            throw fail(c, "\(out) output channels")
        }
        let group = Int(c.int("group") ?? 1)
        guard depthwise ? (group == out && w.dims[1] == 1) : group == 1 else {
            throw fail(
                c,
                depthwise
                    ? "gonet expects a depthwise convolution (group = channels) here"
                    : "group \(group): gonet expects an ordinary convolution here")
        }
        if let s = c.ints("strides"), s.contains(where: { $0 != 1 }) { throw fail(c, "strides \(s): gonet's are 1") }
        if let d = c.ints("dilations"), d.contains(where: { $0 != 1 }) {
            throw fail(c, "dilations \(d): gonet's are 1")
        }
        guard c.keepsBoard(kernel: k) else { throw fail(c, "padding must keep the board 19x19") }
        tensors["\(conv).weight"] = Tensor(shape: w.dims, data: w.values)
        let bias = c.inputs.count > 2 ? try constant(c, 2).values : [Float](repeating: 0, count: out)
        guard bias.count == out else { throw fail(c, "a bias of \(bias.count) for \(out) channels") }
        return (out, bias)
    }

    /// `value` (the output of `c`) → [BatchNormalization] → [Add `added`] → activation, stored as
    /// `bn`'s statistics with the convolution's `bias` taken into them.
    private mutating func normalized(
        _ value: String, from c: Node, out: Int, bias: [Float], bn: String, activation: Nonlinearity,
        _ added: String?
    ) throws -> String {
        var value = value
        let cs = g.consumers(of: value)
        var scale = [Float](repeating: 1, count: out)
        var shift = bias
        var mean = [Float](repeating: 0, count: out)
        var variance = [Float](repeating: 1 - Self.epsilon, count: out)
        if cs.count == 1, let n = cs.first, n.op == "BatchNormalization" {
            let (s, b, m, v) = (try constant(n, 1), try constant(n, 2), try constant(n, 3), try constant(n, 4))
            guard [s, b, m, v].allSatisfy({ $0.values.count == out }) else {
                throw fail(n, "its statistics are not \(out) channels")
            }
            let eps = n.float("epsilon") ?? 1e-5
            scale = s.values
            shift = b.values
            // A convolution bias before the norm shifts its mean; the graph's ε goes into the variance.
            mean = zip(m.values, bias).map { $0 - $1 }
            variance = v.values.map { $0 + eps - Self.epsilon }
            guard variance.allSatisfy({ $0 >= 0 }) else { throw fail(n, "a variance below gonet's ε") }
            value = n.outputs[0]
        }
        tensors["\(bn).weight"] = Tensor(shape: [out], data: scale)
        tensors["\(bn).bias"] = Tensor(shape: [out], data: shift)
        tensors["\(bn).running_mean"] = Tensor(shape: [out], data: mean)
        tensors["\(bn).running_var"] = Tensor(shape: [out], data: variance)
        if let added {
            let sum = try next(value, ["Add"], after: g.nodes.first { $0.outputs.contains(value) } ?? c)
            guard Set(sum.inputs) == [value, added] else {
                throw fail(sum, "gonet adds the global pooling bias to the batch norm's output here")
            }
            value = sum.outputs[0]
        }
        let last = g.nodes.first { $0.outputs.contains(value) } ?? c
        switch activation {
        case .none: break
        case .relu: value = try next(value, ["Relu"], after: last).outputs[0]
        case .trunk: value = try activated(value, after: last)
        }
        return value
    }

    /// The ops that start an activation the family's trunk may use.
    static let activations: Set<String> = ["Relu", "HardSwish", "Sigmoid"]

    /// The value after the trunk's activation of `value`: Relu, HardSwish, or swish written as
    /// `Mul(x, Sigmoid(x))` (PyTorch's SiLU). The first one seen is the trunk's; every other trunk
    /// unit must use the same.
    mutating func activated(_ value: String, after n: Node) throws -> String {
        let cs = g.consumers(of: value)
        let found: Architecture.Family.TrunkActivation
        let out: String
        if cs.count == 1, let c = cs.first, c.op == "Relu" || c.op == "HardSwish" {
            (found, out) = (c.op == "Relu" ? .relu : .hardSwish, c.outputs[0])
        } else if cs.count == 2, let s = cs.first(where: { $0.op == "Sigmoid" }),
            let m = cs.first(where: { $0.op == "Mul" }), Set(m.inputs) == [value, s.outputs[0]],
            g.consumers(of: s.outputs[0]).count == 1
        {
            (found, out) = (.swish, m.outputs[0])
        } else {
            throw fail(
                n,
                "its output feeds \(cs.map(\.label).joined(separator: ", ")); gonet expects Relu, HardSwish or x·Sigmoid(x) (swish)"
            )
        }
        if let trunkActivation, trunkActivation != found {
            throw fail(
                n, "\(found.rawValue) after \(trunkActivation.rawValue) in the trunk: gonet's trunk uses one activation"
            )
        }
        trunkActivation = found
        return out
    }

    /// Flatten, Reshape, Squeeze (shape bookkeeping gonet does not need) skipped; returns the
    /// value after them and whether a Transpose to channels-last came first (Keras's flatten order).
    func flatten(_ v: String, after n: Node) throws -> (String, channelsLast: Bool) {
        var value = v
        var last = false
        while true {
            let cs = g.consumers(of: value)
            guard cs.count == 1, let c = cs.first else { return (value, last) }
            switch c.op {
            case "Transpose":
                guard c.ints("perm") == [0, 2, 3, 1] else { throw fail(c, "gonet reads only perm [0, 2, 3, 1] here") }
                last = true
            case "Flatten", "Reshape", "Squeeze": break
            default: return (value, last)
            }
            value = c.outputs[0]
        }
    }

    /// Gemm, or MatMul then Add: stored as `prefix.weight` [out, in] and `prefix.bias` [out].
    mutating func dense(_ x: String, prefix: String, after n: Node, channelsLast: Int? = nil) throws -> (
        String, Int, Node
    ) {
        let cs = g.consumers(of: x)
        guard cs.count == 1, let d = cs.first, d.op == "Gemm" || d.op == "MatMul" else {
            throw fail(n, "gonet expects a dense layer (Gemm or MatMul) after it")
        }
        let b = try constant(d, 1)
        guard b.dims.count == 2, b.dims.allSatisfy({ $0 > 0 }) else { throw fail(d, "weight shape \(b.dims)") }
        var weight: [Float]
        var rows: Int
        var cols: Int
        var output = d.outputs[0]
        var bias: [Float]
        if d.op == "Gemm" {
            guard (d.int("transA") ?? 0) == 0, (d.float("alpha") ?? 1) == 1, (d.float("beta") ?? 1) == 1 else {
                throw fail(d, "gonet reads Gemm with transA 0, alpha 1, beta 1")
            }
            let transposed = (d.int("transB") ?? 0) == 1
            (rows, cols) = transposed ? (b.dims[0], b.dims[1]) : (b.dims[1], b.dims[0])
            weight = transposed ? b.values : ONNXGraph.transpose(b.values, b.dims[0], b.dims[1])
            bias = d.inputs.count > 2 ? try constant(d, 2).values : [Float](repeating: 0, count: rows)
        } else {
            (rows, cols) = (b.dims[1], b.dims[0])
            weight = ONNXGraph.transpose(b.values, b.dims[0], b.dims[1])
            let add = try next(output, ["Add"], after: d)
            let other = add.inputs.first { $0 != output } ?? ""
            guard let c = g.constants[other] else { throw fail(add, "the bias must be a constant") }
            bias = c.values
            output = add.outputs[0]
        }
        guard bias.count == rows else { throw fail(d, "bias of \(bias.count) for \(rows) outputs") }
        if let channels = channelsLast {
            // Keras flattens [19, 19, C]: reorder the inputs to gonet's [C, 19, 19].
            let points = cols / channels
            var w = weight
            for r in 0..<rows {
                for c in 0..<channels {
                    for p in 0..<points { w[r * cols + c * points + p] = weight[r * cols + p * channels + c] }
                }
            }
            weight = w
        }
        tensors["\(prefix).weight"] = Tensor(shape: [rows, cols], data: weight)
        tensors["\(prefix).bias"] = Tensor(shape: [rows], data: bias)
        return (output, rows, g.nodes.first { $0.outputs.contains(output) } ?? d)
    }

    /// Whether a ReduceMean or ReduceMax reduces over the board: axes 2 and 3, as an attribute
    /// (opset 17) or a constant input (opset 18).
    func reducesBoard(_ n: Node) -> Bool {
        let axes =
            n.ints("axes")
            ?? (n.inputs.count > 1 ? g.constants[n.inputs[1]].flatMap { ONNXGraph.integers($0.values) } : nil)
        guard let axes else { return false }
        return Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == [2, 3]
    }

    /// ReduceMean over the board or GlobalAveragePool, with the reshapes after it.
    func mean(_ n: Node) throws -> Node {
        switch n.op {
        case "GlobalAveragePool": return n
        case "ReduceMean":
            guard reducesBoard(n) else { throw fail(n, "gonet averages over the board (axes 2 and 3)") }
            return n
        default: throw fail(n, "gonet expects a mean over the board here")
        }
    }

    /// The end of a head: an optional final op (`Softmax`, `Sigmoid`…) and a graph output.
    func finish(_ v: String, after n: Node, ops: Set<String>) throws -> Node? {
        let cs = g.consumers(of: v)
        if cs.isEmpty {
            guard g.outputs.contains(v) else { throw fail(n, "its output is not one of the graph's outputs") }
            return nil
        }
        guard cs.count == 1, let f = cs.first, ops.contains(f.op), g.outputs.contains(f.outputs[0]) else {
            throw fail(
                cs[0], "gonet expects the head to end here (\(ops.sorted().joined(separator: " or ")), then an output)")
        }
        return f
    }

    mutating func policy(_ c: Node) throws -> (softmax: Bool, Architecture.Family.PolicyHead, Int) {
        let (h, p) = try unit(c, conv: "policy.conv", bn: "policy.bn", activation: .relu)
        let hNode = g.nodes.first { $0.outputs.contains(h) } ?? c
        let cs = g.consumers(of: h)
        let logits: String
        let kind: Architecture.Family.PolicyHead
        if cs.count == 2, let out = cs.first(where: { $0.op == "Conv" }), let m = cs.first(where: { $0.op != "Conv" }) {
            let w = try constant(out, 1)
            guard w.dims == [1, p, 1, 1], out.inputs.count > 2 else {
                throw fail(out, "gonet expects a 1x1 Conv to one plane, with a bias")
            }
            tensors["policy.out.weight"] = Tensor(shape: w.dims, data: w.values)
            let bias = try constant(out, 2).values
            guard bias.count == 1 else { throw fail(out, "a bias of \(bias.count) for one plane") }
            tensors["policy.out.bias"] = Tensor(shape: [1], data: bias)
            let (board, _) = try flatten(out.outputs[0], after: out)
            let pooled = try mean(m)
            let (pooledFlat, _) = try flatten(pooled.outputs[0], after: pooled)
            let (pass, width, passNode) = try dense(pooledFlat, prefix: "policy.pass", after: pooled)
            guard width == 1 else { throw fail(passNode, "the pass logit is one number, not \(width)") }
            let cat = try next(board, ["Concat"], after: out)
            guard cat.inputs == [board, pass] else {
                throw fail(cat, "gonet concatenates the 361 board logits, then pass")
            }
            logits = cat.outputs[0]
            kind = .conv
            let final = try finish(logits, after: cat, ops: ["Softmax"])
            return (final != nil, kind, p)
        }
        let (flat, channelsLast) = try flatten(h, after: hNode)
        let (out, width, node) = try dense(
            flat, prefix: "policy.fc", after: hNode, channelsLast: channelsLast ? p : nil)
        guard width == Features.moves else { throw fail(node, "a policy of \(width) moves; gonet's has 362") }
        let final = try finish(out, after: node, ops: ["Softmax"])
        return (final != nil, .fc, p)
    }

    mutating func value(_ c: Node) throws -> (sigmoid: Bool, Architecture.Family.ValueHead, Int, Int) {
        let (h, v) = try unit(c, conv: "value.conv", bn: "value.bn", activation: .relu)
        let hNode = g.nodes.first { $0.outputs.contains(h) } ?? c
        let cs = g.consumers(of: h)
        var x: String
        var kind: Architecture.Family.ValueHead
        var after: Node
        var channelsLast = false
        if cs.count == 1, let m = cs.first, ["ReduceMean", "GlobalAveragePool"].contains(m.op) {
            after = try mean(m)
            (x, _) = try flatten(after.outputs[0], after: after)
            kind = .pool
        } else {
            (x, channelsLast) = try flatten(h, after: hNode)
            after = hNode
            kind = .fc
        }
        let (h1, hidden, n1) = try dense(x, prefix: "value.fc1", after: after, channelsLast: channelsLast ? v : nil)
        let r = try next(h1, ["Relu"], after: n1)
        let (out, width, n2) = try dense(r.outputs[0], prefix: "value.fc2", after: r)
        guard width == 1 else { throw fail(n2, "a value of \(width) numbers; gonet's is one") }
        guard let final = try finish(out, after: n2, ops: ["Tanh", "Sigmoid"]) else {
            throw fail(n2, "gonet's value ends in Tanh (or Sigmoid)")
        }
        if final.op == "Sigmoid" {
            // 2σ(z) − 1 = tanh(z / 2): halve the last layer and the value is gonet's.
            tensors["value.fc2.weight"]!.data = tensors["value.fc2.weight"]!.data.map { $0 / 2 }
            tensors["value.fc2.bias"]!.data = tensors["value.fc2.bias"]!.data.map { $0 / 2 }
        }
        return (final.op == "Sigmoid", kind, v, hidden)
    }
}

extension ONNXImport {
    /// Calls `body` with a gonet network file for `path`: the file itself, or for an ONNX model
    /// (`onnx`, by default a name ending in `.onnx`) the network `net import` would write, named
    /// `name` (default: the file's stem) unless the model names itself, in a temporary file
    /// removed afterwards.
    public static func withNetworkFile<T>(
        _ path: String, onnx: Bool? = nil, name: String? = nil, _ body: (String) throws -> T
    ) throws -> T {
        guard onnx ?? path.lowercased().hasSuffix(".onnx") else { return try body(path) }
        let (net, _) = try network(path: path)
        let stem = name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if net.metadata["name"] == nil { net.metadata["name"] = stem }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(stem + ".safetensors").path
        try net.save(path: file)
        return try body(file)
    }
}
