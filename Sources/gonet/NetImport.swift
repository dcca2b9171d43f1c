import ArgumentParser
import GoNetwork
import ONNX

struct NetImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a gonet network file of an ONNX model (PyTorch, Keras through tf2onnx).",
        discussion: """
            A network of gonet's family runs as a native one; any other graph of the operators docs/ONNX.md lists \
            runs as a graph network (inference only). Anything else is refused naming the node.

            EXAMPLES:
              gonet net import mynet.onnx -o mynet.safetensors
              gonet net import keras.onnx -o keras.safetensors --value tanh
            """)
    @Argument(help: "The ONNX model.") var model: String
    @Option(name: .shortAndLong, help: "The network file to write.") var output: String
    @Option(help: "What a policy output without a final Softmax holds (default: logits).")
    var policy: ONNXImport.PolicyOutput?
    @Option(help: "What a value output without a final Tanh or Sigmoid holds (default: such a graph is refused).")
    var value: ONNXImport.ValueOutput?

    func run() throws {
        try failing {
            let (net, report) = try ONNXImport.network(path: model, policy: policy, value: value)
            try net.save(path: output)
            var notes: [String] = []
            if report.inputWasNHWC { notes.append("NHWC input") }
            if report.policyWasSoftmax { notes.append("softmax policy turned back into logits") }
            if report.valueWasSigmoid { notes.append("sigmoid value turned into tanh") }
            if net.architecture.family == nil { notes.append("a graph network: gonet plays it but does not train it") }
            print(
                "wrote \(output): \(report.architecture), \(net.parameterCount) parameters"
                    + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"))
        }
    }
}

extension ONNXImport.PolicyOutput: ExpressibleByArgument {}
extension ONNXImport.ValueOutput: ExpressibleByArgument {}
