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
    try ONNXImport.withNetworkFile(path) { file in
        var v = Submission.verdict(network: file, budget: budget, gonet: gonetExecutable())
        v.file = path
        return v
    }
}
