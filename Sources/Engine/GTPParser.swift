import Foundation

/// One GTP command line after preprocessing (GTP 2, section 3.1): id, name and arguments.
public struct GTPLine: Equatable, Sendable {
    /// The command's id as sent (any number of digits; echoed in the response).
    public var id: String?
    /// The command's name, as sent.
    public var name: String
    /// The words after the name.
    public var arguments: [String]
}

/// Reads GTP command lines (GTP 2 section 3.1: comments, control characters, ids).
public enum GTPParser {
    /// Preprocesses and splits a line: control characters other than tab and newline are removed,
    /// tabs become spaces, a `#` starts a comment; nil for a line left empty.
    public static func parse(_ raw: String) -> GTPLine? {
        var text = ""
        text.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            if scalar == "#" { break }
            if scalar == "\t" {
                text.append(" ")
                continue
            }
            if scalar.value < 32 || scalar.value == 127 { continue }
            text.unicodeScalars.append(scalar)
        }
        var words = text.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var id: String?
        if words[0].unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            id = words[0]
            words.removeFirst()
            guard !words.isEmpty else { return GTPLine(id: id, name: "", arguments: []) }
        }
        return GTPLine(id: id, name: words[0], arguments: Array(words.dropFirst()))
    }

    /// A success response: `= id result` and an empty line. An empty line inside the result
    /// would end the response early for the controller, so none is let through.
    public static func success(_ id: String?, _ result: String) -> String {
        var body = result
        while body.contains("\n\n") { body = body.replacingOccurrences(of: "\n\n", with: "\n") }
        while body.hasSuffix("\n") { body.removeLast() }
        return "=\(id ?? "")\(body.isEmpty ? "" : " " + body)\n\n"
    }

    /// A failure response: `? id message` and an empty line.
    public static func failure(_ id: String?, _ message: String) -> String {
        "?\(id ?? "") \(message)\n\n"
    }
}
