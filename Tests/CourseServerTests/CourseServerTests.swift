import CourseServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NeuralNet
import TestSupport
import Tournament
import XCTest

/// The course server in process (Hummingbird's test client): signing in, uploads accepted and
/// refused for each check, tokens, pages of one's own and of others, the API's JSON, the teacher.
final class CourseServerTests: XCTestCase {
    typealias F = CourseFixture

    func testUploadsAcceptedBecomeVersionsAndRefusedOnesChangeNothing() async throws {
        let f = try F()
        let app = try f.server().application()
        try await app.test(.router) { client in
            var (status, json) = try await F.upload(client, f.small, file: "first.safetensors", token: f.tokens["ann"])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["accepted"] as? Bool, true)
            XCTAssertEqual(json["entrant"] as? NSDictionary, ["name": "ann", "version": 1] as NSDictionary)
            XCTAssertEqual(
                (json["checks"] as? [[String: Any]])?.map { $0["outcome"] as? String }, ["passed", "passed", "passed"])
            (status, json) = try await F.upload(client, f.small2, token: f.tokens["ann"])
            XCTAssertEqual(json["entrant"] as? NSDictionary, ["name": "ann", "version": 2] as NSDictionary)

            // Each check refuses in plain words, and the tournament keeps its two versions.
            (status, json) = try await F.upload(client, f.large, file: "big.safetensors", token: f.tokens["ann"])
            XCTAssertEqual(status, .unprocessableContent)
            XCTAssertEqual(json["accepted"] as? Bool, false)
            let budgetReason = (json["reasons"] as? [String])?.first ?? ""
            XCTAssertTrue(budgetReason.hasPrefix("parameter budget: "), budgetReason)
            XCTAssertTrue(budgetReason.hasSuffix("parameters exceed the budget of 5,000"), budgetReason)

            (status, json) = try await F.upload(client, Array("hello".utf8), file: "notes.txt", token: f.tokens["ann"])
            XCTAssertEqual(status, .unprocessableContent)
            let reason = (json["reasons"] as? [String])?.first ?? ""
            XCTAssertTrue(reason.hasPrefix("network file: neither a gonet network file nor an ONNX model"), reason)
            XCTAssertFalse(reason.contains(f.dir), "a verdict never shows where the server keeps files: \(reason)")
            XCTAssertTrue(reason.contains("notes.txt"), reason)

            (status, json) = try await F.upload(
                client, Array(f.small.prefix(f.small.count / 2)), token: f.tokens["ann"])
            XCTAssertEqual(status, .unprocessableContent, "a truncated file")

            // A zip archive (a zip bomb is never unpacked: gonet reads no archive from uploads).
            let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0] + [UInt8](repeating: 0, count: 200)
            (status, json) = try await F.upload(client, zip, file: "net.zip", token: f.tokens["ann"])
            XCTAssertEqual(status, .unprocessableContent, "a zip archive")

            var nan = try SafeTensors.parse(f.small, path: "x")
            var w = nan.tensor("stem.conv.weight")!
            w.data[3] = .nan
            nan.set("stem.conv.weight", w)
            (status, json) = try await F.upload(
                client, nan.serialized(), file: "nan.safetensors", token: f.tokens["ann"])
            XCTAssertEqual(
                (json["reasons"] as? [String])?.first,
                "network file: tensor stem.conv.weight has a non-finite value (nan) at index 3")
        }
        XCTAssertEqual(try f.tournament.store.entrants().map(\.label), ["ann", "ann v2"])
        let subs = try f.tournament.store.submissions()
        XCTAssertEqual(subs.map(\.accepted), [true, true, false, false, false, false, false])
        XCTAssertEqual(subs.map(\.fileName).prefix(3), ["first.safetensors", "net.safetensors", "big.safetensors"])
        // Uploads are kept by sha256, never under the client's name.
        let kept = try FileManager.default.contentsOfDirectory(atPath: f.dir + "/uploads")
        XCTAssertTrue(kept.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }, "\(kept)")
        XCTAssertTrue(kept.contains(SHA256.hex(f.small)))
    }

    /// An ONNX model from PyTorch is imported as `net import` does and entered under the student's name.
    func testAnONNXModelIsImportedAndEntered() async throws {
        let f = try F()
        let model = [UInt8](
            try Data(
                contentsOf: TestPaths.packageRoot.appendingPathComponent("Tests/ONNXTests/Fixtures/torch-mobile.onnx")))
        let app = try f.server().application()
        try await app.test(.router) { client in
            let (status, json) = try await F.upload(client, model, file: "model.onnx", token: f.tokens["bob"])
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(json["entrant"] as? NSDictionary, ["name": "bob", "version": 1] as NSDictionary)
            XCTAssertTrue((json["text"] as? String ?? "").hasPrefix("model.onnx\n  mobile 2x8 expansion 24"))
        }
        let e = try XCTUnwrap(try f.tournament.store.entrants().first)
        XCTAssertEqual(e.parameters, 1_963)
        // The entrant plays the imported network; the upload itself is kept by its own sha256.
        XCTAssertNotEqual(e.sha256, SHA256.hex(model))
        XCTAssertEqual(try f.tournament.store.submissions().first?.sha256, SHA256.hex(model))
    }

    func testTheGTPCheckRunsWhenTheServerKnowsGonet() async throws {
        let f = try F()
        let app = try f.server(gonet: true).application()
        try await app.test(.router) { client in
            let (status, json) = try await F.upload(client, f.small, token: f.tokens["bob"])
            XCTAssertEqual(status, .ok)
            let checks = (json["checks"] as? [[String: Any]]) ?? []
            XCTAssertEqual(checks.last?["name"] as? String, "legal moves over GTP")
            XCTAssertEqual(checks.last?["detail"] as? String, "genmove answered legally")
        }
    }

    func testTokensAreCheckedAndRevocationTakesEffect() async throws {
        let f = try F()
        let app = try f.server().application()
        try await app.test(.router) { client in
            var (status, json) = try await F.upload(client, f.small, token: nil)
            XCTAssertEqual(status, .unauthorized)
            XCTAssertEqual(json["error"] as? String, "sign in: Authorization: Bearer TOKEN")
            (status, json) = try await F.upload(
                client, f.small, token: "gonet_aaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            XCTAssertEqual(status, .unauthorized)
            XCTAssertEqual(json["error"] as? String, "that token signs nobody in (mistyped, or revoked)")
            (status, _) = try await F.upload(client, f.small, token: "not even a token")
            XCTAssertEqual(status, .unauthorized)
            (status, _) = try await F.upload(client, f.small, token: f.tokens["bob"])
            XCTAssertEqual(status, .ok)
            try f.tournament.store.revokeStudent(named: "bob")
            (status, json) = try await F.upload(client, f.small2, token: f.tokens["bob"])
            XCTAssertEqual(status, .unauthorized, "a revoked token, even one checked a moment ago")
            // A student's token changes nothing that is the teacher's.
            let r = try await client.execute(
                uri: "/api/teacher/settings", method: .post, headers: [.authorization: "Bearer \(f.tokens["ann"]!)"],
                body: ByteBuffer(string: "{\"paused\": true}")
            ) { $0.status }
            XCTAssertEqual(r, .forbidden)
        }
        XCTAssertFalse(try f.tournament.store.courseSettings().paused)
    }

    func testSignInShowsOnlyYourOwnPageAndFormsNeedTheirToken() async throws {
        let f = try F()
        let app = try f.server().application()
        try await app.test(.router) { client in
            let wrong = try await client.execute(
                uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=nonsense%zz")
            ) { ($0.status, String(buffer: $0.body)) }
            XCTAssertEqual(wrong.0, .unauthorized)
            XCTAssertTrue(wrong.1.contains("that token signs nobody in"))

            let cookie = try await F.signIn(client, token: f.tokens["ann"]!)
            var (status, page) = try await F.get(client, "/students/ann", cookie: cookie)
            XCTAssertEqual(status, .ok)
            XCTAssertTrue(page.contains("Hand in a network"))
            let csrf = try XCTUnwrap(F.csrf(in: page))
            (status, page) = try await F.get(client, "/students/bob", cookie: cookie)
            XCTAssertEqual(status, .forbidden)
            XCTAssertTrue(page.contains("you are signed in as ann: only bob sees this page"))
            (status, _) = try await F.get(client, "/students/ann")
            XCTAssertEqual(status, .found, "not signed in: to the sign-in page")

            // The form upload without its token is refused; with it, the verdict shows on the page.
            let post = { (fields: [(name: String, file: String?, bytes: [UInt8])]) in
                try await client.execute(
                    uri: "/submit", method: .post, headers: [.contentType: F.multipartType, .cookie: cookie],
                    body: F.multipart(fields)
                ) { ($0.status, String(buffer: $0.body)) }
            }
            var answer = try await post([("csrf", nil, Array("forged".utf8)), ("network", "a.safetensors", f.small)])
            XCTAssertEqual(answer.0, .forbidden)
            XCTAssertTrue(answer.1.contains("the form is out of date"))
            XCTAssertTrue(try f.tournament.store.entrants().isEmpty)
            answer = try await post([("csrf", nil, Array(csrf.utf8)), ("network", "a.safetensors", f.small)])
            XCTAssertEqual(answer.0, .ok)
            XCTAssertTrue(answer.1.contains("accepted: a tournament with this budget takes this file"))
            XCTAssertEqual(try f.tournament.store.entrants().map(\.label), ["ann"])
        }
    }

    func testTheDeadlineAndClosedSubmissionsRefuseUploads() async throws {
        let f = try F()
        let app = try f.server().application()
        try await app.test(.router) { client in
            let boss = f.tokens["boss"]!
            let set = { (body: String) in
                try await client.execute(
                    uri: "/api/teacher/settings", method: .post, headers: [.authorization: "Bearer \(boss)"],
                    body: ByteBuffer(string: body)
                ) { ($0.status, String(buffer: $0.body)) }
            }
            var r = try await set("{\"deadline\": \"2020-01-01T00:00:00Z\"}")
            XCTAssertEqual(r.0, .ok, r.1)
            XCTAssertTrue(r.1.contains("\"submissionsOpen\":false"), r.1)
            var (status, json) = try await F.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual(status, .unprocessableContent)
            XCTAssertEqual(
                (json["reasons"] as? [String])?.first,
                "network file: submissions closed at the deadline, 2020-01-01T00:00:00Z")
            r = try await set("{\"deadline\": null, \"submissionsOpen\": false}")
            (status, json) = try await F.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual((json["reasons"] as? [String])?.first, "network file: submissions are closed")
            r = try await set("{\"submissionsOpen\": true, \"paused\": true}")
            (status, json) = try await F.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual(status, .ok)
            r = try await set("{\"paused\": \"yes\"}")
            XCTAssertEqual(r.0, .badRequest)
            XCTAssertEqual(r.1, "{\"error\":\"paused must be true or false\"}")
            r = try await set("{\"colour\": 1}")
            XCTAssertTrue(r.1.contains("unknown setting \\\"colour\\\""), r.1)
            r = try await set("[1, 2")
            XCTAssertEqual(r.1, "{\"error\":\"the body must be a JSON object\"}")
        }
        let settings = try f.tournament.store.courseSettings()
        XCTAssertTrue(settings.paused && settings.submissionsOpen && settings.deadline == nil)
        XCTAssertEqual(try f.tournament.store.entrants().count, 1)
    }

    func testTheAPIAnswersStandingsEntrantsGamesAndStatus() async throws {
        let f = try F()
        let server = try f.server()
        let app = try server.application()
        try await app.test(.router) { client in
            _ = try await F.upload(client, f.small, token: f.tokens["ann"])
            _ = try await F.upload(client, f.small2, token: f.tokens["bob"])
        }
        // Two games, as a worker would commit them: ann wins both.
        let store = f.tournament.store
        for _ in 0..<2 {
            let c = try XCTUnwrap(try store.claim(by: WorkerIdentity(name: "w"), lease: 60, skipping: []))
            let annIsBlack = try store.entrants().first { $0.id == c.slot.black }?.name == "ann"
            let row = GameRow(
                slot: c.slot.key, black: c.slot.black, white: c.slot.white, result: annIsBlack ? "B+R" : "W+R",
                winner: annIsBlack ? "B" : "W", reason: "resignation", moves: 80, sgf: "x.sgf", seconds: 3)
            XCTAssertTrue(try store.commit(row, record: "(;GM[1]SZ[19];B[dd];W[pp])", for: c))
        }
        let app2 = try f.server().application()
        try await app2.test(.router) { client in
            var (status, body) = try await F.get(client, "/api/standings")
            XCTAssertEqual(status, .ok)
            let standings = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            XCTAssertEqual(standings["games"] as? Int, 2)
            let rows = try XCTUnwrap(standings["standings"] as? [[String: Any]])
            XCTAssertEqual(rows.map { $0["entrant"] as? String }, ["ann", "bob"])
            XCTAssertEqual(rows.map { $0["score"] as? Double }, [2, 0])
            XCTAssertEqual((standings["crosstable"] as? [String: [[Double]]])?["points"], [[0, 2], [0, 0]])

            (_, body) = try await F.get(client, "/api/entrants")
            let entrants = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
            XCTAssertEqual(entrants.map { $0["label"] as? String }, ["ann", "bob"])
            XCTAssertEqual(entrants.first?["sha256"] as? String, SHA256.hex(f.small))
            XCTAssertEqual(
                entrants.first?["architecture"] as? String,
                "resnet 1x8, conv policy head (2 filters), pool value head (2 filters, 4 hidden)")
            XCTAssertEqual(entrants.first?["current"] as? Bool, true)

            (_, body) = try await F.get(client, "/api/games")
            let games = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]])
            XCTAssertEqual(games.count, 2)
            XCTAssertEqual(games.first?["sgf"] as? String, "/games/1/sgf")
            XCTAssertEqual(games.first?["reason"] as? String, "resignation")

            (_, body) = try await F.get(client, "/api/status")
            let status2 = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            XCTAssertEqual(status2["done"] as? Int, 2)
            XCTAssertEqual(status2["waiting"] as? Int, 0)
            XCTAssertEqual(status2["paused"] as? Bool, false)

            (status, body) = try await F.get(client, "/games/1/sgf")
            XCTAssertEqual(body, "(;GM[1]SZ[19];B[dd];W[pp])")
            (status, body) = try await F.get(client, "/games/1")
            XCTAssertTrue(body.contains("<canvas id=\"board\""))
            (status, body) = try await F.get(client, "/games/99")
            XCTAssertEqual(status, .notFound)
            (status, body) = try await F.get(client, "/entrants/ann")
            XCTAssertTrue(body.contains(SHA256.hex(f.small)) && body.contains("plays now"))
            (status, body) = try await F.get(client, "/")
            XCTAssertTrue(body.contains("<table id=\"standings\">") && body.contains("2 games played"))

            (status, body) = try await F.get(client, "/api/me", token: f.tokens["ann"])
            XCTAssertTrue(body.contains("\"name\":\"ann\"") && body.contains("\"accepted\":true"), body)
        }
    }

    func testTheTeacherWithdrawsPausesHidesAndDownloads() async throws {
        let f = try F()
        let app = try f.server().application()
        try await app.test(.router) { client in
            _ = try await F.upload(client, f.small, token: f.tokens["ann"])
            _ = try await F.upload(client, f.small2, token: f.tokens["ann"])
            _ = try await F.upload(client, f.small, token: f.tokens["bob"])
            let boss = f.tokens["boss"]!
            let post = { (uri: String, body: String) in
                try await client.execute(
                    uri: uri, method: .post, headers: [.authorization: "Bearer \(boss)"], body: ByteBuffer(string: body)
                ) { ($0.status, String(buffer: $0.body)) }
            }
            let v2 = try XCTUnwrap(try f.tournament.store.entrants().first { $0.label == "ann v2" }?.id)
            var r = try await post("/api/teacher/withdraw", "{\"entrant\": \(v2)}")
            XCTAssertEqual(r.0, .ok, r.1)
            XCTAssertEqual(try f.tournament.store.current().map(\.label).sorted(), ["ann", "bob"])
            r = try await post("/api/teacher/withdraw", "{\"entrant\": 999}")
            XCTAssertEqual(r.0, .notFound)
            XCTAssertEqual(r.1, "{\"error\":\"no entrant has the id 999\"}")

            r = try await post("/api/teacher/settings", "{\"publicPages\": false}")
            var (status, _) = try await F.get(client, "/api/standings")
            XCTAssertEqual(status, .unauthorized)
            (status, _) = try await F.get(client, "/")
            XCTAssertEqual(status, .found)
            (status, _) = try await F.get(client, "/api/standings", token: f.tokens["bob"])
            XCTAssertEqual(status, .ok)

            let cookie = try await F.signIn(client, token: boss)
            let (_, page) = try await F.get(client, "/teacher", cookie: cookie)
            XCTAssertTrue(page.contains("withdrawn") && page.contains("Students"))
            let tar = try await client.execute(
                uri: "/teacher/download/submissions.json", method: .get, headers: [.cookie: cookie]
            ) { ($0.status, String(buffer: $0.body)) }
            XCTAssertEqual(tar.0, .ok)
            XCTAssertTrue(tar.1.contains("\"student\" : \"bob\""))
            let sqlite = try await client.execute(
                uri: "/teacher/download/tournament.sqlite", method: .get, headers: [.authorization: "Bearer \(boss)"]
            ) { ($0.status, Array(($0.body).readableBytesView.prefix(16))) }
            XCTAssertEqual(sqlite.0, .ok)
            XCTAssertEqual(sqlite.1, Array("SQLite format 3\0".utf8))
            (status, _) = try await F.get(client, "/teacher/download/games.tar", token: f.tokens["ann"])
            XCTAssertEqual(status, .forbidden)
        }
    }

    func testHostileBodiesAreRefusedWithTheirReason() async throws {
        let f = try F()
        let app = try f.server { $0.uploadLimit = 10_000 }.application()
        try await app.test(.router) { client in
            let token = "Bearer \(f.tokens["ann"]!)"
            let send = { (type: String, body: [UInt8]) in
                try await client.execute(
                    uri: "/api/submissions", method: .post, headers: [.authorization: token, .contentType: type],
                    body: ByteBuffer(bytes: body)
                ) { ($0.status, String(buffer: $0.body)) }
            }
            var r = try await send(
                F.multipartType,
                Array(String(buffer: F.multipart([("network", "x", [UInt8](repeating: 1, count: 20_000))])).utf8))
            XCTAssertEqual(r.0, .contentTooLarge)
            XCTAssertEqual(r.1, "{\"error\":\"the upload exceeds the limit of 10000 bytes\"}")
            let hugeHeader =
                "--BOUNDARY\r\nContent-Disposition: form-data; name=\"network\"; filename=\""
                + String(repeating: "a", count: 20_000)
            r = try await send(F.multipartType, Array(hugeHeader.utf8))
            XCTAssertEqual(r.0, .badRequest)
            XCTAssertEqual(r.1, "{\"error\":\"the upload is not a multipart form: a part's headers exceed 16 KB\"}")
            r = try await send("application/octet-stream", f.small)
            XCTAssertEqual(r.0, .badRequest)
            XCTAssertTrue(r.1.contains("not multipart/form-data with a boundary"), r.1)
            r = try await send(
                F.multipartType, Array("--BOUNDARY\r\nContent-Disposition: form-data; name=\"network\"\r\n\r\nabc".utf8)
            )
            XCTAssertEqual(
                r.1, "{\"error\":\"the upload is not a multipart form: the body ended before its closing boundary\"}")
            r = try await send(F.multipartType, Array(String(buffer: F.multipart([("other", nil, [1, 2])])).utf8))
            XCTAssertEqual(r.1, "{\"error\":\"no file in a field named network (curl -F network=@FILE)\"}")
        }
        XCTAssertTrue(try f.tournament.store.entrants().isEmpty)
        XCTAssertTrue(try f.tournament.store.submissions().isEmpty)
        // No temporary file is left behind.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: f.dir + "/uploads")) ?? []
        XCTAssertEqual(left, [])
    }

    func testSignInAndUploadsAreRateLimited() async throws {
        let f = try F()
        let app = try f.server {
            $0.signInBurst = 2
            $0.signInEvery = 600
            $0.uploadBurst = 1
            $0.uploadEvery = 600
        }.application()
        try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                statuses.append(
                    try await client.execute(
                        uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: "token=wrong")
                    ) { $0.status })
            }
            XCTAssertEqual(statuses, [.unauthorized, .unauthorized, .tooManyRequests])
        }
        let app2 = try f.server {
            $0.uploadBurst = 1
            $0.uploadEvery = 600
        }.application()
        try await app2.test(.router) { client in
            var (status, _) = try await F.upload(client, f.small, token: f.tokens["ann"])
            XCTAssertEqual(status, .ok)
            var json: [String: Any]
            (status, json) = try await F.upload(client, f.small2, token: f.tokens["ann"])
            XCTAssertEqual(status, .tooManyRequests)
            XCTAssertTrue((json["error"] as? String ?? "").hasPrefix("too many uploads: try again in "))
            (status, _) = try await F.upload(client, f.small2, token: f.tokens["bob"])
            XCTAssertEqual(status, .ok, "another student has their own allowance")
        }
    }
}
