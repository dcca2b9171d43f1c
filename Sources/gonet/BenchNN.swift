import ArgumentParser
import Foundation
import GoNetwork
import NeuralNet
import ONNX

struct BenchNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract:
            "Inference and training throughput of resnet sizes, side by side with a PyTorch/ONNX Runtime reference run.",
        discussion: """
            Sizes: small (resnet 6x32), medium (6x64), large (10x128), fc heads, the sizes of the PyTorch reference \
            script (scripts/torch-reference, in a Python with torch). Run that script just before (its --json FILE) \
            and pass the file with --reference to print the ratios side by side.

            ONNX Runtime is timed in the same run, each network exported to ONNX, when a Python with onnxruntime \
            and numpy is at hand (--onnx-python, or .venv-onnx/bin/python in the current directory, which \
            scripts/onnx-venv makes); its column then replaces the reference file's.

            EXAMPLES:
              gonet bench nn --threads 2
              gonet bench nn --batches 1 8 --networks Networks/budget-resnet5x32-xl.safetensors
              gonet bench nn --sizes small --batches 1 8 64 --products blas blocked blocked512
            """)

    @Option(parsing: .upToNextOption, help: "Sizes: small, medium, large.")
    var sizes = ["small", "medium", "large"]
    @Option(help: "Threads for OpenBLAS and element-wise loops.")
    var threads = 2
    @Option(help: "Write rows in scripts/torch-reference's JSON format.")
    var json: String?
    @Option(help: "A JSON file of scripts/torch-reference to compare with.")
    var reference: String?
    @Option(help: "Minimum seconds per measurement.")
    var minTime = 2.0
    @Option(parsing: .upToNextOption, help: "Inference batch sizes.")
    var batches = ["1", "8", "64", "256"]
    @Option(parsing: .upToNextOption, help: "Training batch sizes.")
    var trainingBatches = ["64", "256"]
    @Option(
        parsing: .upToNextOption,
        help: "Network files to time for inference instead of the sizes (an imported network beside its native twin).")
    var networks: [String] = []
    @Option(
        help:
            "A Python with onnxruntime and numpy to time ONNX Runtime beside gonet (default: .venv-onnx/bin/python when present)."
    )
    var onnxPython: String?
    @Flag(help: "Do not time ONNX Runtime.")
    var noOnnx = false
    @Option(
        parsing: .upToNextOption,
        help: "Winograd product kernels to time, a row each: auto (measured per shape), blas, blocked, blocked512.")
    var products: [ProductChoice] = [.auto]

    enum ProductChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, blas, blocked, blocked512
        var kernel: WinogradProducts.Kernel? { WinogradProducts.Kernel(rawValue: rawValue) }
    }

    static let shapes = ["small": (6, 32), "medium": (6, 64), "large": (10, 128)]

    func run() throws {
        Parallel.threads = threads
        let ref = try reference.map(ReferenceRows.init(path:))
        let python = onnxRuntimePython()
        let sgemm = measureSgemm()
        print(
            "sgemm 2048³: \(Report.fixed(sgemm, 1)) GFLOPS (\(threads) thread\(threads == 1 ? "" : "s"), OpenBLAS's \(BLASCore.name) kernels)"
        )
        var rows: [[String: Any]] = []
        let compare =
            (ref != nil ? "  pytorch/s  ratio" : "") + (ref != nil || python != nil ? "   onnxrt/s  ratio" : "")
        print("size    mode        batch      gonet/s   GFLOPS" + compare)
        let inferenceBatches = try ListValues.integers(batches, option: "--batches")
        if !networks.isEmpty {
            for file in networks {
                let net = try failing { try NetworkFile.load(path: file) }
                let label = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                let ort = try onnxRuntime(net, python: python)
                for choice in products {
                    WinogradProducts.forced = choice.kernel
                    for batch in inferenceBatches {
                        let perS = inferenceRate(net, batch: batch)
                        printRow(
                            label, mode("inference", choice), batch, perS, perS * Double(net.flopsPerPosition) / 1e9,
                            compared(ref, size: label, mode: "inference", batch: batch, live: ort))
                    }
                }
            }
            printPlans()
            return
        }
        for size in ListValues.words(sizes) {
            guard let (blocks, filters) = Self.shapes[size] else {
                throw ValidationError("unknown size \(size) (small, medium, large)")
            }
            let net = FamilyNetwork(Architecture.Family(trunk: .resnet, blocks: blocks, filters: filters))
            net.initialize(seed: 1)
            let flops = Double(net.flopsPerPosition)
            let ort = try onnxRuntime(net, python: python)
            for choice in products {
                WinogradProducts.forced = choice.kernel
                for batch in inferenceBatches {
                    let perS = inferenceRate(net, batch: batch)
                    rows.append([
                        "size": size, "params": net.parameterCount, "mode": "inference", "batch": batch, "per_s": perS,
                    ])
                    printRow(
                        size, mode("inference", choice), batch, perS, perS * flops / 1e9,
                        compared(ref, size: size, mode: "inference", batch: batch, live: ort))
                }
            }
            for choice in products {
                WinogradProducts.forced = choice.kernel
                let sgd = SGD(momentum: 0.9)
                for batch in try ListValues.integers(trainingBatches, option: "--training-batches") {
                    let b = TrainingBatch(
                        planes: randomPlanes(batch), policyTargets: (0..<batch).map { Int32($0 * 37 % Features.moves) },
                        valueTargets: (0..<batch).map { $0 % 2 == 0 ? 1 : -1 },
                        valueMask: [Float](repeating: 1, count: batch))
                    let s = timed {
                        _ = net.lossAndGradients(b, weights: LossWeights())
                        sgd.step(net.trainableParameters, lr: 0.001)
                    }
                    let perS = Double(batch) / s
                    rows.append([
                        "size": size, "params": net.parameterCount, "mode": "training", "batch": batch, "per_s": perS,
                    ])
                    printRow(
                        size, mode("training", choice), batch, perS, perS * 3 * flops / 1e9,
                        compared(ref, size: size, mode: "training", batch: batch, live: nil))
                }
            }
            // The 3x3 convolution alone, trunk-sized, 256 boards: its share of the machine's sgemm, as
            // training runs it (forward, input and filter gradients on the grid, the whole batch)
            // and as inference does (below).
            let conv = Conv2D("c", in: filters, out: filters, kernel: 3)
            conv.weight.value = (0..<conv.weight.count).map { Float($0 % 17) * 0.01 }
            let layout = GridLayout(channels: filters)
            let (x, y, dx) = (
                Buffer(256 * layout.boardSize), Buffer(256 * layout.boardSize), Buffer(256 * layout.boardSize)
            )
            let cols = Buffer()
            for choice in products {
                WinogradProducts.forced = choice.kernel
                let s = timed {
                    conv.forwardGrid(x.pointer, y.pointer, batch: 256, columns: cols)
                    conv.backwardGrid(x.pointer, y.pointer, dx.pointer, batch: 256, columns: cols)
                }
                // Three passes of the direct convolution's multiplications: forward, dx and dw.
                let g = 3 * 2 * Double(conv.macsPerPoint * Features.points * 256) / s / 1e9
                let kernel = products.count > 1 ? " (\(choice.rawValue))" : ""
                printConvolution(
                    size, "conv3x3 \(filters)→\(filters) training on the grid, batch 256\(kernel)", gflops: g,
                    sgemm: sgemm)
                // The same layer as inference runs it: on the grid layout, in pieces.
                let grid = gridConvolution(filters: filters, weights: conv.weight.value)
                printConvolution(
                    size,
                    "conv3x3 \(filters)→\(filters) on the grid, \(FamilyNetwork.defaultInferenceChunk) boards a pass\(kernel)",
                    gflops: grid,
                    sgemm: sgemm)
            }
        }
        WinogradProducts.forced = nil
        printPlans()
        if let json {
            let doc: [String: Any] = ["framework": "gonet", "threads": threads, "sgemm_gflops": sgemm, "rows": rows]
            try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]).write(
                to: URL(fileURLWithPath: json))
        }
    }

    /// The Python to time ONNX Runtime with, if any.
    func onnxRuntimePython() -> String? {
        if noOnnx { return nil }
        if let onnxPython { return onnxPython }
        let venv = ".venv-onnx/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// ONNX Runtime's positions/s at the inference batches, nil without a Python for it.
    func onnxRuntime(_ net: PolicyValueNetwork, python: String?) throws -> [Int: Double]? {
        guard let python else { return nil }
        return try failing {
            try ONNXRuntimeTiming.positionsPerSecond(
                net, batches: try ListValues.integers(batches, option: "--batches"), threads: threads,
                minTime: minTime, python: python)
        }
    }

    func mode(_ mode: String, _ choice: ProductChoice) -> String {
        products.count > 1 ? "\(mode)/\(choice.rawValue)" : mode
    }

    /// PyTorch's rate from the reference file, then ONNX Runtime's (inference only), measured in
    /// this run or from the file: one entry a column of the header.
    func compared(_ ref: ReferenceRows?, size: String, mode: String, batch: Int, live: [Int: Double]?) -> [Double?] {
        var columns: [Double?] = []
        if let ref { columns.append(ref.perS(size: size, mode: mode, batch: batch)) }
        if ref != nil || onnxRuntimePython() != nil {
            let inference = mode == "inference"
            columns.append(
                inference ? live?[batch] ?? ref?.perS(size: size, mode: "inference-onnxruntime", batch: batch) : nil)
        }
        return columns
    }

    /// The product kernel measured for each Winograd shape.
    func printPlans() {
        let plans = WinogradProducts.plans.sorted {
            ($0.key.inChannels, $0.key.outChannels, $0.key.rows) < ($1.key.inChannels, $1.key.outChannels, $1.key.rows)
        }
        guard !plans.isEmpty else { return }
        let list = plans.map { "\($0.key.rows)x\($0.key.inChannels)→\($0.key.outChannels) \($0.value.rawValue)" }
        print("Winograd products (tiles x channels, kernel chosen by measurement): " + list.joined(separator: ", "))
    }

    /// Positions per second of inference on random planes.
    func inferenceRate(_ net: PolicyValueNetwork, batch: Int) -> Double {
        let planes = randomPlanes(batch)
        let s = timed {
            planes.withUnsafeBufferPointer { _ = net.forward(planes: $0.baseAddress!, batch: batch) }
        }
        return Double(batch) / s
    }

    func printRow(_ size: String, _ mode: String, _ batch: Int, _ perS: Double, _ gflops: Double, _ others: [Double?]) {
        var line =
            "\(size.padding(toLength: max(7, size.count), withPad: " ", startingAt: 0)) \(mode.padding(toLength: max(10, mode.count), withPad: " ", startingAt: 0)) \(String(batch).leftPad(6)) \(Report.fixed(perS, 1).leftPad(12)) \(Report.fixed(gflops, 1).leftPad(8))"
        for other in others {
            if let r = other {
                line += "  \(Report.fixed(r, 1).leftPad(9))  \(Report.fixed(perS / r, 2).leftPad(5))x"
            } else {
                line += "          -      -"
            }
        }
        print(line)
    }

    func randomPlanes(_ batch: Int) -> [Float] {
        var s: UInt64 = 42
        return (0..<(batch * 6 * Features.points)).map { _ in
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (s >> 40) % 3 == 0 ? 1 : 0
        }
    }

    /// A convolution's rate as a share of sgemm and of Winograd F(4x4, 3x3)'s bound (4x sgemm:
    /// it does a quarter of the direct convolution's multiplications, by which the rate is counted).
    func printConvolution(_ size: String, _ what: String, gflops g: Double, sgemm: Double) {
        print(
            "\(size.padding(toLength: 7, withPad: " ", startingAt: 0)) \(what): \(Report.fixed(g, 1)) GFLOPS = \(Report.fixed(100 * g / sgemm, 0))% of sgemm, \(Report.fixed(25 * g / sgemm, 0))% of Winograd's bound"
        )
    }

    /// GFLOPS (counted as the direct convolution's) of a `filters`→`filters` 3x3 convolution with
    /// bias and ReLU run as inference's trunk runs it: 256 boards on the grid layout, in pieces of
    /// `FamilyNetwork.defaultInferenceChunk`.
    func gridConvolution(filters: Int, weights: [Float]) -> Double {
        let wino = Winograd(inChannels: filters, outChannels: filters)
        weights.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
        let layout = GridLayout(channels: filters)
        let boards = FamilyNetwork.defaultInferenceChunk
        let x = Buffer(boards * layout.boardSize)
        let y = Buffer(boards * layout.boardSize)
        let bias = [Float](repeating: 0.01, count: layout.padded)
        let workspace = Buffer()
        let s = timed {
            for _ in 0..<(256 / boards) {
                wino.forwardGrid(
                    x.pointer, y.pointer, batch: boards, workspace: workspace, bias: bias, residual: nil,
                    activation: .relu)
            }
        }
        return 2 * Double(9 * filters * filters * Features.points * 256) / s / 1e9
    }

    /// Median seconds of repeated calls after one warm-up, for at least `minTime` seconds and 3 runs.
    func timed(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        let start = Date()
        while times.count < 3 || Date().timeIntervalSince(start) < minTime {
            let t = Date()
            body()
            times.append(Date().timeIntervalSince(t))
        }
        return times.sorted()[times.count / 2]
    }

    func measureSgemm() -> Double {
        let n = 2048
        let a = Buffer(n * n)
        let b = Buffer(n * n)
        let c = Buffer(n * n)
        for i in 0..<(n * n) {
            a.pointer[i] = Float(i % 13) * 0.1
            b.pointer[i] = Float(i % 7) * 0.1
        }
        let s = timed { BLAS.gemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, c: c.pointer, ldc: n) }
        return 2 * Double(n * n * n) / s / 1e9
    }
}

/// Rows of a scripts/torch-reference JSON file.
struct ReferenceRows {
    let rows: [[String: Any]]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path),
            let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let rows = obj["rows"] as? [[String: Any]]
        else {
            throw ValidationError("\(path): not a JSON file of scripts/torch-reference")
        }
        self.rows = rows
    }

    func perS(size: String, mode: String, batch: Int) -> Double? {
        rows.first {
            ($0["size"] as? String) == size && ($0["mode"] as? String) == mode && ($0["batch"] as? Int) == batch
        }?["per_s"] as? Double
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
