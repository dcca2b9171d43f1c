import ArgumentParser
import Foundation
import GoNetwork
import NeuralNet

struct NetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "net",
        abstract: "Create, inspect and run network files (safetensors, docs/FORMATS.md's layout).",
        subcommands: [NetNew.self, NetInfo.self, NetCheck.self, NetForward.self, NetExport.self, NetImport.self])
}

/// The architecture flags `net new` and `train` share, with docs/FORMATS.md's defaults.
struct ArchitectureOptions: ParsableArguments {
    @Option(help: "Trunk.")
    var trunk = Architecture.Family.Trunk.resnet
    @Option(help: "Residual blocks.")
    var blocks = 6
    @Option(help: "Trunk filters.")
    var filters = 64
    @Option(help: "Inner width of a mobile block (default 4 × filters).")
    var expansion: Int?
    @Option(help: "Policy head.")
    var policyHead = Architecture.Family.PolicyHead.fc
    @Option(help: "Policy head filters.")
    var policyFilters = 2
    @Option(help: "Value head.")
    var valueHead = Architecture.Family.ValueHead.fc
    @Option(help: "Value head filters.")
    var valueFilters = 1
    @Option(help: "Value head hidden units.")
    var valueHidden = 256
    @Option(help: "A global pooling bias in every Nth block (0: none).")
    var globalPoolEvery = 0
    @Option(help: "Hidden units of a squeeze-and-excitation gate in every block (0: none).")
    var squeezeExcitation = 0
    @Option(help: "The trunk's activation (the heads keep ReLU).")
    var activation = Architecture.Family.TrunkActivation.relu
    @Option(help: "A mobile block's depthwise filters (mixed: 3x3 on half the channels, 5x5 on the rest).")
    var depthwiseKernel = Architecture.Family.DepthwiseKernel.three

    func architecture() throws -> Architecture.Family {
        let a = Architecture.Family(
            trunk: trunk, blocks: blocks, filters: filters,
            expansion: trunk == .mobile ? (expansion ?? Architecture.defaultExpansion(filters: filters)) : 0,
            policyHead: policyHead, policyFilters: policyFilters, valueHead: valueHead, valueFilters: valueFilters,
            valueHidden: valueHidden, globalPoolEvery: globalPoolEvery, squeezeExcitation: squeezeExcitation,
            activation: activation, depthwiseKernel: depthwiseKernel)
        // The limits a network file is loaded with, so `net new` never writes what `load` refuses,
        // named by the option each size came from (`value_hidden` is `--value-hidden`).
        if let bad = a.outOfRange {
            throw ValidationError(
                "--\(bad.key.replacingOccurrences(of: "_", with: "-")) must be an integer in \(bad.range.lowerBound)…\(bad.range.upperBound), not \(bad.value)"
            )
        }
        return a
    }
}

struct NetNew: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Create a network with He-initialised weights.",
        discussion: """
            EXAMPLES:
              gonet net new --blocks 5 --filters 32 --policy-head conv --policy-filters 32 --value-head pool --value-filters 32 --value-hidden 64 -o budget.safetensors
              gonet net new --trunk mobile --blocks 6 --filters 32 -o mobile.safetensors
            """)

    @OptionGroup var arch: ArchitectureOptions
    @Option(help: "Random seed of the initial weights.")
    var seed: UInt64 = 1
    @Option(help: "Name stored in the file.")
    var name: String?
    @Option(help: "Author stored in the file.")
    var author: String?
    @Option(help: "Notes stored in the file.")
    var notes: String?
    @Option(name: .shortAndLong, help: "The network file to write.")
    var output: String

    func run() throws {
        let net = FamilyNetwork(try arch.architecture())
        net.initialize(seed: seed)
        net.metadata["name"] = name ?? URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        if let author { net.metadata["author"] = author }
        if let notes { net.metadata["notes"] = notes }
        net.metadata["created"] = ISO8601DateFormatter().string(from: Date())
        try net.save(path: output)
        print("wrote \(output): \(net.architecture.summary), \(Report.count(net.parameterCount)) parameters")
    }
}

struct NetInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a network's architecture, size, cost and metadata (and its heads').",
        discussion: """
            A heads file (NAME.heads.safetensors) is checked against the network beside it.

            EXAMPLES:
              gonet net info Networks/*.safetensors
            """)

    @Argument(help: "Network files (and heads files).")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                if file.hasSuffix(".heads.safetensors") {
                    try headsInfo(file)
                    continue
                }
                var skipped: NetworkError?
                let net = try HeadsFile.loadNetwork(path: file, heads: .beside) { skipped = $0 }
                print(file)
                print("  architecture  \(net.architecture.summary)")
                print("  parameters    \(Report.count(net.parameterCount))")
                print(
                    "  FLOPs         \(Report.count(net.flopsPerPosition)) per position (\(Report.fixed(Double(net.flopsPerPosition) / 1e6, 1)) MFLOP)"
                )
                for key in ["name", "author", "created", "notes", "training"] {
                    if let v = net.metadata[key] {
                        print("  \(key.padding(toLength: 13, withPad: " ", startingAt: 0)) \(v)")
                    }
                }
                let other = net.metadata.keys.filter {
                    !["name", "author", "created", "notes", "training", "format", "features", "architecture"].contains(
                        $0)
                }
                for key in other.sorted() {
                    print("  \(key.padding(toLength: 13, withPad: " ", startingAt: 0)) \(net.metadata[key]!)")
                }
                print("  format        \(net.metadata["format"] ?? ""), features \(net.metadata["features"] ?? "")")
                if let skipped { print("  heads         not used: \(skipped)") }
                if !net.analysisHeads.isEmpty {
                    print(
                        "  heads        \(PlayOptions.headsDescription(net).dropFirst()) (\(HeadsFile.path(besideNetwork: file)))"
                    )
                }
            } catch {
                printError("gonet: \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// A heads file: which heads, and whether they fit the network beside it.
    private func headsInfo(_ file: String) throws {
        let network = String(file.dropLast(".heads.safetensors".count)) + ".safetensors"
        let net = try HeadsFile.loadNetwork(path: network, heads: .file(file))
        print(file)
        print("  heads        \(PlayOptions.headsDescription(net).dropFirst()) of \(network)")
        print("  format        \(HeadsFile.format), network digest \(net.digest)")
    }
}

struct NetForward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract:
            "Run a network on input planes: INPUT holds `planes` [B,6,19,19]; OUTPUT gets `policy` [B,362] logits and `value` [B,1].",
        discussion: """
            EXAMPLES:
              gonet net forward mynet.safetensors position.safetensors -o outputs.safetensors
            """)

    @Argument(help: "The network file.")
    var network: String
    @Argument(help: "A safetensors file with `planes`.")
    var input: String
    @Option(name: .shortAndLong, help: "The safetensors file to write.")
    var output: String

    func run() throws {
        try failing {
            let net = try NetworkFile.load(path: network)
            let result = try net.forward(file: try SafeTensors.read(path: input), path: input)
            try result.write(path: output)
            let b = result.entries["value"]!.shape[0]
            print("wrote \(output): policy [\(b), 362], value [\(b), 1]")
        }
    }
}

extension Architecture.Family.Trunk: ExpressibleByArgument {}
extension Architecture.Family.PolicyHead: ExpressibleByArgument {}
extension Architecture.Family.ValueHead: ExpressibleByArgument {}
extension Architecture.Family.TrunkActivation: ExpressibleByArgument {}
extension Architecture.Family.DepthwiseKernel: ExpressibleByArgument {}
