import Foundation
import GoNetwork
import NeuralNet

/// Policy and value metrics over a set of positions (and the analysis heads', where measured).
public struct Metrics: Sendable, Equatable {
    /// Positions measured.
    public var positions = 0
    /// Σ cross-entropy.
    var policyLossSum: Double = 0
    /// Positions whose target was the policy's first choice.
    public var top1 = 0
    var top5 = 0
    /// Positions with a known result, Σ (value − target)², and how many had the right sign.
    public var valued = 0
    var valueSquaredError: Double = 0
    var signCorrect = 0
    var signed = 0
    /// Total loss (as optimised: weights and L2 included) summed per batch, and batches.
    var lossSum: Double = 0
    /// The opponent's-reply head's cross-entropy summed per batch (training with the head only).
    var replyLossSum: Double = 0
    /// The score head's squared error summed per batch (training with the head only).
    var scoreLossSum: Double = 0
    /// The ownership head's squared error summed per batch (training with the head only).
    var ownershipLossSum: Double = 0
    /// Counted positions the score head was measured on, and Σ |score − result| in points.
    public internal(set) var scored = 0
    var scoreErrorSum: Double = 0
    /// Owned points of counted positions the ownership head was measured on, and how many it
    /// gave to their owner.
    public internal(set) var ownedPoints = 0
    var ownedRight = 0
    /// Batches whose loss was summed.
    public var batches = 0
    /// Seconds of training or evaluation these metrics cover.
    public var seconds: Double = 0

    /// Nothing measured yet.
    public init() {}

    /// Mean cross-entropy of the policy.
    public var policyLoss: Double { positions > 0 ? policyLossSum / Double(positions) : 0 }
    /// Share of targets that were the first choice.
    public var top1Accuracy: Double { positions > 0 ? Double(top1) / Double(positions) : 0 }
    /// Share of targets among the first five.
    public var top5Accuracy: Double { positions > 0 ? Double(top5) / Double(positions) : 0 }
    /// Mean squared error of the value, over positions with a result.
    public var valueMSE: Double { valued > 0 ? valueSquaredError / Double(valued) : 0 }
    /// Share of positions where the value has the result's sign.
    public var valueSignAccuracy: Double { signed > 0 ? Double(signCorrect) / Double(signed) : 0 }
    /// Mean cross-entropy of the opponent's-reply head per batch (0 without it).
    public var replyLoss: Double { batches > 0 ? replyLossSum / Double(batches) : 0 }
    /// Mean squared error of the score head per batch, in units of 10 points (0 without it).
    public var scoreLoss: Double { batches > 0 ? scoreLossSum / Double(batches) : 0 }
    /// Mean squared error of the ownership head per point and batch (0 without it).
    public var ownershipLoss: Double { batches > 0 ? ownershipLossSum / Double(batches) : 0 }
    /// Mean absolute error of the score head in points, over counted positions (0 without it).
    public var scoreError: Double { scored > 0 ? scoreErrorSum / Double(scored) : 0 }
    /// Share of the counted positions' owned points the ownership head gives to their owner.
    public var ownershipAccuracy: Double { ownedPoints > 0 ? Double(ownedRight) / Double(ownedPoints) : 0 }
    /// Mean total loss per batch.
    public var loss: Double { batches > 0 ? lossSum / Double(batches) : 0 }
    /// Positions measured per second.
    public var samplesPerSecond: Double { seconds > 0 ? Double(positions) / seconds : 0 }

    /// Adds a batch: logits `[B][362]`, values `[B]`, and its targets.
    public mutating func add(
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>, targets: [Int32],
        valueTargets: [Float], mask: [Float]
    ) {
        let b = targets.count
        for s in 0..<b {
            let z = logits + s * Features.moves
            var m = -Float.infinity
            for i in 0..<Features.moves { m = max(m, z[i]) }
            var sum: Double = 0
            for i in 0..<Features.moves { sum += Double(expf(z[i] - m)) }
            let t = Int(targets[s])
            policyLossSum += Double(m) + log(sum) - Double(z[t])
            // Rank of the target: how many moves score higher.
            var higher = 0
            let zt = z[t]
            for i in 0..<Features.moves where z[i] > zt { higher += 1 }
            if higher == 0 { top1 += 1 }
            if higher < 5 { top5 += 1 }
            if mask[s] > 0 {
                valued += 1
                let e = Double(values[s] - valueTargets[s])
                valueSquaredError += e * e
                if valueTargets[s] != 0 {
                    signed += 1
                    if (values[s] > 0) == (valueTargets[s] > 0) { signCorrect += 1 }
                }
            }
        }
        positions += b
    }

    /// Adds the analysis heads' outputs on a batch (score `[B]` in points, ownership `[B][361]`),
    /// measured where the batch has their targets (counted games).
    public mutating func addHeads(score: [Float]?, ownership: [Float]?, _ batch: TrainingBatch) {
        let b = batch.count
        if let score, batch.scoreMask.count == b {
            for s in 0..<b where batch.scoreMask[s] > 0 {
                scored += 1
                scoreErrorSum += Double(abs(score[s] - batch.scoreTargets[s]))
            }
        }
        let points = Features.points
        if let ownership, batch.ownershipMask.count == b, batch.ownershipTargets.count == b * points {
            for s in 0..<b where batch.ownershipMask[s] > 0 {
                for i in s * points..<(s + 1) * points where batch.ownershipTargets[i] != 0 {
                    ownedPoints += 1
                    if (ownership[i] > 0) == (batch.ownershipTargets[i] > 0) { ownedRight += 1 }
                }
            }
        }
    }

    /// Adds another set's counts to these.
    public mutating func merge(_ o: Metrics) {
        positions += o.positions
        policyLossSum += o.policyLossSum
        top1 += o.top1
        top5 += o.top5
        valued += o.valued
        valueSquaredError += o.valueSquaredError
        signCorrect += o.signCorrect
        signed += o.signed
        lossSum += o.lossSum
        replyLossSum += o.replyLossSum
        scoreLossSum += o.scoreLossSum
        ownershipLossSum += o.ownershipLossSum
        scored += o.scored
        scoreErrorSum += o.scoreErrorSum
        ownedPoints += o.ownedPoints
        ownedRight += o.ownedRight
        batches += o.batches
        seconds += o.seconds
    }

    /// The metrics as JSON fields; `loss` (the optimised total) only where training computed it.
    public var json: [String: Double] {
        var j = [
            "positions": Double(positions), "policy_loss": policyLoss, "top1": top1Accuracy, "top5": top5Accuracy,
            "value_mse": valueMSE, "value_sign": valueSignAccuracy, "samples_per_s": samplesPerSecond,
        ]
        if batches > 0 { j["loss"] = loss }
        if replyLossSum > 0 { j["reply_loss"] = replyLoss }
        if scoreLossSum > 0 { j["score_loss"] = scoreLoss }
        if ownershipLossSum > 0 { j["ownership_loss"] = ownershipLoss }
        if scored > 0 { j["score_error"] = scoreError }
        if ownedPoints > 0 { j["ownership_accuracy"] = ownershipAccuracy }
        return j
    }
}
