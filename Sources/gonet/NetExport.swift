import ArgumentParser
import GoNetwork
import ONNX

struct NetExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a network as an ONNX model (opset 17; planes [N,6,19,19] → policy [N,362], value [N,1]).",
        discussion: """
            docs/ONNX.md lists the operators each layer becomes.

            EXAMPLES:
              gonet net export Networks/budget-resnet5x32-xl.safetensors -o budget.onnx
            """)
    @Argument(help: "The network file.") var network: String
    @Option(name: .shortAndLong, help: "The ONNX file to write.") var output: String

    func run() throws {
        try failing {
            let net = try NetworkFile.load(path: network)
            try ONNXExport.write(net, to: output)
            print("wrote \(output): \(net.architecture.summary), opset \(ONNXExport.opset)")
        }
    }
}
