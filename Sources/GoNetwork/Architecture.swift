import Foundation

/// The shape of a network of docs/FORMATS.md's family (trunk, blocks, filters and heads), or a
/// graph of operations imported from elsewhere (`graph`; the family's sizes are then unused).
public struct Architecture: Sendable, Equatable {
    /// The trunk's blocks: residual (two 3x3 convolutions) or mobile (inverted bottleneck).
    public enum Trunk: String, CaseIterable, Sendable { case resnet, mobile }
    /// The policy head after its 1x1 convolution: a dense layer to 362, or a 1x1 convolution plus a pass unit.
    public enum PolicyHead: String, CaseIterable, Sendable { case fc, conv }
    /// The value head after its 1x1 convolution: dense over the board, or global average pooling first.
    public enum ValueHead: String, CaseIterable, Sendable { case fc, pool }

    /// The family's trunk (unused for a graph).
    public var trunk: Trunk = .resnet
    /// Blocks of the trunk.
    public var blocks: Int = 6
    /// Channels of the trunk.
    public var filters: Int = 64
    /// Inner width of a mobile block (ignored by resnet).
    public var expansion: Int = 0
    /// The policy head's kind.
    public var policyHead: PolicyHead = .fc
    /// Channels of the policy head's convolution.
    public var policyFilters: Int = 2
    /// The value head's kind.
    public var valueHead: ValueHead = .fc
    /// Channels of the value head's convolution.
    public var valueFilters: Int = 1
    /// Width of the value head's hidden layer.
    public var valueHidden: Int = 256
    /// A network outside the family (ONNX import), run as a graph; inference only.
    public var graph: GraphSpec?

    /// An architecture of the family; `validate()` checks it against the limits.
    public init(
        trunk: Trunk = .resnet, blocks: Int = 6, filters: Int = 64, expansion: Int = 0,
        policyHead: PolicyHead = .fc, policyFilters: Int = 2,
        valueHead: ValueHead = .fc, valueFilters: Int = 1, valueHidden: Int = 256
    ) {
        self.trunk = trunk
        self.blocks = blocks
        self.filters = filters
        self.expansion = expansion
        self.policyHead = policyHead
        self.policyFilters = policyFilters
        self.valueHead = valueHead
        self.valueFilters = valueFilters
        self.valueHidden = valueHidden
    }

    /// A graph network's architecture; the family's sizes are left at their smallest, unused.
    public init(graph: GraphSpec) {
        self.init(blocks: 0, filters: 1, policyFilters: 1, valueFilters: 1, valueHidden: 1)
        self.graph = graph
    }

    /// Graph architectures are equal when their graphs are (the family's sizes mean nothing there).
    public static func == (l: Architecture, r: Architecture) -> Bool {
        if l.graph != nil || r.graph != nil { return l.graph == r.graph }
        return (l.trunk, l.blocks, l.filters, l.expansion, l.policyHead, l.policyFilters)
            == (r.trunk, r.blocks, r.filters, r.expansion, r.policyHead, r.policyFilters)
            && (l.valueHead, l.valueFilters, l.valueHidden) == (r.valueHead, r.valueFilters, r.valueHidden)
    }

    /// The size limits of every architecture: what a network file, `gonet net new` and `gonet train`
    /// may ask for (a hostile file cannot make gonet allocate more). The one table of them.
    public static let limits = (
        blocks: 0...64, filters: 1...1024, expansion: 1...4096, heads: 1...1024, hidden: 1...8192
    )

    /// A mobile block's inner width when none is given: MobileNetV2's expansion factor of 4.
    public static func defaultExpansion(filters: Int) -> Int { 4 * filters }

    /// Throws unless every size is within `limits` (the message names the setting by its key).
    public func validate() throws(NetworkError) {
        if let graph {
            _ = try graph.shapes(planes: Features.planes)
            return
        }
        if let bad = outOfRange {
            throw NetworkError(
                "architecture \"\(bad.key)\" must be an integer in \(bad.range.lowerBound)…\(bad.range.upperBound), not \(bad.value)"
            )
        }
    }

    /// The first size of a family network outside the limits, with its metadata key
    /// ("value_hidden") and range: what `validate` refuses, for callers that name it their own way.
    public var outOfRange: (key: String, value: Int, range: ClosedRange<Int>)? {
        guard graph == nil else { return nil }
        let checks: [(key: String, value: Int, range: ClosedRange<Int>)] =
            [
                ("blocks", blocks, Self.limits.blocks), ("filters", filters, Self.limits.filters),
                ("policy_filters", policyFilters, Self.limits.heads),
                ("value_filters", valueFilters, Self.limits.heads),
                ("value_hidden", valueHidden, Self.limits.hidden),
            ] + (trunk == .mobile ? [("expansion", expansion, Self.limits.expansion)] : [])
        return checks.first { !$0.range.contains($0.value) }
    }

    /// Reads the `architecture` metadata JSON; missing head keys take docs/FORMATS.md's defaults.
    public init(json: String) throws {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw NetworkError("architecture is not a JSON object")
        }
        func int(_ key: String, _ range: ClosedRange<Int>, default d: Int?) throws -> Int {
            guard let v = obj[key] else {
                if let d { return d }
                throw NetworkError("architecture lacks \"\(key)\"")
            }
            guard let n = (v as? NSNumber)?.intValue, "\(v)" == "\(n)", range.contains(n) else {
                throw NetworkError(
                    "architecture \"\(key)\" must be an integer in \(range.lowerBound)…\(range.upperBound), not \(v)")
            }
            return n
        }
        func name(_ key: String, default d: String?) throws -> String {
            guard let v = obj[key] else {
                if let d { return d }
                throw NetworkError("architecture lacks \"\(key)\"")
            }
            guard let s = v as? String else { throw NetworkError("architecture \"\(key)\" must be a string") }
            return s
        }
        let t = try name("trunk", default: nil)
        if t == "graph" {
            guard let g = obj["graph"], JSONSerialization.isValidJSONObject(g),
                let data = try? JSONSerialization.data(withJSONObject: g)
            else { throw NetworkError("architecture \"graph\" must be an object") }
            let spec: GraphSpec
            do { spec = try JSONDecoder().decode(GraphSpec.self, from: data) } catch {
                throw NetworkError("architecture \"graph\" is not a graph: \(error)")
            }
            self.init(graph: spec)
            try validate()
            return
        }
        guard let trunk = Trunk(rawValue: t) else {
            throw NetworkError("unknown trunk \"\(t)\" (resnet, mobile or graph)")
        }
        self.init()
        self.trunk = trunk
        blocks = try int("blocks", Self.limits.blocks, default: nil)
        filters = try int("filters", Self.limits.filters, default: nil)
        expansion = trunk == .mobile ? try int("expansion", Self.limits.expansion, default: nil) : 0
        let p = try name("policy_head", default: "fc")
        guard let ph = PolicyHead(rawValue: p) else {
            throw NetworkError("unknown policy_head \"\(p)\" (fc or conv)")
        }
        policyHead = ph
        policyFilters = try int("policy_filters", Self.limits.heads, default: 2)
        let v = try name("value_head", default: "fc")
        guard let vh = ValueHead(rawValue: v) else {
            throw NetworkError("unknown value_head \"\(v)\" (fc or pool)")
        }
        valueHead = vh
        valueFilters = try int("value_filters", Self.limits.heads, default: 1)
        valueHidden = try int("value_hidden", Self.limits.hidden, default: 256)
    }

    /// The `architecture` metadata JSON, keys in docs/FORMATS.md's order.
    public var json: String {
        if let graph {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            let text = (try? enc.encode(graph)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "{\"trunk\": \"graph\", \"graph\": \(text)}"
        }
        var parts = ["\"trunk\": \"\(trunk.rawValue)\"", "\"blocks\": \(blocks)", "\"filters\": \(filters)"]
        if trunk == .mobile { parts.append("\"expansion\": \(expansion)") }
        parts += [
            "\"policy_head\": \"\(policyHead.rawValue)\"", "\"policy_filters\": \(policyFilters)",
            "\"value_head\": \"\(valueHead.rawValue)\"", "\"value_filters\": \(valueFilters)",
            "\"value_hidden\": \(valueHidden)",
        ]
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// `resnet 6x64, fc policy (2), fc value (1, 256)`.
    public var summary: String {
        if let graph { return graph.summary }
        let t = trunk == .resnet ? "resnet \(blocks)x\(filters)" : "mobile \(blocks)x\(filters) expansion \(expansion)"
        return
            "\(t), \(policyHead.rawValue) policy head (\(policyFilters) filters), \(valueHead.rawValue) value head (\(valueFilters) filters, \(valueHidden) hidden)"
    }
}
