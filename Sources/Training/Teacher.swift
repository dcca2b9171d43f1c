import Foundation
import GoNetwork
import NeuralNet

/// Distillation: a stronger network's opinion mixed into each batch's targets, so that a small
/// network learns from all 362 of the teacher's move probabilities and its value, not only from
/// the one move played and the game's result (Hinton et al. 2015; a soft target carries far more
/// information per sample than a class index).
///
/// With weight w and temperature T, a position's policy target becomes
/// `(1 − w) · onehot(move) + w · softmax(teacher logits / T)` and its value target
/// `(1 − w) · result + w · teacher value` (the teacher's value alone where the result is unknown).
public final class Teacher {
    /// The teacher network (any kind: family, graph or imported).
    public let network: PolicyValueNetwork
    /// The teacher's share of each target, 0…1.
    public let weight: Float
    /// The softmax temperature of the teacher's logits (above 1 flattens them).
    public let temperature: Float

    /// The teacher in `path`, checked as any network file.
    public init(path: String, weight: Float, temperature: Float) throws {
        network = try NetworkFile.load(path: path)
        self.weight = weight
        self.temperature = temperature
    }

    /// Mixes the teacher's policy and value into `batch`'s targets.
    public func teach(_ batch: inout TrainingBatch) {
        let b = batch.count
        let moves = Features.moves
        let (logits, values) = batch.planes.withUnsafeBufferPointer {
            network.forward(planes: $0.baseAddress!, batch: b, channelMajor: batch.channelMajor)
        }
        var soft = [Float](repeating: 0, count: b * moves)
        let w = weight
        let invT = 1 / temperature
        soft.withUnsafeMutableBufferPointer { d in
            let out = d.baseAddress!
            for s in 0..<b {
                let z = logits + s * moves
                let row = out + s * moves
                var m = -Float.infinity
                for i in 0..<moves { m = max(m, z[i] * invT) }
                var sum: Float = 0
                for i in 0..<moves {
                    row[i] = expf(z[i] * invT - m)
                    sum += row[i]
                }
                let scale = w / sum
                for i in 0..<moves { row[i] *= scale }
                row[Int(batch.policyTargets[s])] += 1 - w
            }
        }
        batch.policyDistribution = soft
        for s in 0..<b {
            if batch.valueMask[s] > 0 {
                batch.valueTargets[s] = (1 - w) * batch.valueTargets[s] + w * values[s]
            } else {
                batch.valueTargets[s] = values[s]
                batch.valueMask[s] = 1
            }
        }
    }
}
