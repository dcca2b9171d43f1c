import Foundation
import TestSupport
import XCTest

/// The commands the README and docs/ show: every one is read by the parser as a user would type
/// it, and every one runs, scaled down to small data.
final class DocsTests: XCTestCase {
    func testEveryDocumentedCommandParses() throws {
        let commands = try DocumentedCommand.all()
        XCTAssertGreaterThan(commands.count, 60, "the docs show many commands")
        for c in commands {
            XCTAssertEqual(c.words.first, "gonet", "\(c.file):\(c.line)")
            let r = try runGonet(Array(c.words.dropFirst()), environment: ["GONET_CHECK_ARGUMENTS": "1"])
            XCTAssertEqual(
                r.status, 0, "\(c.file):\(c.line): \(c.words.joined(separator: " ")) is refused: \(r.stderr)")
        }
    }

    /// Every command that does not need PostgreSQL runs, section by section in a folder laid out
    /// as a reader's checkout, scaled down to small data and short games (DocsSandbox); the
    /// PostgreSQL ones run in PostgresDocsTests.
    func testEveryDocumentedCommandRuns() throws {
        guard TestPaths.gnugo != nil else { throw XCTSkip("GNU Go is missing") }
        let commands = try DocumentedCommand.all().filter { !$0.usesPostgres }
        let answers = try DocsSandbox.runBySection(commands)
        XCTAssertEqual(answers.count, commands.count, "every command ran")
        for a in answers { XCTAssertNil(a.problem) }
        let pages = Set(answers.map(\.command.file))
        for page in ["README.md", "docs/course.md", "docs/ONNX.md", "docs/playing.md", "docs/analysis.md"] {
            XCTAssertTrue(pages.contains(page), page)
        }
    }

    /// The lines a reader pipes into a command reach it as the shell would pass them, and what a
    /// comment under a command says to type is typed.
    func testPipedInputIsRead() {
        let text = """
            # intro
            ```sh
            printf 'name\\nquit\\n' | gonet gtp --network NET
            echo '{"id":"a"}' \\
              | gonet analysis --network NET
            gonet gtp --network NET
            # type: play b Q16   then: genmove w   then: quit
            ```
            """
        let found = DocumentedCommand.commands(in: text, page: "page.md")
        XCTAssertEqual(found.map(\.input), ["name\nquit\n", "{\"id\":\"a\"}\n", "play b Q16\ngenmove w\nquit\n"])
        XCTAssertEqual(found.map(\.line), [3, 5, 6])
        XCTAssertEqual(found[1].words, ["gonet", "analysis", "--network", "NET"])
    }

    /// The scaling keeps a command's options and cuts only its sizes.
    func testScalingCutsOnlySizes() {
        XCTAssertEqual(
            DocsSandbox.scaled(
                [
                    "gonet", "match", "a.safetensors:mcts:400", "gnugo --mode gtp --level 10", "-o", "m", "--sprt",
                    "0,35",
                ],
                freePort: { 9 }),
            [
                "gonet", "match", "a.safetensors:mcts:4", "gnugo --mode gtp --level 1", "-o", "m", "--sprt", "0,35",
                "--games", "1",
            ])
        XCTAssertEqual(
            DocsSandbox.scaled(["gonet", "serve", "course", "--play", "2"], freePort: { 9 }),
            ["gonet", "serve", "course", "--play", "2", "--port", "9"])
    }
}
