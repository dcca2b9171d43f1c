import Foundation
import NeuralNet
import XCTest

final class NetCommandTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-netcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testNewThenInfo() throws {
        let path = dir.appendingPathComponent("budget.safetensors").path
        let made = try runGonet([
            "net", "new", "--trunk", "mobile", "--blocks", "3", "--filters", "8", "--expansion", "24",
            "--policy-head", "conv", "--policy-filters", "4", "--value-head", "pool", "--value-filters", "6",
            "--value-hidden", "12", "--author", "me", "--seed", "5", "-o", path,
        ])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("2,791 parameters"), made.stdout)
        let info = try runGonet(["net", "info", path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(
            info.stdout.contains(
                "  architecture  mobile 3x8 expansion 24, conv policy head (4 filters), pool value head (6 filters, 12 hidden)\n"
            ), info.stdout)
        XCTAssertTrue(info.stdout.contains("  parameters    2,791\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  author        me\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  name          budget\n"), info.stdout)
        // The same seed gives the same file, bytes apart from the creation time.
        let again = dir.appendingPathComponent("again.safetensors").path
        _ = try runGonet([
            "net", "new", "--trunk", "mobile", "--blocks", "3", "--filters", "8", "--expansion", "24",
            "--policy-head", "conv", "--policy-filters", "4", "--value-head", "pool", "--value-filters", "6",
            "--value-hidden", "12", "--seed", "5", "-o", again,
        ])
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: path)).suffix(11_000),
            try Data(contentsOf: URL(fileURLWithPath: again)).suffix(11_000))
    }

    func testBadArchitectureFlags() throws {
        let r = try runGonet(["net", "new", "--trunk", "vit", "-o", dir.appendingPathComponent("x").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("--trunk must be resnet or mobile, not vit"), r.stderr)
        // One table of limits: what `net new` accepts, `load` accepts (issue #14: --filters 2000 once
        // passed the command line and wrote a file that load refused).
        for (flag, value, message) in [
            ("--filters", "2000", "--filters must be an integer in 1…1024, not 2000"),
            ("--blocks", "65", "--blocks must be an integer in 0…64, not 65"),
            ("--value-hidden", "9000", "--value-hidden must be an integer in 1…8192, not 9000"),
        ] {
            let path = dir.appendingPathComponent("big.safetensors").path
            let r = try runGonet(["net", "new", flag, value, "-o", path])
            XCTAssertNotEqual(r.status, 0, flag)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        }
        let largest = dir.appendingPathComponent("largest.safetensors").path
        XCTAssertEqual(
            try runGonet([
                "net", "new", "--blocks", "0", "--filters", "1024", "--policy-head", "conv", "--value-head", "pool",
                "--value-hidden", "8", "-o", largest,
            ]).status, 0)
        XCTAssertEqual(try runGonet(["net", "info", largest]).status, 0, "what net new writes, load reads")
    }

    func testForwardMatchesTheFixture() throws {
        let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        let net = shared.appendingPathComponent("resnet-1x4-h3.safetensors").path
        let input = shared.appendingPathComponent("resnet-1x4-h3-forward.safetensors").path
        guard FileManager.default.fileExists(atPath: net) else { throw XCTSkip("no fixtures at \(shared.path)") }
        let out = dir.appendingPathComponent("out.safetensors").path
        let r = try runGonet(["net", "forward", net, input, "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote \(out): policy [8, 362], value [8, 1]\n")
        let ours = try SafeTensors.read(path: out)
        let theirs = try SafeTensors.read(path: input)
        for name in ["policy", "value"] {
            let a = ours.tensor(name)!
            let b = theirs.tensor(name)!
            XCTAssertEqual(a.shape, b.shape)
            for (x, y) in zip(a.data, b.data) { XCTAssertEqual(x, y, accuracy: 1e-4 * max(abs(y), 1e-2), name) }
        }
    }

    func testBrokenFilesGiveClearErrors() throws {
        let bad = dir.appendingPathComponent("bad.safetensors")
        try Data([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).write(to: bad)
        let r = try runGonet(["net", "info", bad.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("gonet: \(bad.path): header length"), r.stderr)
        let f = try runGonet(["net", "forward", bad.path, bad.path, "-o", dir.appendingPathComponent("o").path])
        XCTAssertEqual(f.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }
}
