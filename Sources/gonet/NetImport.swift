import ArgumentParser
import GoNetwork
import ONNX

struct NetImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a gonet network file of an ONNX model of gonet's family (PyTorch, Keras through tf2onnx).",
        discussion: "docs/ONNX.md lists the graphs it reads; anything else is refused naming the node.")
    @Argument(help: "The ONNX model.") var model: String
    @Option(name: .shortAndLong, help: "The network file to write.") var output: String

    func run() throws {
        try failing {
            let (net, report) = try ONNXImport.network(path: model)
            try net.save(path: output)
            var notes: [String] = []
            if report.inputWasNHWC { notes.append("NHWC input") }
            if report.policyWasSoftmax { notes.append("softmax policy turned back into logits") }
            if report.valueWasSigmoid { notes.append("sigmoid value turned into tanh") }
            print(
                "wrote \(output): \(report.architecture), \(net.parameterCount) parameters"
                    + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
        }
    }
}
