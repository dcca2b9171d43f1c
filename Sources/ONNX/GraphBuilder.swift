import Foundation
import GoNetwork
import NeuralNet

/// Builds an ONNX graph node by node: each node's output is named after the node, each network
/// tensor becomes an initializer under its network-file name the first time a node uses it.
struct GraphBuilder {
    private let parameters: [String: Parameter]
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var added: Set<String> = []

    init(parameters: [Parameter]) {
        self.parameters = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
    }

    /// The initializer of network tensor `name` (added once).
    mutating func tensor(_ name: String) -> String {
        guard let p = parameters[name] else { preconditionFailure("the network has no tensor \(name)") }
        if added.insert(name).inserted {
            var t = Onnx_TensorProto()
            t.name = name
            t.dims = p.shape.map(Int64.init)
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.rawData = p.value.withUnsafeBufferPointer { Data(buffer: $0) }
            initializers.append(t)
        }
        return name
    }

    /// Adds a node; returns its output's name (`output`, or the node's name).
    @discardableResult
    mutating func node(
        _ op: String, _ inputs: [String], name: String, int: [String: Int64] = [:], ints: [String: [Int64]] = [:],
        float: [String: Float] = [:], output: String? = nil
    ) -> String {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = name
        n.input = inputs
        n.output = [output ?? name]
        for (k, v) in int.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = k
            a.type = .int
            a.i = v
            n.attribute.append(a)
        }
        for (k, v) in ints.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = k
            a.type = .ints
            a.ints = v
            n.attribute.append(a)
        }
        for (k, v) in float.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = k
            a.type = .float
            a.f = v
            n.attribute.append(a)
        }
        nodes.append(n)
        return output ?? name
    }

    /// A convolution `prefix.weight` [O, I/g, k, k] with 'same' padding; depthwise when `group`.
    mutating func conv(_ x: String, _ prefix: String, bias: Bool = false, group: Bool = false) -> String {
        let w = tensor("\(prefix).weight")
        let shape = parameters[w]!.shape
        let k = Int64(shape[2])
        var inputs = [x, w]
        if bias { inputs.append(tensor("\(prefix).bias")) }
        return node(
            "Conv", inputs, name: prefix, int: ["group": group ? Int64(shape[0]) : 1],
            ints: ["kernel_shape": [k, k], "pads": [k / 2, k / 2, k / 2, k / 2], "strides": [1, 1]])
    }

    /// A depthwise convolution `prefix.weight`, or MixConv's groups `prefix.0.weight`,
    /// `prefix.1.weight`, … as PyTorch exports it: Split along channels, one depthwise Conv a
    /// group, Concat.
    mutating func depthwise(_ x: String, _ prefix: String) -> String {
        guard parameters["\(prefix).weight"] == nil else { return conv(x, prefix, group: true) }
        let groups = (0...).prefix { parameters["\(prefix).\($0).weight"] != nil }
        let sizes = groups.map { Float(parameters["\(prefix).\($0).weight"]!.shape[0]) }
        let split = constant("\(prefix).split.sizes", [sizes.count], sizes, integer: true)
        let parts = groups.map { "\(prefix).split.\($0)" }
        var n = Onnx_NodeProto()
        n.opType = "Split"
        n.name = "\(prefix).split"
        n.input = [x, split]
        n.output = parts
        var axis = Onnx_AttributeProto()
        axis.name = "axis"
        axis.type = .int
        axis.i = 1
        n.attribute = [axis]
        nodes.append(n)
        let convolved = groups.map { conv(parts[$0], "\(prefix).\($0)", group: true) }
        return node("Concat", convolved, name: "\(prefix).concat", int: ["axis": 1])
    }

    /// conv → batch norm (ε = 1e-5, the running statistics) → relu if asked; the convolution
    /// depthwise (one group of filters, or MixConv's) when `group`.
    mutating func convBN(
        _ x: String, conv c: String, bn: String, activation: Architecture.Family.TrunkActivation?, group: Bool = false
    ) -> String {
        let y = group ? depthwise(x, c) : conv(x, c)
        let inputs = [y] + ["weight", "bias", "running_mean", "running_var"].map { tensor("\(bn).\($0)") }
        let z = node("BatchNormalization", inputs, name: bn, float: ["epsilon": 1e-5])
        return activation.map { activate(z, $0, name: bn) } ?? z
    }

    /// `f(x)` as ONNX writes it: Relu; swish as `Mul(x, Sigmoid(x))`, the form PyTorch's SiLU exports
    /// to (opset 17 has no Swish); HardSwish. Nodes named `NAME.relu`, `NAME.swish`, `NAME.hard_swish`.
    mutating func activate(_ x: String, _ f: Architecture.Family.TrunkActivation, name: String) -> String {
        switch f {
        case .relu: return node("Relu", [x], name: "\(name).relu")
        case .swish: return node("Mul", [x, node("Sigmoid", [x], name: "\(name).sigmoid")], name: "\(name).swish")
        case .hardSwish: return node("HardSwish", [x], name: "\(name).hard_swish")
        }
    }

    /// A dense layer `prefix.weight` [out, in], `prefix.bias` [out]: Gemm with B transposed.
    @discardableResult
    mutating func gemm(_ x: String, _ prefix: String, output: String? = nil) -> String {
        node(
            "Gemm", [x, tensor("\(prefix).weight"), tensor("\(prefix).bias")], name: prefix, int: ["transB": 1],
            output: output)
    }

    /// A constant that is no network tensor (a reshaped scale, a shape): float32, or int64 when `integer`.
    mutating func constant(_ name: String, _ dims: [Int], _ values: [Float], integer: Bool = false) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        if integer {
            t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            t.int64Data = values.map { Int64($0) }
        } else {
            t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            t.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }
        }
        initializers.append(t)
        return name
    }

    /// A network tensor's values.
    func values(_ name: String) -> [Float] { parameters[name]?.value ?? [] }

    /// A global pooling bias (`prefix.weight`, `prefix.bias`) of board tensor `x`: its means and
    /// maxima over the board, concatenated, a dense layer, as [N, C', 1, 1] to add to a board.
    mutating func poolBias(_ x: String, _ prefix: String) -> String {
        let mean = mean(x, name: "\(prefix).mean")
        let max = node("ReduceMax", [x], name: "\(prefix).max", int: ["keepdims": 0], ints: ["axes": [2, 3]])
        let pooled = node("Concat", [mean, max], name: "\(prefix).concat", int: ["axis": 1])
        let bias = gemm(pooled, prefix)
        let axes = constant("\(prefix).axes", [2], [2, 3], integer: true)
        return node("Unsqueeze", [bias, axes], name: "\(prefix).unsqueeze")
    }

    /// A squeeze-and-excitation gate (`prefix.fc1`, `prefix.fc2`) of board tensor `y`: `y` times
    /// sigmoid(fc2(relu(fc1(mean of y)))) as [N, C, 1, 1].
    mutating func excite(_ y: String, _ prefix: String) -> String {
        let h = node("Relu", [gemm(mean(y, name: "\(prefix).mean"), "\(prefix).fc1")], name: "\(prefix).relu")
        let gate = node("Sigmoid", [gemm(h, "\(prefix).fc2")], name: "\(prefix).sigmoid")
        let axes = constant("\(prefix).axes", [2], [2, 3], integer: true)
        let wide = node("Unsqueeze", [gate, axes], name: "\(prefix).unsqueeze")
        return node("Mul", [y, wide], name: "\(prefix).mul")
    }

    /// The mean over the board: [N, C, 19, 19] → [N, C].
    mutating func mean(_ x: String, name: String) -> String {
        node("ReduceMean", [x], name: name, int: ["keepdims": 0], ints: ["axes": [2, 3]])
    }
}
