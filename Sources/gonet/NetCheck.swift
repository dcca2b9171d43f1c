import ArgumentParser
import Foundation
import GoNetwork
import ONNX
import Tournament

struct NetCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run every check a tournament runs on a submitted network and print the verdict.",
        discussion: """
            The checks: the file loads (format, features, architecture, finite weights), its parameters fit the \
            budget, its outputs are finite on three positions, and `gonet gtp` on it answers genmove with legal \
            moves. An ONNX model is imported first, as `gonet net import` does. The exit status is 0 only when a \
            tournament with this budget would accept the file.

            EXAMPLES:
              gonet net check mynet.safetensors
              gonet net check model.onnx --budget 100000
            """)

    @Argument(help: "The network file (.safetensors) or ONNX model (.onnx).") var network: String
    @Option(help: "The parameter budget of the tournament it is meant for.") var budget = 100_000

    func run() throws {
        let verdict = try failing {
            try checkSubmission(network, budget: budget)
        }
        print(verdict.text)
        if !verdict.accepted { throw ExitCode(1) }
    }
}

/// The verdict on a network file or an ONNX model (imported into a temporary network file first).
func checkSubmission(_ path: String, budget: Int) throws -> SubmissionVerdict {
    try withNetworkFile(path) { file in
        var v = Submission.verdict(network: file, budget: budget, gonet: gonetExecutable())
        v.file = path
        return v
    }
}

/// Calls `body` with a gonet network file for `path`: the file itself, or for an `.onnx` model
/// the network `net import` would write, in a temporary file removed afterwards.
func withNetworkFile<T>(_ path: String, _ body: (String) throws -> T) throws -> T {
    guard path.lowercased().hasSuffix(".onnx") else { return try body(path) }
    let (net, _) = try ONNXImport.network(path: path)
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    if net.metadata["name"] == nil { net.metadata["name"] = stem }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent(stem + ".safetensors").path
    try net.save(path: file)
    return try body(file)
}
