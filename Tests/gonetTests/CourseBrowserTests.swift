import Foundation
import TestSupport
import XCTest

/// `gonet serve` as a student meets it: the teacher's commands set the tournament up, the server
/// plays its games, and a headless Chromium driven by Selenium (scripts/gui-venv) signs in,
/// uploads a network through the form, reads the verdict and watches the standings until the
/// network has played.
final class CourseBrowserTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-course-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A port nobody listens on.
    static func freePort() throws -> Int {
        guard let port = LocalPort.free() else { throw XCTSkip("no free port") }
        return port
    }

    func testAStudentUploadsInTheBrowserAndSeesTheirNetworkPlay() throws {
        let python = try guiPython()
        let t = dir.appendingPathComponent("course").path
        let house = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32.safetensors").path
        let student = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32-xl.safetensors").path
        var r = try runGonet([
            "tournament", "init", t, "--budget", "100000", "--games", "2", "--mode", "policy", "--move-cap", "60",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try runGonet(["tournament", "submit", t, house, "--name", "house"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try runGonet(["tournament", "students", "add", t, "ann"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let token = try XCTUnwrap(r.stdout.split(separator: "\n").last.map(String.init))
        XCTAssertTrue(token.hasPrefix("gonet_"), r.stdout)

        let port = try Self.freePort()
        let serve = Process()
        serve.executableURL = TestPaths.gonet
        serve.arguments = ["serve", t, "--port", String(port), "--play", "1"]
        let log = dir.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        serve.standardOutput = try FileHandle(forWritingTo: log)
        serve.standardError = serve.standardOutput
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }

        let script = TestPaths.packageRoot.appendingPathComponent("Tests/gonetTests/Clients/course_browser.py").path
        let shot =
            ProcessInfo.processInfo.environment["GONET_COURSE_SCREENSHOT"]
            ?? dir.appendingPathComponent("standings.png").path
        let (status, text) = try runTool(python, [script, "http://127.0.0.1:\(port)", token, student, "ann", shot])
        let serverLog = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(status, 0, text + "\nserver:\n" + serverLog)
        XCTAssertTrue(text.contains("signed in: ann"), text)
        XCTAssertTrue(text.contains("verdict: accepted: a tournament with this budget takes this file"), text)
        XCTAssertTrue(text.contains("standings: "), text)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG screenshot")
        XCTAssertTrue(serverLog.contains("ann handed in"), serverLog)
        // The upload became ann's entrant, beside the teacher's reference.
        r = try runGonet(["tournament", "entrants", t])
        XCTAssertTrue(r.stdout.contains("* ann ") && r.stdout.contains("* house "), r.stdout)
    }
}

/// `gonet serve --tls-cert --tls-key`: HTTPS with the given certificate (made here by openssl),
/// read by Python's ssl with that certificate as its only authority; plain HTTP is not served.
final class CourseHTTPSTests: XCTestCase {
    func testTheServerSpeaksHTTPSWithTheGivenCertificate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = runTool
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let made = try run(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj",
                "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        XCTAssertEqual(made.status, 0, made.output)
        let t = dir.appendingPathComponent("course").path
        XCTAssertEqual(try runGonet(["tournament", "init", t]).status, 0)
        let port = try CourseBrowserTests.freePort()
        let serve = Process()
        serve.executableURL = TestPaths.gonet
        serve.arguments = ["serve", t, "--port", String(port), "--tls-cert", cert, "--tls-key", key]
        serve.standardOutput = FileHandle.nullDevice
        try serve.run()
        defer {
            serve.terminate()
            serve.waitUntilExit()
        }
        let fetch = """
            import ssl, sys, time, urllib.request
            ctx = ssl.create_default_context(cafile=sys.argv[1])
            for _ in range(100):
                try:
                    body = urllib.request.urlopen("https://127.0.0.1:%s/api/status" % sys.argv[2], context=ctx, timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.2)
            print(body.decode())
            try:
                urllib.request.urlopen("http://127.0.0.1:%s/api/status" % sys.argv[2], timeout=5)
                print("plain http answered")
            except Exception:
                print("plain http refused")
            """
        let r = try run("python3", ["-c", fetch, cert, String(port)])
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("\"done\":0"), r.output)
        XCTAssertTrue(r.output.contains("plain http refused"), r.output)
    }
}
