import Foundation
import GoRecords
import GoRules
import XCTest

/// Records are read under their own rules: a Korean or Japanese game may repeat a position, one
/// under Chinese rules (or none named) may not. The record is a real Tygem game (9-dan amateurs,
/// Korean rules) whose move 120 repeats an earlier whole-board position.
final class RecordRulesTests: XCTestCase {
    static let record = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Records/korean-repetition.sgf")

    func testRulesNamesGiveTheirKoRule() {
        for ru in ["Japanese", "japanese", "JP", "Korean", "korean", "KR"] {
            XCTAssertEqual(RecordRules(ru: ru), RecordRules(koRule: .simple, assumed: false), ru)
        }
        for ru in [
            "Chinese", "CN", "AGA", "NZ", "New Zealand", "Tromp-Taylor", "Ing", "Area scoring, dead stones removed",
        ] {
            XCTAssertEqual(RecordRules(ru: ru), RecordRules(koRule: .positionalSuperko, assumed: false), ru)
        }
        for ru in ["", "Fox", "?"] {
            XCTAssertEqual(RecordRules(ru: ru), RecordRules(koRule: .positionalSuperko, assumed: true), ru)
        }
        XCTAssertEqual(RecordRules(ru: "").description, "positional superko assumed")
    }

    func testAKoreanGameMayRepeatAPositionAndAChineseOneMayNot() throws {
        let korean = try String(contentsOf: Self.record, encoding: .utf8)
        let records = try SGFReader.records(text: korean, name: "korean.sgf")
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records[0].moves.count, 138)
        XCTAssertEqual(records[0].recordRules.koRule, .simple)
        // Replayed under gonet's own rule, move 120 is the repetition.
        XCTAssertThrowsError(try records[0].replay(koRule: .positionalSuperko)) { e in
            XCTAssertEqual("\(e)", "illegal move W B19 at move 120: repeats an earlier position (superko)")
        }
        for ru in ["RU[Chinese]", ""] {
            let other = korean.replacingOccurrences(of: "RU[Korean]", with: ru)
            XCTAssertThrowsError(try SGFReader.records(text: other, name: "other.sgf"), ru) { e in
                XCTAssertTrue(
                    "\(e)".hasSuffix("illegal move W B19 at move 120: repeats an earlier position (superko)"), "\(e)")
            }
        }
        // The archive keeps it, and reads it back under the same rules.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonet-rules-\(UUID().uuidString).games.zst"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try GameArchiveWriter(path: path)
        try w.write(records[0])
        try w.finish()
        let back = Array(try GameArchiveReader(path: path))
        XCTAssertEqual(back.count, 1)
        XCTAssertEqual(back.first?.moves.count, 138)
        XCTAssertEqual(back.first?.rules, "Korean")
    }
}
