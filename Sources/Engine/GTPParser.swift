/// One GTP command line after preprocessing (GTP 2, section 3.1): id, name and arguments.
public struct GTPLine: Equatable, Sendable {
    public var id: Int?
    public var name: String
    public var arguments: [String]
}

public enum GTPParser {
    /// Preprocesses and splits a line: control characters other than tab and newline are removed,
    /// tabs become spaces, a `#` starts a comment; nil for a line left empty.
    public static func parse(_ raw: String) -> GTPLine? {
        var text = ""
        text.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            if scalar == "#" { break }
            if scalar == "\t" { text.append(" "); continue }
            if scalar.value < 32 || scalar.value == 127 { continue }
            text.unicodeScalars.append(scalar)
        }
        var words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var id: Int?
        if let n = Int(words[0]), words[0].allSatisfy(\.isNumber) {
            id = n
            words.removeFirst()
            guard !words.isEmpty else { return GTPLine(id: id, name: "", arguments: []) }
        }
        return GTPLine(id: id, name: words[0], arguments: Array(words.dropFirst()))
    }

    /// A success response: `= id result` and an empty line.
    public static func success(_ id: Int?, _ result: String) -> String {
        "=\(id.map(String.init) ?? "")\(result.isEmpty ? "" : " " + result)\n\n"
    }

    /// A failure response: `? id message` and an empty line.
    public static func failure(_ id: Int?, _ message: String) -> String {
        "?\(id.map(String.init) ?? "") \(message)\n\n"
    }
}
