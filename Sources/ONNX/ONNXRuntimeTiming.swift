import Foundation
import GoNetwork

/// Inference speed of a network under ONNX Runtime, for benchmarks that put gonet beside it in one
/// run: the network is exported to ONNX (`ONNXExport`) and timed by a Python that has
/// `onnxruntime` and `numpy` (the venv `scripts/onnx-venv` makes), on the same kind of input
/// planes and with the same timing rule as `gonet bench nn` (median of at least 3 runs and
/// `minTime` seconds, after one warm-up).
public enum ONNXRuntimeTiming {
    /// What went wrong running ONNX Runtime.
    public struct Failure: Error, CustomStringConvertible {
        /// The Python, and what it said.
        public let description: String
    }

    /// Positions per second for each batch size, ONNX Runtime's CPU provider with `threads`
    /// intra-op threads and every graph optimisation on.
    public static func positionsPerSecond(
        _ net: PolicyValueNetwork, batches: [Int], threads: Int, minTime: Double, python: String
    ) throws -> [Int: Double] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonet-ort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("network.onnx").path
        try ONNXExport.write(net, to: model)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, model, String(threads), String(minTime)] + batches.map(String.init)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw Failure(description: "\(python): cannot run (\(error.localizedDescription))")
        }
        let answer = out.fileHandleForReading.readDataToEndOfFile()
        let complaint = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = String(decoding: complaint, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw Failure(description: "\(python): ONNX Runtime timing failed: \(last)")
        }
        var rates: [Int: Double] = [:]
        for line in String(decoding: answer, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let batch = Int(fields[0]), let rate = Double(fields[1]) { rates[batch] = rate }
        }
        guard rates.count == Set(batches).count else {
            throw Failure(
                description: "\(python): ONNX Runtime timing answered \(rates.count) of \(batches.count) batches")
        }
        return rates
    }

    /// Times the model at each batch; prints `batch positions/s` a line. Planes are 0/1 with a
    /// third of them set, as `bench nn` feeds gonet.
    private static let script = """
        import sys, time
        import numpy as np, onnxruntime as ort
        path, threads, min_time = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        runner = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        name = runner.get_inputs()[0].name
        for batch in map(int, sys.argv[4:]):
            planes = (np.random.default_rng(42).integers(0, 3, size=(batch, 6, 19, 19)) == 0).astype(np.float32)
            runner.run(None, {name: planes})
            times, start = [], time.perf_counter()
            while len(times) < 3 or time.perf_counter() - start < min_time:
                t = time.perf_counter()
                runner.run(None, {name: planes})
                times.append(time.perf_counter() - t)
            print(batch, batch / sorted(times)[len(times) // 2], flush=True)
        """
}
