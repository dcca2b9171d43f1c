import Foundation
import GoNetwork

/// A graph network (docs/ONNX.md: imported from elsewhere) written back as ONNX operators, one
/// or a few per node, so that `net export` takes any gonet network.
extension GraphBuilder {
    /// Adds `spec`'s nodes reading `planes`; returns the names of the policy logits and the tanh value.
    mutating func graph(_ spec: GraphSpec, planes: String) -> (policy: String, value: String) {
        let shapes = (try? spec.shapes(planes: 6)) ?? []
        var out: [String] = []
        func input(_ j: Int) -> String { j == -1 ? planes : out[j] }
        func isBoard(_ j: Int) -> Bool {
            if j == -1 { return true }
            if case .board = shapes[j] { return true }
            return false
        }
        for (i, n) in spec.nodes.enumerated() {
            let name = "graph.\(i)"
            let x = input(n.inputs[0])
            let y: String
            switch n.op {
            case .conv: y = conv(x, name, bias: true, group: n.depthwise == true)
            case .dense: y = gemm(x, name)
            case .scaleShift:
                // Per channel of a board tensor: the constants as [C, 1, 1] for NCHW broadcasting.
                let w = values("\(name).weight")
                let b = values("\(name).bias")
                let dims = isBoard(n.inputs[0]) ? [w.count, 1, 1] : [w.count]
                let scaled = node("Mul", [x, constant("\(name).scale", dims, w)], name: "\(name).mul")
                y = node("Add", [scaled, constant("\(name).shift", dims, b)], name: name)
            case .relu: y = node("Relu", [x], name: name)
            case .sigmoid: y = node("Sigmoid", [x], name: name)
            case .tanh: y = node("Tanh", [x], name: name)
            case .leakyRelu: y = node("LeakyRelu", [x], name: name, float: ["alpha": n.a ?? 0.01])
            case .hardSigmoid:
                y = node("HardSigmoid", [x], name: name, float: ["alpha": n.a ?? 0.2, "beta": n.b ?? 0.5])
            case .hardSwish: y = node("HardSwish", [x], name: name)
            case .clip:
                let lo = constant("\(name).min", [], [n.a ?? -Float.greatestFiniteMagnitude])
                let hi = constant("\(name).max", [], [n.b ?? Float.greatestFiniteMagnitude])
                y = node("Clip", [x, lo, hi], name: name)
            case .scale: y = node("Mul", [x, constant("\(name).factor", [], [n.a ?? 1])], name: name)
            case .add, .mul:
                var a = x
                var b = input(n.inputs[1])
                // A vector of a board tensor's channels becomes [N, C, 1, 1] to broadcast.
                if isBoard(n.inputs[0]) != isBoard(n.inputs[1]) {
                    if isBoard(n.inputs[0]) {
                        b = unsqueeze(b, name: "\(name).b")
                    } else {
                        a = unsqueeze(a, name: "\(name).a")
                    }
                }
                y = node(n.op == .add ? "Add" : "Mul", [a, b], name: name)
            case .concat: y = node("Concat", n.inputs.map(input), name: name, int: ["axis": 1])
            case .slice:
                let f = Float(n.first ?? 0)
                let range = [
                    constant("\(name).starts", [1], [f], integer: true),
                    constant("\(name).ends", [1], [f + Float(n.channels ?? 0)], integer: true),
                    constant("\(name).axes", [1], [1], integer: true),
                ]
                y = node("Slice", [x] + range, name: name)
            case .mean: y = mean(x, name: name)
            case .max: y = node("ReduceMax", [x], name: name, int: ["keepdims": 0], ints: ["axes": [2, 3]])
            case .maxPool, .avgPool:
                let k = Int64(n.kernel ?? 1)
                var ints: [String: Int64] = [:]
                if n.op == .avgPool { ints["count_include_pad"] = n.countPadding == true ? 1 : 0 }
                y = node(
                    n.op == .maxPool ? "MaxPool" : "AveragePool", [x], name: name, int: ints,
                    ints: ["kernel_shape": [k, k], "pads": [k / 2, k / 2, k / 2, k / 2], "strides": [1, 1]])
            case .flatten:
                let board =
                    n.channelsLast == true
                    ? node("Transpose", [x], name: "\(name).nhwc", ints: ["perm": [0, 2, 3, 1]]) : x
                y = node("Flatten", [board], name: name, int: ["axis": 1])
            }
            out.append(y)
        }
        var policy = out[spec.policy]
        if spec.policyIsProbabilities { policy = node("Log", [policy], name: "policy.log") }
        var value = out[spec.value]
        if spec.valueIsSigmoid {
            // 2p − 1: gonet's value in [−1, 1].
            let doubled = node("Mul", [value, constant("value.two", [], [2])], name: "value.double")
            value = node("Sub", [doubled, constant("value.one", [], [1])], name: "value.tanh")
        }
        return (policy, value)
    }

    /// [N, C] → [N, C, 1, 1].
    private mutating func unsqueeze(_ x: String, name: String) -> String {
        node("Unsqueeze", [x, constant("\(name).axes", [2], [2, 3], integer: true)], name: "\(name).unsqueeze")
    }
}
