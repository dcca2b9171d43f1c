import Foundation
import Tournament
import XCTest

final class StatusReportTests: XCTestCase {
    func testStatusShowsGamesWorkersAndAnETAFromRecentWorkers() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let s = StoreStatus(
            done: 12,
            inFlight: [
                .init(
                    slot: "1-2-3", worker: "lab-7", claimed: now.addingTimeInterval(-90),
                    expires: now.addingTimeInterval(45))
            ],
            waiting: 5,
            workers: [
                .init(
                    name: "lab-7", host: "lab7", firstSeen: now.addingTimeInterval(-3600), lastSeen: now, games: 10),
                .init(
                    name: "old", host: "lab9", firstSeen: now.addingTimeInterval(-90_000),
                    lastSeen: now.addingTimeInterval(-86_400), games: 2),
            ],
            givenBack: [.init(slot: "2-4-0", reason: "lab-9: gnugo (gnugo-10) is not installed on lab9")])
        XCTAssertEqual(
            StatusReport.text(s, now: now),
            """
            12 games done, 1 in flight, 5 waiting
              playing 1-2-3 at lab-7 for 90 s, lease ends in 45 s
              given back 2-4-0: lab-9: gnugo (gnugo-10) is not installed on lab9
            workers:
              lab-7 on lab7: 10 games, 10.0 games/hour, last heard 0 s ago
              old on lab9: 2 games, 2.0 games/hour, last heard 24 h 0 min ago
            ETA: 36 min at 10.0 games/hour
            """)
        let idle = StoreStatus(done: 3, inFlight: [], waiting: 2, workers: [], givenBack: [])
        XCTAssertEqual(
            StatusReport.text(idle, now: now),
            "3 games done, 0 in flight, 2 waiting\nETA: unknown (no worker has finished a game in the last 5 minutes)")
    }
}
