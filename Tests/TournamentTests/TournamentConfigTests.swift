import Foundation
import GoRecords
import GoRules
import Tournament
import XCTest

final class TournamentConfigTests: XCTestCase {
    func decode(_ json: String) -> Result<TournamentConfig, Error> {
        Result { try JSONDecoder().decode(TournamentConfig.self, from: Data(json.utf8)) }
    }

    func testScoringRulesAndRangesAreCheckedWithTheKeyNamed() throws {
        XCTAssertEqual(try decode(#"{"scoring": "area"}"#).get().scoring, .trompTaylor, "the old name still reads")
        XCTAssertEqual(try decode(#"{"scoring": "dead-removed"}"#).get().scoring, .deadRemoved)
        XCTAssertEqual(try decode(#"{"resignThreshold": 0.05}"#).get().resignThreshold, 0.05)
        for (json, message) in [(#"{"scoring": "japanese"}"#, "scoring must be tromp-taylor or dead-removed, not japanese"),
                                (#"{"komi": 1e20}"#, "komi must be a number from -361 to 361"),
                                (#"{"randomOpeningMoves": 400}"#, "randomOpeningMoves must be 0 to 75, not 400"),
                                (#"{"refereeEngine": []}"#, "refereeEngine must name a command"),
                                (#"{"resignThreshold": 1.5}"#, "resignThreshold must be in 0..<1, not 1.5")] {
            guard case .failure(let e) = decode(json) else { XCTFail(json); continue }
            XCTAssertTrue("\(e)".contains(message), "\(json): \(e)")
        }
    }

    func testAHugeMarginIsWrittenNotTrapped() {
        XCTAssertEqual(GameResult.win(.white, .score(1e20)).description, "W+1e+20")
        XCTAssertEqual(Score(black: 0, white: 0, komi: 1e300).description, "W+1e+300")
    }
}
