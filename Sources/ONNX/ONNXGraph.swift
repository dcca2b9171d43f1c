import Foundation
import SwiftProtobuf

/// An ONNX model read for import: its nodes, its constant tensors (initializers and Constant
/// nodes, as float32), its one input and its outputs; Identity nodes are resolved away.
struct ONNXGraph {
    struct Node {
        var name: String
        var op: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [String: Onnx_AttributeProto]

        /// `name (op)`, as errors name a node.
        var label: String { "node \"\(name)\" (\(op))" }
        func int(_ key: String) -> Int64? { attributes[key].map(\.i) }
        func ints(_ key: String) -> [Int64]? { attributes[key].map(\.ints) }
        func float(_ key: String) -> Float? { attributes[key].map(\.f) }

        /// Whether a k×k window with this node's padding (explicit, or `auto_pad` SAME) keeps the
        /// board 19x19 at stride 1.
        func keepsBoard(kernel k: Int) -> Bool {
            let pad = Int64(k / 2)
            if let pads = ints("pads") { return pads.allSatisfy { $0 == pad } }
            let auto = String(decoding: attributes["auto_pad"]?.s ?? Data(), as: UTF8.self)
            return pad == 0 || ["SAME_UPPER", "SAME_LOWER"].contains(auto)
        }
    }

    struct Constant {
        var dims: [Int]
        var values: [Float]
    }

    var nodes: [Node] = []
    var constants: [String: Constant] = [:]
    var input: String
    var inputDims: [Int?]
    var outputs: [String]
    var metadata: [String: String]

    /// Largest model read: the ONNX protobuf limit (larger models keep their tensors outside).
    static let largestFile = 2 << 30
    /// Largest tensor, in elements: 2²⁸ floats is 1 GB, far above any budget network.
    static let largestTensor = 1 << 28

    init(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw ONNXError(path, "cannot read the file") }
        guard size <= Self.largestFile else { throw ONNXError(path, "\(size) bytes is past ONNX's 2 GB limit") }
        try self.init(data: try Data(contentsOf: URL(fileURLWithPath: path)), path: path)
    }

    /// A model's bytes; `path` names it in errors.
    init(data: Data, path: String) throws {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            throw ONNXError(path, "not an ONNX model (protobuf: \(error))")
        }
        try self.init(model, path: path)
    }

    init(_ model: Onnx_ModelProto, path: String) throws {
        let g = model.graph
        guard model.hasGraph, !g.node.isEmpty else { throw ONNXError(path, "the model has no graph") }
        for set in model.opsetImport where set.domain.isEmpty || set.domain == "ai.onnx" {
            guard set.version >= 7 else {
                throw ONNXError(path, "opset \(set.version) is older than gonet reads (7 or later)")
            }
        }
        metadata = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        for t in g.initializer { constants[t.name] = try Self.constant(t, path: path) }
        var alias: [String: String] = [:]
        func resolve(_ name: String) -> String {
            var n = name
            while let a = alias[n] { n = a }
            return n
        }
        for (i, n) in g.node.enumerated() {
            let name = n.name.isEmpty ? "#\(i)" : n.name
            var attributes: [String: Onnx_AttributeProto] = [:]
            for a in n.attribute { attributes[a.name] = a }
            if n.opType == "Identity", n.input.count == 1, n.output.count == 1 {
                alias[n.output[0]] = n.input[0]
                continue
            }
            if n.opType == "Constant", n.output.count == 1, let a = attributes["value"], a.hasT {
                constants[n.output[0]] = try Self.constant(a.t, path: path)
                continue
            }
            guard !n.output.isEmpty, !n.output.contains(""), !n.input.isEmpty else {
                throw ONNXError(path, "node \"\(name)\" (\(n.opType)) has no input or no output")
            }
            guard n.domain.isEmpty || n.domain == "ai.onnx" else {
                throw ONNXError(path, "node \"\(name)\" (\(n.opType)) is in domain \(n.domain), not ONNX's")
            }
            nodes.append(
                Node(
                    name: name, op: n.opType, inputs: n.input.map(resolve), outputs: n.output, attributes: attributes))
        }
        let known = constants
        let inputs = g.input.filter { known[$0.name] == nil }
        guard inputs.count == 1, let only = inputs.first else {
            throw ONNXError(
                path,
                "the graph has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))); gonet gives one, the planes"
            )
        }
        input = only.name
        inputDims = only.type.tensorType.shape.dim.map { d in d.dimValue > 0 ? Int(d.dimValue) : nil }
        outputs = g.output.map { resolve($0.name) }
    }

    /// A tensor's values as float32; other types, external data and sizes past the limits are refused.
    static func constant(_ t: Onnx_TensorProto, path: String) throws -> Constant {
        guard t.dataLocation != .external else {
            throw ONNXError(
                path, "tensor \"\(t.name)\" keeps its data in an external file; save the model with its weights inside")
        }
        var count = 1
        for d in t.dims {
            guard d >= 0, d <= Int64(largestTensor) else {
                throw ONNXError(path, "tensor \"\(t.name)\" has dimension \(d)")
            }
            count = count.multipliedReportingOverflow(by: Int(d)).partialValue
            guard count <= largestTensor else { throw ONNXError(path, "tensor \"\(t.name)\" is too large (\(t.dims))") }
        }
        let dims = t.dims.map { Int($0) }
        var values: [Float]
        switch Onnx_TensorProto.DataType(rawValue: Int(t.dataType)) {
        case .float?:
            if !t.rawData.isEmpty {
                guard t.rawData.count == count * 4 else {
                    throw ONNXError(path, "tensor \"\(t.name)\" holds \(t.rawData.count) bytes for \(count) floats")
                }
                values = t.rawData.withUnsafeBytes { raw in
                    (0..<count).map {
                        Float(
                            bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))
                        )
                    }
                }
            } else {
                values = t.floatData
            }
        case .int64?:
            let ints: [Int64] =
                t.rawData.isEmpty
                ? t.int64Data
                : t.rawData.withUnsafeBytes { raw in
                    (0..<min(count, t.rawData.count / 8)).map {
                        Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))
                    }
                }
            values = ints.map { Float($0) }
        case .double?:
            values = t.doubleData.map { Float($0) }
        default:
            throw ONNXError(path, "tensor \"\(t.name)\" has data type \(t.dataType); gonet reads float32 weights")
        }
        guard values.count == count else {
            throw ONNXError(path, "tensor \"\(t.name)\" holds \(values.count) values for shape \(dims)")
        }
        return Constant(dims: dims, values: values)
    }

    func consumers(of value: String) -> [Node] { nodes.filter { $0.inputs.contains(value) } }

    /// The channels of each output of Split node `n` over `channels`: its `split` input (opset 13
    /// on) or attribute (before), else equal parts (the last smaller when they do not divide, as
    /// opset 18 has it); nil when they do not add up or are not whole numbers.
    func splitSizes(_ n: Node, channels: Int) -> [Int]? {
        let parts = n.outputs.count
        guard parts > 0 else { return nil }
        var given = n.ints("split")
        if given == nil, n.inputs.count > 1, !n.inputs[1].isEmpty {
            guard let c = constants[n.inputs[1]], let v = Self.integers(c.values) else { return nil }
            given = v
        }
        if let given {
            guard given.count == parts, given.allSatisfy({ $0 > 0 }), given.reduce(0, +) == Int64(channels) else {
                return nil
            }
            return given.map { Int($0) }
        }
        let each = (channels + parts - 1) / parts
        let sizes = (0..<parts).map { min(each, max(0, channels - $0 * each)) }
        return sizes.allSatisfy { $0 > 0 } ? sizes : nil
    }

    /// The channels a Slice of a `channels`-channel board takes (`x[:, a:b]`: one range along
    /// axis 1, step 1, its bounds constants or attributes, negative counting from the end and
    /// anything past the end, PyTorch's INT64_MAX, meaning the end); nil for any other Slice.
    func channelRange(_ n: Node, channels c: Int) -> Range<Int>? {
        // Opset 10 on: starts, ends, axes, steps as inputs; before: attributes.
        func list(_ i: Int, _ key: String) -> [Float]?? {
            if let v = n.ints(key) { return v.map { Float($0) } }
            guard i < n.inputs.count, !n.inputs[i].isEmpty else { return .some(nil) }
            guard let k = constants[n.inputs[i]] else { return nil }
            return k.values
        }
        guard n.op == "Slice", let axes = list(3, "axes"), let steps = list(4, "steps"),
            let starts = list(1, "starts") ?? nil, let ends = list(2, "ends") ?? nil, starts.count == 1,
            ends.count == 1, axes == [1], steps == nil || steps == [1]
        else { return nil }
        func clamp(_ v: Float) -> Int {
            guard v.isFinite else { return v > 0 ? c : 0 }
            return Int(v < 0 ? max(Float(c) + v, 0) : min(v, Float(c)))
        }
        let (from, to) = (clamp(starts[0]), clamp(ends[0]))
        return from..<max(from, to)
    }

    /// A constant's values as integers (axes, shapes), nil when one is not a whole number of a
    /// sane size: a hostile model's 1e30 or NaN must not trap the conversion.
    static func integers(_ values: [Float]) -> [Int64]? {
        let bound: Float = 0x1p40
        guard values.allSatisfy({ $0.isFinite && $0 == $0.rounded() && abs($0) <= bound }) else { return nil }
        return values.map { Int64($0) }
    }

    /// A row-major r×c matrix transposed.
    static func transpose(_ v: [Float], _ r: Int, _ c: Int) -> [Float] {
        var out = [Float](repeating: 0, count: v.count)
        for i in 0..<r { for j in 0..<c { out[j * r + i] = v[i * c + j] } }
        return out
    }
}

/// An ONNX file gonet cannot import, and why (naming the node or tensor).
public struct ONNXError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// What is wrong, naming the node or tensor.
    public var message: String
    init(_ path: String, _ why: String) { message = "\(path): \(why)" }
    /// The message.
    public var description: String { message }
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { message }
}
