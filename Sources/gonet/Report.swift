import Foundation
import GoRecords

/// Writes a line to standard error.
func printError(_ text: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((text + (newline ? "\n" : "")).utf8))
}

/// Text layouts for the command line.
enum Report {
    /// Thousands separated by commas.
    static func count(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 && c != "-" { out.append(",") }
            out.append(c)
        }
        return out
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let r = (x * p).rounded() / p
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        } else if digits > 0 {
            s += "." + String(repeating: "0", count: digits)
        }
        return s
    }

    static func statistics(_ s: RecordStatistics, failuresShown: Int) -> String {
        var out = ""
        let attempted = s.games + s.failures.count
        out += "  games        \(count(s.games))"
        out += s.failures.isEmpty ? "\n" : " read, \(count(s.failures.count)) failed (of \(count(attempted)))\n"
        let average = s.games > 0 ? Double(s.moves) / Double(s.games) : 0
        out += "  moves        \(count(s.moves)) (\(fixed(average, 1)) per game)\n"
        let sizes = s.sizes.sorted { $0.key < $1.key }.map { "\($0.key)x\($0.key): \(count($0.value))" }
        out += "  board sizes  \(sizes.isEmpty ? "-" : sizes.joined(separator: ", "))\n"
        out +=
            "  results      B wins \(count(s.blackWins)), W wins \(count(s.whiteWins)), draws \(count(s.draws)), unknown \(count(s.unknownResults))\n"
        // Which ko rule each game's moves were checked under: its own rules' (RU), or gonet's
        // positional superko where RU says nothing gonet knows.
        let rules = s.rules.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ru, n in
            "\(ru.isEmpty ? "no RU" : ru) \(count(n)) (\(RecordRules(ru: ru).description))"
        }
        if !rules.isEmpty { out += "  rules        \(rules.joined(separator: ", "))\n" }
        if !s.lengths.isEmpty {
            let b = RecordStatistics.lengthBucket
            let buckets = s.lengths.sorted { $0.key < $1.key }.map { "\($0.key)-\($0.key + b - 1): \(count($0.value))" }
            out += "  lengths      \(buckets.joined(separator: ", "))\n"
        }
        for f in s.failures.prefix(failuresShown) {
            out += "  failed       game \(f.index): \(f.error)\n"
        }
        if s.failures.count > failuresShown && failuresShown > 0 {
            out += "  failed       … and \(s.failures.count - failuresShown) more\n"
        }
        for w in s.warnings.prefix(max(failuresShown, 1)) { out += "  warning      \(w)\n" }
        if s.warnings.count > max(failuresShown, 1) {
            out += "  warning      … and \(s.warnings.count - max(failuresShown, 1)) more\n"
        }
        if let e = s.streamError { out += "  error        \(e) (games before it are counted)\n" }
        return out
    }
}
