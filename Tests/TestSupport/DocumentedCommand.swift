import Foundation

/// A `gonet …` command shown in a shell block of the README, CONTRIBUTING.md, docs/ or the
/// shipped folders' READMEs: where it stands, its words as the shell splits them, and what the
/// line pipes into it.
public struct DocumentedCommand: Sendable {
    /// The page, relative to the checkout.
    public let file: String
    /// The line the command starts on (1-based).
    public let line: Int
    /// The `##` heading it stands under ("" before the first): a reader follows one section's
    /// commands in order, so the docs tests run each section in a folder of its own.
    public let section: String
    /// The words, `gonet` first, with shell variables replaced by stand-ins of their kind.
    public let words: [String]
    /// What the line pipes into the command (`printf '…' |` or `echo '…' |`), as the shell would,
    /// or what a comment under it says to type (`# type: genmove b   then: quit`).
    public let input: String?

    /// `FILE:LINE`, for failure messages.
    public var location: String { "\(file):\(line)" }

    /// True when the command names a PostgreSQL tournament.
    public var usesPostgres: Bool { words.contains { $0.hasPrefix("postgres://") } }

    /// Every documented command, page by page in reading order.
    public static func all() throws -> [DocumentedCommand] {
        var pages = ["README.md", "CONTRIBUTING.md", "Tournament/README.md"]
        let docs = TestPaths.packageRoot.appendingPathComponent("docs")
        pages += try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
            .map { "docs/" + $0 }
        return try pages.flatMap { page in
            try commands(
                in: String(contentsOf: TestPaths.packageRoot.appendingPathComponent(page), encoding: .utf8), page: page)
        }
    }

    /// The commands of one page's `sh` and `bash` blocks. A command starts where `gonet` starts a
    /// line or follows `;`, `&`, `|`, `(`, `do`, `exec`, `nohup`, `ssh HOST` or `NAME=VALUE`, and
    /// runs on over lines that end in `\`.
    public static func commands(in text: String, page: String) -> [DocumentedCommand] {
        var found: [DocumentedCommand] = []
        var inShell = false
        var section = ""
        var pending = ""
        var before = ""  // the line's text before `gonet`, with the lines continued into it
        var carried = ""  // continued lines that hold no command yet (`echo '…' \`)
        var start = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inShell = !inShell && (line == "```sh" || line == "```bash")
                carried = ""
                continue
            }
            guard inShell else {
                if line.hasPrefix("## ") { section = String(line.dropFirst(3)) }
                continue
            }
            // `# type: A   then: B` under a command: what a reader types into it.
            if pending.isEmpty, line.hasPrefix("# type:"), let last = found.last, last.input == nil, last.line == i {
                let typed = line.dropFirst("# type:".count).components(separatedBy: "then:")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                found[found.count - 1] = DocumentedCommand(
                    file: last.file, line: last.line, section: last.section, words: last.words,
                    input: typed.joined(separator: "\n") + "\n")
                continue
            }
            if pending.isEmpty {
                guard !line.hasPrefix("#"),
                    let r = line.range(
                        of: #"(^|[;&|(]\s*|do\s+|exec\s+|nohup\s+|ssh\s+\S+\s+|^\S+=\S+\s+)gonet "#,
                        options: .regularExpression)
                else {
                    carried = line.hasSuffix("\\") ? carried + " " + line.dropLast() : ""
                    continue
                }
                start = i + 1
                let command = line.index(r.upperBound, offsetBy: -6)
                before = carried + " " + line[..<command]
                carried = ""
                pending = String(line[command...])
            } else {
                pending += " " + line
            }
            if pending.hasSuffix("\\") {
                pending.removeLast()
                continue
            }
            found.append(
                DocumentedCommand(
                    file: page, line: start, section: section, words: shellWords(pending), input: piped(before)))
            pending = ""
        }
        return found
    }

    /// The text `printf 'TEXT' |` or `echo 'TEXT' |` at the end of `before` writes, or nil.
    static func piped(_ before: String) -> String? {
        let text = before.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix("|"),
            let open = text.range(of: #"(printf|echo) '"#, options: [.regularExpression, .backwards]),
            let close = text.range(of: "'", options: .backwards), close.lowerBound >= open.upperBound
        else { return nil }
        let quoted = String(text[open.upperBound..<close.lowerBound])
        return text[open].hasPrefix("printf") ? quoted.replacingOccurrences(of: #"\n"#, with: "\n") : quoted + "\n"
    }

    /// A shell line's words up to a comment, `&`, `||`, `;`, `>` or `)`: quotes honoured, `$NAME`
    /// and `"$NAME"` replaced by a stand-in of their kind.
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var any = false
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "\"" || ch == "'" {
                quote = ch
                any = true
            } else if ch == " " {
                if !current.isEmpty || any { words.append(current) }
                current = ""
                any = false
            } else if "#&|;>)".contains(ch) && current.isEmpty && !any {
                break
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty || any { words.append(current) }
        return words.map { word in
            switch word {
            case "$url", "\"$url\"": return "postgres://gonet@127.0.0.1:5432/gonet"
            case "$f", "$work/demo-net.safetensors": return "net.safetensors"
            default:
                return word.replacingOccurrences(of: "$SLURM_CPUS_PER_TASK", with: "4")
                    .replacingOccurrences(of: "$SLURM_ARRAY_TASK_ID", with: "1").replacingOccurrences(
                        of: "$h", with: "lab1"
                    ).replacingOccurrences(of: "$i", with: "1")
            }
        }
    }
}
