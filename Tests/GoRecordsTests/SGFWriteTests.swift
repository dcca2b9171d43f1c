import Foundation
import GoRecords
import GoRules
import XCTest

final class SGFWriteTests: XCTestCase {
    func testWritesFF4() throws {
        var r = GameRecord(size: 19, komi: 6.5)
        r.rules = "Chinese"
        r.blackPlayer = "Black]\\Player"
        r.whitePlayer = "W"
        r.result = .win(.white, .score(2.5))
        r.setup = [PlayedMove(.black, .play(Point(x: 3, y: 15)))]
        r.handicap = 1
        r.moves = [PlayedMove(.white, .play(Point(x: 15, y: 3))), PlayedMove(.black, .pass)]
        r.extraProperties = [SGFProperty("GN", ["game 1"])]
        XCTAssertEqual(
            SGFWriter.sgf(r),
            "(;GM[1]FF[4]CA[UTF-8]SZ[19]KM[6.5]HA[1]RU[Chinese]PB[Black\\]\\\\Player]PW[W]RE[W+2.5]GN[game 1]AB[dp];W[pd];B[])"
        )
        XCTAssertEqual(try SGFReader.records(text: SGFWriter.sgf(r)), [r])
    }

    func testRoundTripKeepsEverything() throws {
        let text =
            "(;GM[1]FF[4]SZ[13]KM[0.5]HA[2]RE[B+T]PB[x]PW[y]DT[2020-01-02]RU[Japanese]GN[g]TM[600]AB[dj][jd];W[gg];B[];W[tt])"
        let a = try SGFReader.records(text: text)[0]
        let b = try SGFReader.records(text: SGFWriter.sgf(a))[0]
        XCTAssertEqual(a, b)
        XCTAssertEqual(b.moves.count, 3)
        XCTAssertEqual(b.extraProperties.map(\.id), ["GN", "TM"])
    }
}
