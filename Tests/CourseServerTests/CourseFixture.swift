import CourseServer
import Foundation
import GoNetwork
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Tournament
import XCTest

/// A course tournament in a temporary directory: a budget that a tiny network fits, the students
/// ann and bob, the teacher boss, and networks to hand in.
final class CourseFixture: Sendable {
    let dir: String
    let tournament: Tournament
    let tokens: [String: String]
    /// A tiny network that fits the budget.
    let small: [UInt8]
    /// A second one (another seed): a new version when handed in after `small`.
    let small2: [UInt8]
    /// One over the budget.
    let large: [UInt8]

    static func tiny(blocks: Int, filters: Int, seed: UInt64) throws -> [UInt8] {
        let net = FamilyNetwork(
            Architecture.Family(
                trunk: .resnet, blocks: blocks, filters: filters, policyHead: .conv, policyFilters: 2, valueHead: .pool,
                valueFilters: 2, valueHidden: 4))
        net.initialize(seed: seed)
        let path = NSTemporaryDirectory() + "gonet-course-net-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try net.save(path: path)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    init() throws {
        dir = NSTemporaryDirectory() + "gonet-course-\(UUID().uuidString)"
        small = try Self.tiny(blocks: 1, filters: 8, seed: 1)
        small2 = try Self.tiny(blocks: 1, filters: 8, seed: 2)
        large = try Self.tiny(blocks: 2, filters: 16, seed: 3)
        var config = TournamentConfig()
        config.parameterBudget = 5_000
        config.gamesPerPairing = 2
        tournament = try Tournament.create(dir, config: config)
        var tokens: [String: String] = [:]
        for (name, role) in [("ann", Student.Role.student), ("bob", .student), ("boss", .teacher)] {
            tokens[name] = try Roster.add(name, role: role, to: tournament.store, cost: 4).token
        }
        self.tokens = tokens
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// A server on this tournament; `gonet` adds the check that plays a move over GTP.
    func server(gonet: Bool = false, change: (inout ServerSettings) -> Void = { _ in }) throws -> CourseServer {
        var s = ServerSettings()
        s.gonet = gonet ? TestPaths.gonet.path : nil
        s.uploadLimit = 200_000
        s.uploadBurst = 100
        s.uploadEvery = 0.1
        change(&s)
        return try CourseServer(tournament: tournament, settings: s)
    }

    /// A multipart/form-data body with boundary `BOUNDARY`.
    static func multipart(_ parts: [(name: String, file: String?, bytes: [UInt8])]) -> ByteBuffer {
        var out: [UInt8] = []
        for p in parts {
            var head = "--BOUNDARY\r\nContent-Disposition: form-data; name=\"\(p.name)\""
            if let f = p.file { head += "; filename=\"\(f)\"\r\nContent-Type: application/octet-stream" }
            head += "\r\n\r\n"
            out += Array(head.utf8) + p.bytes + Array("\r\n".utf8)
        }
        out += Array("--BOUNDARY--\r\n".utf8)
        return ByteBuffer(bytes: out)
    }

    static let multipartType = "multipart/form-data; boundary=BOUNDARY"

    /// `POST /api/submissions` of `bytes` as `file` with `token`; the status and the JSON answer.
    static func upload(
        _ client: some TestClientProtocol, _ bytes: [UInt8], file: String = "net.safetensors", token: String?
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.contentType: multipartType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(
            uri: "/api/submissions", method: .post, headers: headers,
            body: multipart([(name: "network", file: file, bytes: bytes)])
        ) { r in
            (r.status, (try? JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]) ?? [:])
        }
    }

    /// Signs in through the form; the login cookie (`gonet_login=…`).
    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> String {
        try await client.execute(
            uri: "/signin", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=\(token)")
        ) { r in
            XCTAssertEqual(r.status, .found)
            let cookie = r.headers[.setCookie] ?? ""
            XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
            return String(cookie.split(separator: ";")[0])
        }
    }

    /// A GET's status and body text.
    static func get(_ client: some TestClientProtocol, _ uri: String, cookie: String? = nil, token: String? = nil)
        async throws -> (HTTPResponse.Status, String)
    {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers) { r in
            (r.status, String(buffer: r.body))
        }
    }

    /// The form token on a page (the hidden `csrf` field).
    static func csrf(in page: String) -> String? {
        guard let r = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }
}
