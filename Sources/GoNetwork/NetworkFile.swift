import Foundation
import GoRules
import NeuralNet

/// docs/FORMATS.md's network files: reading one into the network it describes, checked.
public enum NetworkFile {
    /// The `format` metadata value of docs/FORMATS.md's network files.
    public static let format = "gonet-network/1"
    /// The only input features networks use.
    public static let features = "planes6-v1"

    /// Loads a network file, checking everything docs/FORMATS.md lists: format, features and
    /// architecture metadata, every tensor present with its shape and dtype, no extra tensor,
    /// finite weights and non-negative running variances, and finite outputs of a forward pass on
    /// the empty board. The error lists every problem found.
    public static func load(path: String) throws(NetworkError) -> PolicyValueNetwork {
        try load(read(path), path: path)
    }

    /// The checks of `load(path:)` on a file already parsed (`path` names it in errors).
    public static func load(_ file: SafeTensors, path: String) throws(NetworkError) -> PolicyValueNetwork {
        let (architecture, reasons) = header(file, path: path)
        switch architecture {
        case nil: throw NetworkError(path: path, reasons: reasons)
        case .family(let f)?: return try fill(FamilyNetwork(f), from: file, path: path, reasons: reasons)
        case .graph(let g)?:
            let net: GraphNetwork
            do { net = try GraphNetwork(g) } catch { throw NetworkError(path: path, reasons: reasons + error.reasons) }
            return try fill(net, from: file, path: path, reasons: reasons)
        }
    }

    /// `load(path:)` for training: a graph network is refused (gonet has no backward pass for it).
    public static func loadFamily(path: String) throws(NetworkError) -> FamilyNetwork {
        let file = try read(path)
        let (architecture, reasons) = header(file, path: path)
        guard let architecture else { throw NetworkError(path: path, reasons: reasons) }
        guard case .family(let f) = architecture else {
            throw NetworkError(
                path: path,
                reasons: reasons + [
                    "a graph network (imported from ONNX: \(architecture.summary)); gonet plays it but cannot train it"
                ])
        }
        return try fill(FamilyNetwork(f), from: file, path: path, reasons: reasons)
    }

    private static func read(_ path: String) throws(NetworkError) -> SafeTensors {
        do { return try SafeTensors.read(path: path) } catch let e as SafeTensorsError {
            throw NetworkError(path: path, reasons: [e.message])
        } catch { throw NetworkError(path: path, reasons: ["\(error)"]) }
    }

    /// The metadata's architecture, with the problems of the other format keys found on the way.
    private static func header(_ file: SafeTensors, path: String) -> (Architecture?, [String]) {
        var reasons: [String] = []
        let meta = file.metadata
        switch meta["format"] {
        case nil: reasons.append("no \"format\" metadata (expected \(format))")
        case format?: break
        case let f?: reasons.append("unknown format \"\(f)\" (expected \(format))")
        }
        switch meta["features"] {
        case nil: reasons.append("no \"features\" metadata (expected \(features))")
        case features?: break
        case let f?: reasons.append("unknown features \"\(f)\" (expected \(features))")
        }
        guard let archText = meta["architecture"] else { return (nil, reasons + ["no \"architecture\" metadata"]) }
        do { return (try Architecture(json: archText), reasons) } catch { return (nil, reasons + error.reasons) }
    }

    /// Fills `net` with the file's tensors, checking each, and proves the outputs finite.
    private static func fill<Network: PolicyValueNetwork>(
        _ net: Network, from file: SafeTensors, path: String, reasons: [String]
    ) throws(NetworkError) -> Network {
        var reasons = reasons
        var expected = Set<String>()
        for p in net.parameters {
            expected.insert(p.name)
            guard let e = file.entries[p.name] else {
                reasons.append("missing tensor \(p.name)")
                continue
            }
            guard e.dtype == .F32 else {
                reasons.append("tensor \(p.name) has dtype \(e.dtype.rawValue), expected F32")
                continue
            }
            guard e.shape == p.shape else {
                reasons.append("tensor \(p.name) has shape \(e.shape), expected \(p.shape)")
                continue
            }
            let t = file.tensor(p.name)!
            if let i = t.data.firstIndex(where: { !$0.isFinite }) {
                reasons.append("tensor \(p.name) has a non-finite value (\(t.data[i])) at index \(i)")
                continue
            }
            if p.name.hasSuffix("running_var"), let i = t.data.firstIndex(where: { $0 < 0 }) {
                reasons.append("tensor \(p.name) has a negative running variance (\(t.data[i])) at index \(i)")
                continue
            }
            p.value = t.data
        }
        for name in file.entries.keys.sorted() where !expected.contains(name) {
            reasons.append("unexpected tensor \(name)")
        }
        guard reasons.isEmpty else { throw NetworkError(path: path, reasons: reasons) }
        net.metadata = file.metadata
        net.weightsChanged()
        // Finite weights can still be large enough to overflow: one forward pass proves the outputs.
        let (policy, value) = net.evaluate([EncodedPosition(Game(size: Board.standardSize))])
        if !policy.allSatisfy({ $0.isFinite }) || !value.allSatisfy({ $0.isFinite }) {
            throw NetworkError(
                path: path, reasons: ["a forward pass on the empty board gives non-finite outputs (weights too large)"])
        }
        return net
    }
}

extension PolicyValueNetwork {
    /// Writes the network as docs/FORMATS.md's safetensors file (atomically), with `format`, `features`,
    /// `architecture` and the network's other metadata.
    public func save(path: String) throws {
        var file = SafeTensors()
        for p in parameters { file.set(p.name, Tensor(shape: p.shape, data: p.value)) }
        var meta = metadata
        meta["format"] = NetworkFile.format
        meta["features"] = NetworkFile.features
        meta["architecture"] = architecture.json
        file.metadata = meta
        try file.write(path: path)
    }
}
