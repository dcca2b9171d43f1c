import Foundation
import GoNetwork
import NeuralNet

/// A training checkpoint: the network's tensors (training-only heads' included), the
/// optimizer's buffers (`optimizer.*`), and
/// where the run stands (step, samples, elapsed seconds) in the metadata. The loader's position
/// follows from the step: it is deterministic for its seed and skips the batches already used.
public struct Checkpoint {
    /// The `format` metadata of checkpoint files.
    public static let format = "gonet-checkpoint/1"
    /// Optimizer steps done.
    public var step: Int
    /// Samples seen.
    public var samples: Int
    /// Seconds of training so far.
    public var elapsed: Double

    /// Writes atomically (temporary file, fsync, rename).
    public static func save(
        _ net: FamilyNetwork, optimizer: Optimizer, step: Int, samples: Int, elapsed: Double, path: String
    ) throws {
        var file = SafeTensors()
        for p in net.trainingParameters { file.set(p.name, Tensor(shape: p.shape, data: p.value)) }
        for (name, values) in optimizer.state {
            file.set("optimizer." + name, Tensor(shape: [values.count], data: values))
        }
        file.metadata = [
            "format": format, "architecture": net.architecture.json, "step": String(step),
            "samples": String(samples), "elapsed": String(elapsed),
        ]
        try file.write(path: path)
    }

    /// Restores weights and optimizer state into `net` and `optimizer`; returns where the run stood.
    public static func load(_ path: String, into net: FamilyNetwork, optimizer: Optimizer) throws -> Checkpoint {
        let file = try SafeTensors.read(path: path)
        guard file.metadata["format"] == format else { throw TrainingError(.file, "\(path): not a gonet checkpoint") }
        guard file.metadata["architecture"].flatMap({ try? Architecture(json: $0) }) == net.architecture else {
            throw TrainingError(.file, "\(path): the checkpoint's architecture differs from this run's")
        }
        for p in net.trainingParameters {
            guard let t = file.tensor(p.name), t.shape == p.shape else {
                throw TrainingError(.file, "\(path): tensor \(p.name) missing or of the wrong shape")
            }
            p.value = t.data
        }
        var state: [String: [Float]] = [:]
        for name in file.entries.keys where name.hasPrefix("optimizer.") {
            state[String(name.dropFirst("optimizer.".count))] = file.tensor(name)!.data
        }
        optimizer.state = state
        net.weightsChanged()
        return Checkpoint(
            step: Int(file.metadata["step"] ?? "") ?? 0, samples: Int(file.metadata["samples"] ?? "") ?? 0,
            elapsed: Double(file.metadata["elapsed"] ?? "") ?? 0)
    }
}
