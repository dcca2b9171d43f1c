import Foundation
import GoNetwork
import SwiftProtobuf

/// Any gonet network as an ONNX model (opset 17, IR version 8): input `planes` [N, 6, 19, 19],
/// outputs `policy` [N, 362] (logits) and `value` [N, 1] (tanh), N free. Every layer is written as
/// the ONNX operator it is (Conv, BatchNormalization with the running statistics, Relu, Add,
/// Flatten, Gemm, ReduceMean, ReduceMax, Concat, Split, Slice, Unsqueeze, Sigmoid, Mul, HardSwish, Tanh), its tensors under their network-file names, so a
/// runtime computes what gonet computes and an importer finds the same names. docs/ONNX.md.
public enum ONNXExport {
    /// Opset 17: the last whose ReduceMean takes its axes as an attribute, supported by every
    /// ONNX Runtime since 1.14.
    public static let opset: Int64 = 17
    /// IR version 8 goes with opset 17.
    static let irVersion: Int64 = 8

    /// The ONNX model of `net`.
    public static func model(_ net: PolicyValueNetwork) -> Onnx_ModelProto {
        var g = GraphBuilder(parameters: net.parameters)
        let a: Architecture.Family
        switch net.architecture {
        case .graph(let spec):
            let (policy, value) = g.graph(spec, planes: "planes")
            g.node("Identity", [policy], name: "policy.out", output: "policy")
            g.node("Identity", [value], name: "value.out", output: "value")
            return model(g, net)
        case .family(let f): a = f
        }
        let f = a.activation
        var x = g.convBN("planes", conv: "stem.conv", bn: "stem.bn", activation: f)
        for i in 0..<a.blocks {
            let b = "blocks.\(i)"
            switch a.trunk {
            case .resnet:
                let h = firstUnit(
                    &g, x, conv: "\(b).conv1", bn: "\(b).bn1", pool: a.pools(block: i) ? "\(b).pool" : nil,
                    activation: f)
                var y = g.convBN(h, conv: "\(b).conv2", bn: "\(b).bn2", activation: nil)
                if a.squeezeExcitation > 0 { y = g.excite(y, "\(b).se") }
                x = g.activate(g.node("Add", [x, y], name: "\(b).add"), f, name: b)
            case .mobile:
                let e = firstUnit(
                    &g, x, conv: "\(b).expand", bn: "\(b).bn1", pool: a.pools(block: i) ? "\(b).pool" : nil,
                    activation: f)
                var d = g.convBN(e, conv: "\(b).depthwise", bn: "\(b).bn2", activation: f, group: true)
                if a.squeezeExcitation > 0 { d = g.excite(d, "\(b).se") }
                let p = g.convBN(d, conv: "\(b).project", bn: "\(b).bn3", activation: nil)
                x = g.node("Add", [x, p], name: "\(b).add")
            }
        }
        let ph = g.convBN(x, conv: "policy.conv", bn: "policy.bn", activation: .relu)
        switch a.policyHead {
        case .fc:
            let flat = g.node("Flatten", [ph], name: "policy.flatten", int: ["axis": 1])
            g.gemm(flat, "policy.fc", output: "policy")
        case .conv:
            let board = g.conv(ph, "policy.out", bias: true)
            let boardFlat = g.node("Flatten", [board], name: "policy.out.flatten", int: ["axis": 1])
            let pooled = g.mean(ph, name: "policy.mean")
            let pass = g.gemm(pooled, "policy.pass")
            g.node("Concat", [boardFlat, pass], name: "policy.concat", int: ["axis": 1], output: "policy")
        }
        let vh = g.convBN(x, conv: "value.conv", bn: "value.bn", activation: .relu)
        let v0 =
            a.valueHead == .fc
            ? g.node("Flatten", [vh], name: "value.flatten", int: ["axis": 1]) : g.mean(vh, name: "value.mean")
        let v1 = g.node("Relu", [g.gemm(v0, "value.fc1")], name: "value.fc1.relu")
        g.node("Tanh", [g.gemm(v1, "value.fc2")], name: "value.tanh", output: "value")
        return model(g, net)
    }

    /// A block's first unit: conv → batch norm (+ the global pooling bias of `x`) → activation.
    private static func firstUnit(
        _ g: inout GraphBuilder, _ x: String, conv: String, bn: String, pool: String?,
        activation f: Architecture.Family.TrunkActivation
    ) -> String {
        guard let pool else { return g.convBN(x, conv: conv, bn: bn, activation: f) }
        let y = g.convBN(x, conv: conv, bn: bn, activation: nil)
        let sum = g.node("Add", [y, g.poolBias(x, pool)], name: "\(pool).add")
        return g.activate(sum, f, name: bn)
    }

    /// The model around a finished graph: inputs, outputs, opset and metadata.
    private static func model(_ g: GraphBuilder, _ net: PolicyValueNetwork) -> Onnx_ModelProto {
        let a = net.architecture
        var graph = Onnx_GraphProto()
        graph.name = "gonet"
        graph.node = g.nodes
        graph.initializer = g.initializers
        graph.input = [valueInfo("planes", [nil, 6, 19, 19])]
        graph.output = [valueInfo("policy", [nil, 362]), valueInfo("value", [nil, 1])]
        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        var set = Onnx_OperatorSetIdProto()
        set.domain = ""
        set.version = opset
        model.opsetImport = [set]
        model.producerName = "gonet"
        model.producerVersion = "0.1.0"
        model.docString = "gonet network: planes6-v1 input, policy logits (361 points then pass), value tanh"
        var meta: [Onnx_StringStringEntryProto] = []
        for (k, v) in net.metadata.sorted(by: { $0.key < $1.key }) where k != "training" {
            var e = Onnx_StringStringEntryProto()
            e.key = k
            e.value = v
            meta.append(e)
        }
        var arch = Onnx_StringStringEntryProto()
        arch.key = "architecture"
        arch.value = a.json
        model.metadataProps = meta.filter { $0.key != "architecture" } + [arch]
        model.graph = graph
        return model
    }

    /// Writes `net` as an ONNX file (atomically).
    public static func write(_ net: PolicyValueNetwork, to path: String) throws {
        let bytes = try model(net).serializedData()
        try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// A float tensor's type and shape (nil: a named batch dimension `N`).
    public static func valueInfo(_ name: String, _ dims: [Int?]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}
