import Foundation
import NeuralNet
import TestSupport
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

    func testShippedHeadsAreShownWithTheirNetworkAndRefusedByAnother() throws {
        let xl = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32-xl.safetensors").path
        let heads = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32-xl.heads.safetensors").path
        let info = try runGonet(["net", "info", xl, heads])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("  heads         score head (\(heads))\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  heads         score head of \(xl)\n"), info.stdout)
        // The same heads on another network: the digest names the mismatch, and nothing plays.
        let other = TestPaths.packageRoot.appendingPathComponent("Networks/budget-resnet5x32.safetensors").path
        let gtp = try runGonet(["gtp", "--network", other, "--heads", heads], input: "name\nquit\n")
        XCTAssertNotEqual(gtp.status, 0)
        XCTAssertTrue(gtp.stderr.contains("\(heads): the heads were trained for another network (digest "), gtp.stderr)
        XCTAssertEqual(gtp.stdout, "")
        let plain = try runGonet(["gtp", "--network", xl, "--heads", "none"], input: "name\nquit\n")
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stderr.contains("score head"), plain.stderr)
    }

    func testBadArchitectureFlags() throws {
        let r = try runGonet(["net", "new", "--trunk", "vit", "-o", dir.appendingPathComponent("x").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(
            r.stderr.contains(
                "The value 'vit' is invalid for '--trunk <trunk>'. Please provide one of 'resnet' and 'mobile'."),
            r.stderr)
        let four = try runGonet([
            "net", "new", "--trunk", "mobile", "--depthwise-kernel", "4", "-o", dir.appendingPathComponent("x").path,
        ])
        XCTAssertNotEqual(four.status, 0)
        XCTAssertTrue(
            four.stderr.contains(
                "The value '4' is invalid for '--depthwise-kernel <depthwise-kernel>'. Please provide one of '3', '5' or 'mixed'."
            ), four.stderr)
        // One table of limits: what `net new` accepts, `load` accepts (--filters 2000 once
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
        let shared = TestPaths.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
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

    /// `net check` runs the submission checks without a tournament: one line a check, the
    /// decision, and exit 0 only for a file a tournament with the budget would take.
    func testCheckGivesAVerdictAStudentCanPaste() throws {
        let path = dir.appendingPathComponent("student.safetensors").path
        let made = try runGonet([
            "net", "new", "--blocks", "1", "--filters", "8", "--policy-head", "conv", "--value-head", "pool",
            "--value-hidden", "8", "-o", path,
        ])
        XCTAssertEqual(made.status, 0, made.stderr)
        let ok = try runGonet(["net", "check", path, "--budget", "100000"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        let lines = ok.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, path)
        XCTAssertEqual(lines[1], "  resnet 1x8, conv policy head (2 filters), pool value head (1 filters, 8 hidden)")
        XCTAssertEqual(lines[2], "  ok   network file         gonet-network/1, features planes6-v1")
        XCTAssertTrue(lines[3].hasPrefix("  ok   parameter budget     "), lines[3])
        XCTAssertTrue(lines[3].hasSuffix(" parameters, budget 100,000"), lines[3])
        XCTAssertEqual(lines[4], "  ok   forward pass         finite policy and value on 3 positions")
        XCTAssertEqual(lines[5], "  ok   legal moves over GTP genmove answered legally")
        XCTAssertEqual(lines.last, "accepted: a tournament with this budget takes this file")

        let over = try runGonet(["net", "check", path, "--budget", "100"])
        XCTAssertEqual(over.status, 1)
        XCTAssertTrue(over.stdout.contains("  FAIL parameter budget     "), over.stdout)
        XCTAssertTrue(over.stdout.contains(" parameters exceed the budget of 100\n"), over.stdout)
        XCTAssertTrue(over.stdout.hasSuffix("refused\n"), over.stdout)

        // ONNX comes in as `net import` brings it.
        let onnx = dir.appendingPathComponent("student.onnx").path
        XCTAssertEqual(try runGonet(["net", "export", path, "-o", onnx]).status, 0)
        let imported = try runGonet(["net", "check", onnx])
        XCTAssertEqual(imported.status, 0, imported.stdout + imported.stderr)
        XCTAssertTrue(imported.stdout.hasPrefix(onnx + "\n"), imported.stdout)

        // A broken file: the loader's reason, and the checks that could not run.
        let bad = dir.appendingPathComponent("broken.safetensors").path
        try Data([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).write(to: URL(fileURLWithPath: bad))
        let broken = try runGonet(["net", "check", bad])
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.contains("  FAIL network file         header length"), broken.stdout)
        XCTAssertTrue(
            broken.stdout.contains("  -    forward pass         not checked: an earlier check failed"), broken.stdout)
    }

    /// A student's file enters a prepared tournament under its own name, with the same verdict
    /// printed when it is refused.
    func testSubmitTakesTheNameFromTheFile() throws {
        let path = dir.appendingPathComponent("ada-net.safetensors").path
        XCTAssertEqual(
            try runGonet([
                "net", "new", "--blocks", "1", "--filters", "8", "--policy-head", "conv", "--value-head", "pool",
                "--value-hidden", "8", "--name", "adas-first", "-o", path,
            ]).status, 0)
        let t = dir.appendingPathComponent("course").path
        try FileManager.default.createDirectory(atPath: t, withIntermediateDirectories: true)
        try #"{"parameterBudget": 100000, "gamesPerPairing": 2}"#.write(
            toFile: t + "/tournament.json", atomically: true, encoding: .utf8)
        let early = try runGonet(["tournament", "submit", t, path])
        XCTAssertEqual(early.status, 1)
        XCTAssertTrue(
            early.stderr.contains("no tournament yet: create it with `gonet tournament init \(t)`"), early.stderr)
        let created = try runGonet(["tournament", "init", t, "--komi", "6.5"])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("(2 games per pairing, komi 6.5, tromp-taylor scoring"), created.stdout)
        let r = try runGonet(["tournament", "submit", t, path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("registered adas-first: "), r.stdout)
        let refused = try runGonet(["tournament", "init", dir.appendingPathComponent("tiny").path, "--budget", "10"])
        XCTAssertEqual(refused.status, 0, refused.stderr)
        let no = try runGonet(["tournament", "submit", dir.appendingPathComponent("tiny").path, path])
        XCTAssertEqual(no.status, 1)
        XCTAssertTrue(no.stderr.contains("  FAIL parameter budget"), no.stderr)
        XCTAssertTrue(no.stderr.hasSuffix("refused\n"), no.stderr)
    }
}
