import GoRecords
import GoRules
import XCTest

final class SGFParseTests: XCTestCase {
    func testFullGameProperties() throws {
        let text = """
            (;GM[1]FF[4]CA[UTF-8]SZ[19]KM[6.5]HA[0]RU[Korean]PC[Tygem]DT[2010-09-01]
            PB[sedrain]BR[9d]PW[WuYu(P)]WR[9d]RE[B+R]C[a comment with \\] and \\\\ inside]
            ;B[pd];W[dd]
            ;B[];W[tt];B[qp])
            """
        let games = try SGFReader.records(text: text)
        XCTAssertEqual(games.count, 1)
        let g = games[0]
        XCTAssertEqual(g.size, 19)
        XCTAssertEqual(g.komi, 6.5)
        XCTAssertEqual(g.rules, "Korean")
        XCTAssertEqual(g.date, "2010-09-01")
        XCTAssertEqual(g.blackPlayer, "sedrain")
        XCTAssertEqual(g.whitePlayer, "WuYu(P)")
        XCTAssertEqual(g.result, .win(.black, .resignation))
        XCTAssertEqual(
            g.moves,
            [
                PlayedMove(.black, .play(Point(x: 15, y: 3))), PlayedMove(.white, .play(Point(x: 3, y: 3))),
                PlayedMove(.black, .pass), PlayedMove(.white, .pass), PlayedMove(.black, .play(Point(x: 16, y: 15))),
            ])
        XCTAssertEqual(g.extraProperties.map(\.id), ["PC", "BR", "WR", "C"])
        XCTAssertEqual(g.extraProperties[3].values, ["a comment with ] and \\ inside"])
    }

    func testOldFilesLongLowercaseNamesAndWhitespace() throws {
        let text =
            "  junk before ( ;\n GaMe[1] FileFormat[3]\tSiZe[9] KoMi [5.5]\r\n AddBlack[cc][gg]\n AddWhite[ee] ;\n White [ce] ; Black[ \\\ngc ] )"
        let g = try SGFReader.records(text: text)[0]
        XCTAssertEqual(g.size, 9)
        XCTAssertEqual(g.komi, 5.5)
        XCTAssertEqual(
            Set(g.setup),
            [
                PlayedMove(.black, .play(Point(x: 2, y: 2))), PlayedMove(.black, .play(Point(x: 6, y: 6))),
                PlayedMove(.white, .play(Point(x: 4, y: 4))),
            ])
        XCTAssertEqual(
            g.moves, [PlayedMove(.white, .play(Point(x: 2, y: 4))), PlayedMove(.black, .play(Point(x: 6, y: 2)))])
    }

    func testCompressedPointListsAndHandicap() throws {
        let g = try SGFReader.records(text: "(;SZ[9]HA[4]AB[cc:dd]AW[gg];W[ee])")[0]
        XCTAssertEqual(g.handicap, 4)
        XCTAssertEqual(g.setup.filter { $0.color == .black }.count, 4)
        XCTAssertEqual(g.startingGame().toMove, .white)
    }

    func testCollectionAndMainLine() throws {
        let text = """
            (;SZ[9];B[ee](;W[cc];B[gg](;W[gc])(;W[cg]))(;W[gg]))
            (;SZ[13]RE[W+3.5];B[gg])
            (;SZ[19]RE[Jigo])
            """
        let games = try SGFReader.records(text: text)
        XCTAssertEqual(games.count, 3)
        XCTAssertEqual(games[0].moves.map { Coordinates.sgf($0.move) }, ["ee", "cc", "gg", "gc"])
        XCTAssertEqual(games[1].size, 13)
        XCTAssertEqual(games[1].result, .win(.white, .score(3.5)))
        XCTAssertEqual(games[2].result, .draw)
        XCTAssertEqual(games[2].moves, [])
    }

    func testResults() {
        XCTAssertEqual(GameResult(sgf: "B+R"), .win(.black, .resignation))
        XCTAssertEqual(GameResult(sgf: "W+Resign"), .win(.white, .resignation))
        XCTAssertEqual(GameResult(sgf: "B+T"), .win(.black, .time))
        XCTAssertEqual(GameResult(sgf: "W+Time"), .win(.white, .time))
        XCTAssertEqual(GameResult(sgf: "W+F"), .win(.white, .forfeit))
        XCTAssertEqual(GameResult(sgf: "B+12"), .win(.black, .score(12)))
        XCTAssertEqual(GameResult(sgf: "w+0.5"), .win(.white, .score(0.5)))
        XCTAssertEqual(GameResult(sgf: "B+"), .win(.black, .unspecified))
        XCTAssertEqual(GameResult(sgf: "0"), .draw)
        XCTAssertEqual(GameResult(sgf: "Draw"), .draw)
        XCTAssertEqual(GameResult(sgf: "Void"), .void)
        XCTAssertEqual(GameResult(sgf: "?"), .unknown)
        XCTAssertEqual(GameResult(sgf: "B+lots"), .unknown)
        XCTAssertEqual(GameResult(sgf: "X+1"), .unknown)
        XCTAssertEqual(GameResult.win(.white, .score(7.5)).description, "W+7.5")
        XCTAssertEqual(GameResult.win(.black, .score(3)).description, "B+3")
    }

    func testStreamsLargerThanOneChunkAndSplitAcrossChunks() throws {
        let one = "(;SZ[19]KM[6.5]PB[a]PW[b]RE[W+R];B[pd];W[dd];B[pq];W[dp])\n"
        let text = String(repeating: one, count: 20_000)
        let reader = SGFReader(text: text)
        var n = 0
        while let e = try reader.nextEntry() {
            XCTAssertEqual(try e.record.get().moves.count, 4)
            XCTAssertEqual(e.line, n + 1)
            n += 1
        }
        XCTAssertEqual(n, 20_000)
    }
}
