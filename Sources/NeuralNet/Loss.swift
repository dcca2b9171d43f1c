import Foundation

/// The multi-output loss of a policy/value network, with its parts.
public struct LossValue: Sendable, Equatable {
    /// Mean softmax cross-entropy of the policy.
    public var policy: Double
    /// Σ mask·(value − target)² / B.
    public var value: Double
    /// Mean cross-entropy of the opponent's-reply head (0 without it).
    public var reply: Double
    /// Σ mask·(score − target)² / B of the score head, in units of 10 points (0 without it).
    public var score: Double
    /// Σ mask·Σ points (ownership − target)² / (361·B) of the ownership head (0 without it).
    public var ownership: Double
    /// The weighted sum of the terms (+ L2 when it is added).
    public var total: Double

    /// The terms and their weighted total.
    public init(
        policy: Double, value: Double, reply: Double = 0, score: Double = 0, ownership: Double = 0, total: Double
    ) {
        self.policy = policy
        self.value = value
        self.reply = reply
        self.score = score
        self.ownership = ownership
        self.total = total
    }
}

/// Losses and their gradients.
public enum Loss {
    /// Mean cross-entropy of softmax(logits) against targets, per row of `[B][K]`; writes
    /// `scale · (softmax − target) / B` into `dLogits`. A target is a class index, or (with
    /// `distribution`) a row of probabilities. A negative index is no target: the row adds no loss
    /// and gets a zero gradient, and the mean is still over all `batch` rows.
    public static func softmaxCrossEntropy(
        logits: UnsafePointer<Float>, batch: Int, classes: Int,
        targetIndices: UnsafePointer<Int32>?, distribution: UnsafePointer<Float>? = nil,
        scale: Float, dLogits: UnsafeMutablePointer<Float>
    ) -> Double {
        var total: Double = 0
        for b in 0..<batch {
            let z = logits + b * classes
            let d = dLogits + b * classes
            if distribution == nil, let idx = targetIndices, idx[b] < 0 {
                d.update(repeating: 0, count: classes)
                continue
            }
            var m = -Float.infinity
            for i in 0..<classes { m = max(m, z[i]) }
            var s: Double = 0
            for i in 0..<classes { s += Double(expf(z[i] - m)) }
            let logSum = Double(m) + log(s)
            let g = scale / Float(batch)
            for i in 0..<classes { d[i] = Float(exp(Double(z[i]) - logSum)) * g }
            if let dist = distribution {
                let t = dist + b * classes
                for i in 0..<classes where t[i] != 0 {
                    total -= Double(t[i]) * (Double(z[i]) - logSum)
                    d[i] -= t[i] * g
                }
            } else if let idx = targetIndices {
                let t = Int(idx[b])
                total -= Double(z[t]) - logSum
                d[t] -= g
            }
        }
        return total / Double(batch)
    }

    /// Σ mask·(y − t)² / B; writes `scale · 2·mask·(y − t) / B` into `dy`.
    public static func maskedSquaredError(
        _ y: UnsafePointer<Float>, targets: UnsafePointer<Float>, mask: UnsafePointer<Float>, batch: Int,
        scale: Float, dy: UnsafeMutablePointer<Float>
    ) -> Double {
        var total: Double = 0
        for b in 0..<batch {
            let e = y[b] - targets[b]
            total += Double(mask[b] * e * e)
            dy[b] = scale * 2 * mask[b] * e / Float(batch)
        }
        return total / Double(batch)
    }

    /// c · Σ w² over the decaying parameters; adds 2c·w to their gradients.
    public static func l2(_ parameters: [Parameter], coefficient c: Float) -> Double {
        guard c > 0 else { return 0 }
        var total: Double = 0
        for p in parameters where p.decays {
            for i in 0..<p.count {
                let w = p.value[i]
                total += Double(w * w)
                p.grad[i] += 2 * c * w
            }
        }
        return Double(c) * total
    }
}
