import Foundation

/// What a network is: one of docs/FORMATS.md's family (trunk, blocks, filters and heads), which gonet
/// builds, trains and runs, or a graph of operations imported from elsewhere, which it only runs.
public enum Architecture: Sendable, Equatable {
    /// A network of the family: `FamilyNetwork`.
    case family(Family)
    /// A network outside the family (ONNX import), run as a graph: `GraphNetwork`.
    case graph(GraphSpec)

    /// The size limits of every architecture: what a network file, `gonet net new` and `gonet train`
    /// may ask for (a hostile file cannot make gonet allocate more). The one table of them.
    public static let limits = (
        blocks: 0...64, filters: 1...1024, expansion: 1...4096, heads: 1...1024, hidden: 1...8192
    )

    /// A mobile block's inner width when none is given: MobileNetV2's expansion factor of 4.
    public static func defaultExpansion(filters: Int) -> Int { 4 * filters }

    /// The family's shape, or nil for a graph.
    public var family: Family? {
        if case .family(let f) = self { return f }
        return nil
    }

    /// Throws unless every size is within `limits` (the message names the setting by its key) and a
    /// graph's shapes check out.
    public func validate() throws(NetworkError) {
        switch self {
        case .family(let f): try f.validate()
        case .graph(let g): _ = try g.shapes(planes: Features.planes)
        }
    }

    /// Reads the `architecture` metadata JSON; missing head keys take docs/FORMATS.md's defaults.
    public init(json: String) throws(NetworkError) {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw NetworkError("architecture is not a JSON object")
        }
        guard let trunk = obj["trunk"] else { throw NetworkError("architecture lacks \"trunk\"") }
        guard trunk as? String == "graph" else {
            self = .family(try Family(json: obj))
            return
        }
        guard let g = obj["graph"], JSONSerialization.isValidJSONObject(g),
            let data = try? JSONSerialization.data(withJSONObject: g)
        else { throw NetworkError("architecture \"graph\" must be an object") }
        let spec: GraphSpec
        do { spec = try JSONDecoder().decode(GraphSpec.self, from: data) } catch {
            throw NetworkError("architecture \"graph\" is not a graph: \(error)")
        }
        self = .graph(spec)
        try validate()
    }

    /// The `architecture` metadata JSON, keys in docs/FORMATS.md's order.
    public var json: String {
        switch self {
        case .family(let f): return f.json
        case .graph(let g):
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            let text = (try? enc.encode(g)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return "{\"trunk\": \"graph\", \"graph\": \(text)}"
        }
    }

    /// `resnet 6x64, fc policy head (2 filters), …` or the graph's summary.
    public var summary: String {
        switch self {
        case .family(let f): return f.summary
        case .graph(let g): return g.summary
        }
    }
}
