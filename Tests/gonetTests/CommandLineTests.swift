import Foundation
import NeuralNet
import TestSupport
import XCTest

/// Runs the built `gonet` executable the way a user does (with `input` on its standard input).
func runGonet(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> (
    status: Int32, stdout: String, stderr: String
) {
    let binary = TestPaths.products.appendingPathComponent("gonet")
    let p = Process()
    p.executableURL = binary
    p.arguments = arguments
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    p.currentDirectoryURL = TestPaths.packageRoot
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let stdin = Pipe()
    if input != nil { p.standardInput = stdin }
    try p.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

final class CommandLineTests: XCTestCase {
    func testHelpListsTheCommandGroups() throws {
        let r = try runGonet(["--help"])
        XCTAssertEqual(r.status, 0)
        for group in ["games", "net", "train", "eval", "gtp", "tournament", "bench"] {
            XCTAssertTrue(r.stdout.contains("  \(group) "), "gonet --help lists \(group)")
        }
    }

    /// The shell completion offers every training setting, though they come from one table
    /// rather than one property each.
    func testCompletionOffersTheTrainingSettings() throws {
        let r = try runGonet(["--generate-completion-script", "bash"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for key in ["--lr-schedule", "--value-weight", "--validation-fraction", "--max-minutes"] {
            XCTAssertTrue(r.stdout.contains(key), key)
        }
        // Help is wrapped to the terminal: compare with the line breaks taken out.
        func help(_ command: String) throws -> String {
            try runGonet([command, "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        XCTAssertTrue(try help("gtp").contains("(values: policy, mcts; default: policy)"))
        XCTAssertTrue(try help("match").contains("(values: tromp-taylor, dead-removed; default: tromp-taylor)"))
    }

    func testGamesInfoOnTheSample() throws {
        let r = try runGonet(["games", "info", "Games/gnugo-selfplay-0000.sgf.zst"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  games        90\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  moves        19,503 (216.7 per game)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  results      B wins 42, W wins 48, draws 0, unknown 0\n"), r.stdout)
    }

    func testGamesInfoReportsFailedGamesAndMissingFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let sgf = dir.appendingPathComponent("two.sgf")
        try "(;SZ[9]RE[B+R];B[ee];W[ee])\n(;SZ[9]RE[W+2.5];B[ee];W[dd])\n".write(
            to: sgf, atomically: true, encoding: .utf8)
        let r = try runGonet(["games", "info", sgf.path, dir.appendingPathComponent("missing.sgf").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("  games        1 read, 1 failed (of 2)\n"), r.stdout)
        XCTAssertTrue(
            r.stdout.contains("  failed       game 0: \(sgf.path):1:22: illegal move W E5 at move 2: point occupied\n"),
            r.stdout)
        XCTAssertTrue(r.stdout.contains("  results      B wins 0, W wins 1, draws 0, unknown 0\n"), r.stdout)
        XCTAssertTrue(
            r.stderr.contains(
                "gonet: \(dir.appendingPathComponent("missing.sgf").path): cannot open: No such file or directory"),
            r.stderr)
    }

    func testMissingArgumentsAreReported() throws {
        let r = try runGonet(["gtp"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("Missing expected argument '--network <network>'"), r.stderr)
    }
}

/// The program restarts itself on OpenBLAS's better kernels when the library fell back to its
/// generic ones (a CPU newer than the library), with its arguments and output intact; elsewhere it
/// runs what OpenBLAS chose.
final class BLASKernelTests: XCTestCase {
    func testGonetRunsTheKernelsTheCPURuns() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_CORETYPE"] = nil
        let binary = TestPaths.products.appendingPathComponent("gonet")
        let p = Process()
        p.executableURL = binary
        p.arguments = [
            "bench", "nn", "--threads", "1", "--networks", "Networks/budget-resnet5x32.safetensors", "--batches", "1",
            "--no-onnx", "--min-time", "0.01",
        ]
        p.environment = environment
        p.currentDirectoryURL = TestPaths.packageRoot
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        // This test process was not restarted: what OpenBLAS chose here, corrected as gonet corrects it.
        let expected = BLASCore.correction ?? BLASCore.name
        XCTAssertTrue(text.contains("OpenBLAS's \(expected) kernels"), text)
        XCTAssertTrue(text.contains("budget-resnet5x32 inference       1"), text)
    }
}
