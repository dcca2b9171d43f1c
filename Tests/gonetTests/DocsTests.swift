import Foundation
import TestSupport
import XCTest

/// The commands the README and docs/ show: every one is read by the parser as a user would type
/// it, and the README's quick start runs end to end on the sample games.
final class DocsTests: XCTestCase {
    /// Every `gonet …` line of a shell block in the README, docs/ and the folders' READMEs.
    static func documentedCommands() throws -> [(file: String, line: Int, words: [String])] {
        var pages = ["README.md", "CONTRIBUTING.md", "Tournament/README.md"]
        let docs = TestPaths.packageRoot.appendingPathComponent("docs")
        pages += try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
            .map { "docs/" + $0 }
        var found: [(String, Int, [String])] = []
        for page in pages {
            let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(page), encoding: .utf8)
            var inShell = false
            var pending = ""
            var start = 0
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("```") {
                    inShell = !inShell && (line == "```sh" || line == "```bash")
                    continue
                }
                guard inShell else { continue }
                if pending.isEmpty {
                    guard !line.hasPrefix("#"),
                        let r = line.range(
                            of: #"(^|[;&|(]\s*|do\s+|exec\s+|^\S+=\S+\s+)gonet "#, options: .regularExpression)
                    else { continue }
                    start = i + 1
                    pending = String(line[line.index(r.upperBound, offsetBy: -6)...])
                } else {
                    pending += " " + line
                }
                if pending.hasSuffix("\\") {
                    pending.removeLast()
                    continue
                }
                found.append((page, start, shellWords(pending)))
                pending = ""
            }
        }
        return found
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
                        of: "$h", with: "lab1")
            }
        }
    }

    func testEveryDocumentedCommandParses() throws {
        let commands = try Self.documentedCommands()
        XCTAssertGreaterThan(commands.count, 60, "the docs show many commands")
        for c in commands {
            XCTAssertEqual(c.words.first, "gonet", "\(c.file):\(c.line)")
            let r = try runGonet(Array(c.words.dropFirst()), environment: ["GONET_CHECK_ARGUMENTS": "1"])
            XCTAssertEqual(
                r.status, 0, "\(c.file):\(c.line): \(c.words.joined(separator: " ")) is refused: \(r.stderr)")
        }
    }

    /// The README's quick start, run as written but for the training's length and the tournament's
    /// folder: import, train, check, create the shipped tournament, submit, play, rate, report.
    func testTheQuickStartRuns() throws {
        guard TestPaths.gnugo != nil else { throw XCTSkip("GNU Go is missing") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tournament = dir.appendingPathComponent("Tournament").path
        try FileManager.default.createDirectory(atPath: tournament, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestPaths.packageRoot.appendingPathComponent("Tournament/tournament.json").path,
            toPath: tournament + "/tournament.json")
        let archive = dir.appendingPathComponent("sample.games.zst").path
        let net = dir.appendingPathComponent("mynet.safetensors").path
        let steps: [[String]] = [
            ["games", "import", "Games", "-o", archive],
            [
                "train", "--config", "examples/training/budget.json", "--data", archive, "-o", net, "--steps", "3",
                "--validation-positions", "100",
            ],
            ["net", "check", net, "--budget", "100000"],
            ["tournament", "init", tournament, "--games", "1"],
            ["tournament", "submit", tournament, net, "--author", "Ada Lovelace"],
            ["tournament", "submit", tournament, "--engine", "gnugo --mode gtp --level 1", "--name", "gnugo-1"],
            ["tournament", "run", tournament],
            ["tournament", "standings", tournament],
            ["tournament", "report", tournament],
        ]
        var last = ""
        for step in steps {
            let r = try runGonet(step)
            XCTAssertEqual(r.status, 0, "gonet \(step.joined(separator: " ")): \(r.stderr)")
            last = r.stdout
        }
        XCTAssertTrue(last.hasPrefix("wrote \(tournament)/report.html"), last)
        let standings = try runGonet(["tournament", "standings", tournament]).stdout
        XCTAssertTrue(standings.contains("mynet"), standings)
        XCTAssertTrue(standings.contains("gnugo-1"), standings)
        XCTAssertTrue(standings.contains("crosstable"), standings)
    }
}
