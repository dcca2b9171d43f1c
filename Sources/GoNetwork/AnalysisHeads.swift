import Foundation
import NeuralNet

/// The heads a review can show beyond policy and value: ownership (who owns each point when the
/// game is counted) and score (the final margin). A network learns them with `gonet train
/// --ownership-weight/--score-weight`, or afterwards with `--heads-only`, which leaves the network
/// itself untouched. They live in a file of their own beside the network,
/// `NAME.heads.safetensors` (docs/FORMATS.md), so the file a tournament plays keeps the policy and
/// value contract.
public struct AnalysisHeads: OptionSet, Sendable {
    /// One bit a head.
    public let rawValue: Int
    /// The heads whose bits are set.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Who owns each point at the end, +1 the side to move.
    public static let ownership = AnalysisHeads(rawValue: 1)
    /// The side to move's final margin in points (komi included).
    public static let score = AnalysisHeads(rawValue: 2)
}

/// docs/FORMATS.md's heads files: the analysis heads of one network file, tied to it by its digest.
public enum HeadsFile {
    /// Where a command takes a network's analysis heads from.
    public enum Choice: Sendable, Equatable {
        /// `NAME.heads.safetensors` beside the network `NAME.safetensors`, when it exists and fits
        /// (one that does not, say left from a network since retrained, is skipped: the network
        /// plays without heads).
        case beside
        /// This file (an error when it does not fit the network).
        case file(String)
        /// No heads.
        case none
    }

    /// Loads the network file at `path` (`NetworkFile.load(path:)`) with its heads as `heads` says;
    /// `skipped` hears why a heads file beside the network was not used.
    public static func loadNetwork(
        path: String, heads: Choice, skipped: (NetworkError) -> Void = { _ in }
    ) throws(NetworkError) -> PolicyValueNetwork {
        let network = try NetworkFile.load(path: path)
        switch heads {
        case .none: break
        case .file(let file): try load(path: file, into: network)
        case .beside:
            let file = self.path(besideNetwork: path)
            guard FileManager.default.fileExists(atPath: file) else { break }
            do { try load(path: file, into: network) } catch { skipped(error) }
        }
        return network
    }

    /// The `format` metadata of heads files.
    public static let format = "gonet-heads/1"

    /// Where the heads of the network file `network` live: `NAME.heads.safetensors` beside it.
    public static func path(besideNetwork network: String) -> String {
        let stem = network.hasSuffix(".safetensors") ? String(network.dropLast(".safetensors".count)) : network
        return stem + ".heads.safetensors"
    }

    /// Attaches the heads in `path` to `network`, checked: format, the network's digest, every
    /// tensor's shape, finite values. The error lists every problem found.
    public static func load(path: String, into network: PolicyValueNetwork) throws(NetworkError) {
        let file: SafeTensors
        do { file = try SafeTensors.read(path: path) } catch let e as SafeTensorsError {
            throw NetworkError(path: path, reasons: [e.message])
        } catch { throw NetworkError(path: path, reasons: ["\(error)"]) }
        guard file.metadata["format"] == format else {
            throw NetworkError(
                path: path,
                reasons: ["not a heads file (format \"\(file.metadata["format"] ?? "")\", expected \(format))"])
        }
        guard let family = network as? FamilyNetwork else {
            throw NetworkError(
                path: path, reasons: ["heads belong to gonet's own network family; this network is a graph"])
        }
        let digest = family.digest
        guard file.metadata["network_digest"] == digest else {
            throw NetworkError(
                path: path,
                reasons: [
                    "the heads were trained for another network (digest \(file.metadata["network_digest"] ?? "none"), this network's \(digest))"
                ])
        }
        try family.attachHeads(file, path: path)
    }
}

extension FamilyNetwork {
    /// The analysis heads attached (trained here, or loaded from a heads file).
    public var analysisHeads: AnalysisHeads {
        var h: AnalysisHeads = []
        if ownershipHead != nil { h.insert(.ownership) }
        if scoreHead != nil { h.insert(.score) }
        return h
    }

    /// Writes the attached analysis heads as a heads file for this network (atomically), with
    /// what trained them (`training`, JSON) when given.
    public func saveHeads(path: String, training: String? = nil) throws {
        var file = SafeTensors()
        for p in analysisHeadParameters { file.set(p.name, Tensor(shape: p.shape, data: p.value)) }
        file.metadata = ["format": HeadsFile.format, "architecture": architecture.json, "network_digest": digest]
        file.metadata["training"] = training
        try file.write(path: path)
    }

    /// Attaches the heads the file holds, each tensor checked.
    fileprivate func attachHeads(_ file: SafeTensors, path: String) throws(NetworkError) {
        let names = Set(file.entries.keys)
        let wanted: AnalysisHeads = [
            names.contains("ownership.out.weight") ? .ownership : [], names.contains("score.fc.weight") ? .score : [],
        ]
        guard !wanted.isEmpty else {
            throw NetworkError(path: path, reasons: ["no ownership or score head in the file"])
        }
        // Fresh heads of this network's shapes, filled only once every tensor has passed.
        let probe = FamilyNetwork(family)
        if wanted.contains(.ownership) { probe.addOwnershipHead(seed: 0) }
        if wanted.contains(.score) { probe.addScoreHead(seed: 0) }
        var reasons: [String] = []
        let expected = Set(probe.analysisHeadParameters.map(\.name))
        for p in probe.analysisHeadParameters {
            guard let e = file.entries[p.name], e.dtype == .F32, e.shape == p.shape, let t = file.tensor(p.name) else {
                reasons.append("tensor \(p.name) missing, not F32, or not of shape \(p.shape)")
                continue
            }
            guard t.data.allSatisfy(\.isFinite) else {
                reasons.append("tensor \(p.name) has a non-finite value")
                continue
            }
            p.value = t.data
        }
        for name in names.sorted() where !expected.contains(name) { reasons.append("unexpected tensor \(name)") }
        guard reasons.isEmpty else { throw NetworkError(path: path, reasons: reasons) }
        if let head = probe.ownershipHead { ownershipHead = head }
        if let head = probe.scoreHead { scoreHead = head }
    }

    /// The score head's output for the last forward pass: the side to move's final margin in
    /// points `[B]`, or nil without the head.
    public func lastScores(batch: Int) -> [Float]? {
        guard let scoreHead else { return nil }
        let y = scores.reserve(batch)
        scoreHead.forward(valueHidden.pointer, y, batch: batch)
        // Trained in units of 10 points (FamilyNetworkTraining), so its error weighs like the value's.
        return (0..<batch).map { y[$0] * 10 }
    }

    /// The ownership head's output for the last forward pass, `[B][361]`, +1 the side to move, or
    /// nil without the head.
    public func lastOwnership(batch: Int) -> [Float]? {
        guard let ownershipHead else { return nil }
        let y = ownershipHead.forward(valueUnit.output.pointer, batch: batch, columns: scratch.columns)
        return Array(UnsafeBufferPointer(start: y, count: batch * Self.points))
    }
}

extension PolicyValueNetwork {
    /// The analysis heads on one position averaged over the 8 symmetries (one batch of 8): the
    /// ownership `[361]` in the position's own orientation, +1 the side to move, and the side to
    /// move's score in points; each nil without its head.
    public func headsSymmetric(_ position: EncodedPosition) -> (ownership: [Float]?, score: Float?) {
        let heads = analysisHeads
        guard !heads.isEmpty else { return (nil, nil) }
        var planes = [Float]()
        planes.reserveCapacity(8 * Features.planes * Features.points)
        for k in 0..<8 { planes += Features.planes(position, symmetry: k) }
        planes.withUnsafeBufferPointer { _ = forward(planes: $0.baseAddress!, batch: 8) }
        let score = lastScores(batch: 8).map { $0.reduce(0, +) / 8 }
        let ownership = lastOwnership(batch: 8).map { all -> [Float] in
            var mean = [Float](repeating: 0, count: Features.points)
            for k in 0..<8 {
                let dest = Symmetry.destination[k]
                // Point i of the position is point dest[i] of its k-th transform.
                for i in 0..<Features.points { mean[i] += all[k * Features.points + Int(dest[i])] / 8 }
            }
            return mean
        }
        return (ownership, score)
    }
}
