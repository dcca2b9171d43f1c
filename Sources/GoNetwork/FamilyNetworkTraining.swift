import NeuralNet

extension FamilyNetwork {
    /// Gradients of every trainable parameter from the gradients at the logits and values (and
    /// at the reply head's logits, the score head's output and the ownership head's, when they
    /// ran), after a training forward pass of the same batch.
    public func backward(
        batch: Int, dLogits dl: UnsafePointer<Float>, dValues dv: UnsafePointer<Float>,
        dReply: UnsafePointer<Float>? = nil, dScore: UnsafePointer<Float>? = nil,
        dOwnership: UnsafePointer<Float>? = nil
    ) {
        let n = batch * Self.points
        let f = family.filters
        let grid = trunkTrainedOnGrid ? GridTrunk.trainingBlocks(stem: stem, blocks) : nil
        let trunkOut = grid != nil ? gridTrunk.output.pointer : blocks.last?.output ?? stem.output.pointer
        let dT = dTrunkA.reserve(f * n)
        let dT2 = dTrunkB.reserve(f * n)

        // Policy head → dT.
        let p = family.policyFilters
        let dh = dHead.reserve(p * n)
        if let policyFC {
            let df = dFlat.reserve(batch * p * Self.points)
            policyFC.backward(policyFlat.pointer, dl, df, batch: batch)
            Reshape.unflatten(df, dh, channels: p, batch: batch, points: Self.points)
        } else if let policyOut, let policyPass {
            let dBoard = dFlat.reserve(n)
            let dPass = dSmall.reserve(batch)
            for b in 0..<batch {
                (dBoard + b * Self.points).update(from: dl + b * Self.moves, count: Self.points)
                dPass[b] = dl[b * Self.moves + Self.points]
            }
            let dPooled = dSmall2.reserve(batch * p)
            policyPass.backward(policyPooled.pointer, dPass, dPooled, batch: batch)
            Reshape.meanPoolBackward(dPooled, dh, channels: p, batch: batch, points: Self.points)
            let dh2 = dHead2.reserve(p * n)
            policyOut.backward(policyUnit.output.pointer, dBoard, dh2, batch: batch, columns: scratch.columns)
            for i in 0..<(p * n) { dh[i] += dh2[i] }
        }
        if let dReply, let replyHead {
            replyHead.backward(
                policyUnit.output.pointer, dLogits: dReply, addingTo: dh, batch: batch, columns: scratch.columns)
        }
        policyUnit.backward(
            trunkOut, dh, dT, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)

        // Value head → dT2, then dT += dT2.
        let hiddenCount = batch * family.valueHidden
        let dPre = dSmall.reserve(batch)
        Activations.tanhBackward(values.pointer, dv, dPre, count: batch)
        let dHidden = dSmall2.reserve(hiddenCount)
        valueFC2.backward(valueHidden.pointer, dPre, dHidden, batch: batch)
        if let dScore, let scoreHead {
            let extra = dScoreHidden.reserve(hiddenCount)
            scoreHead.backward(valueHidden.pointer, dScore, extra, batch: batch)
            for i in 0..<hiddenCount { dHidden[i] += extra[i] }
        }
        Activations.reluBackward(valueHidden.pointer, dHidden, dHidden, count: hiddenCount)
        let v = family.valueFilters
        let dvh = dHead.reserve(v * n)
        if family.valueHead == .fc {
            let df = dFlat.reserve(batch * v * Self.points)
            valueFC1.backward(valueIn.pointer, dHidden, df, batch: batch)
            Reshape.unflatten(df, dvh, channels: v, batch: batch, points: Self.points)
        } else {
            let dPooled = dFlat.reserve(batch * v)
            valueFC1.backward(valueIn.pointer, dHidden, dPooled, batch: batch)
            Reshape.meanPoolBackward(dPooled, dvh, channels: v, batch: batch, points: Self.points)
        }
        if let dOwnership, let ownershipHead {
            ownershipHead.backward(
                valueUnit.output.pointer, dOwned: dOwnership, addingTo: dvh, batch: batch, columns: scratch.columns)
        }
        valueUnit.backward(
            trunkOut, dvh, dT2, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)
        for i in 0..<(f * n) { dT[i] += dT2[i] }

        if let grid {
            gridTrunk.backward(dT, batch: batch, stem: stem, blocks: grid, columns: scratch.columns)
            return
        }
        // Trunk, last block first; dOut and dx alternate between the two trunk buffers.
        var dOut = dT
        var dIn = dT2
        for i in stride(from: blocks.count - 1, through: 0, by: -1) {
            let x = i == 0 ? stem.output.pointer : blocks[i - 1].output
            blocks[i].backward(x, dOut, dIn, batch: batch, scratch: scratch)
            swap(&dOut, &dIn)
        }
        stem.backward(
            input.pointer, dOut, nil, batch: batch, points: Self.points, dPre: scratch.dPre, columns: scratch.columns)
    }

    /// Training forward pass, the multi-output loss and backward: every trainable parameter's
    /// `grad` holds the gradient of the returned total.
    public func lossAndGradients(_ batch: TrainingBatch, weights: LossWeights) -> LossValue {
        let b = batch.count
        let (logits, values) = batch.planes.withUnsafeBufferPointer {
            forward(planes: $0.baseAddress!, batch: b, training: true, channelMajor: batch.channelMajor)
        }
        let dl = dLogits.reserve(b * Self.moves)
        let dv = dValues.reserve(b)
        let soft = batch.policyDistribution.count == b * Self.moves
        let policyLoss = batch.policyTargets.withUnsafeBufferPointer { t in
            batch.policyDistribution.withUnsafeBufferPointer { d in
                Loss.softmaxCrossEntropy(
                    logits: logits, batch: b, classes: Self.moves, targetIndices: t.baseAddress!,
                    distribution: soft ? d.baseAddress! : nil, scale: weights.policy, dLogits: dl)
            }
        }
        let valueLoss = batch.valueTargets.withUnsafeBufferPointer { t in
            batch.valueMask.withUnsafeBufferPointer { m in
                Loss.maskedSquaredError(
                    values, targets: t.baseAddress!, mask: m.baseAddress!, batch: b, scale: weights.value, dy: dv)
            }
        }
        // The reply head, where it is attached, weighted and the batch has its targets (−1: the
        // game ended after the move, no reply to learn).
        var replyLoss = 0.0
        var dReply: UnsafeMutablePointer<Float>?
        if let replyHead, weights.reply > 0, batch.replyTargets.count == b {
            let z = replyHead.forward(policyUnit.output.pointer, batch: b, columns: scratch.columns)
            let dz = dReplyLogits.reserve(b * Self.moves)
            replyLoss = batch.replyTargets.withUnsafeBufferPointer { t in
                Loss.softmaxCrossEntropy(
                    logits: z, batch: b, classes: Self.moves, targetIndices: t.baseAddress!, scale: weights.reply,
                    dLogits: dz)
            }
            dReply = dz
        }
        let heads = analysisHeadLosses(batch, weights: weights)
        backward(
            batch: b, dLogits: dl, dValues: dv, dReply: dReply, dScore: heads.dScore, dOwnership: heads.dOwnership)
        let l2 = Loss.l2(trainingParameters, coefficient: weights.l2)
        let total =
            Double(weights.policy) * policyLoss + Double(weights.value) * valueLoss + Double(weights.reply) * replyLoss
            + Double(weights.score) * heads.score + Double(weights.ownership) * heads.ownership + l2
        return LossValue(
            policy: policyLoss, value: valueLoss, reply: replyLoss, score: heads.score, ownership: heads.ownership,
            total: total)
    }

    /// The score and ownership heads' losses on the last forward pass (each head attached,
    /// weighted above zero, with its targets in the batch), and the gradients at their outputs.
    func analysisHeadLosses(_ batch: TrainingBatch, weights: LossWeights) -> (
        score: Double, ownership: Double, dScore: UnsafeMutablePointer<Float>?, dOwnership: UnsafeMutablePointer<Float>?
    ) {
        let b = batch.count
        // The score head on counted games, in units of 10 points so its error weighs like the value's.
        var scoreLoss = 0.0
        var dScore: UnsafeMutablePointer<Float>?
        if let scoreHead, weights.score > 0, batch.scoreTargets.count == b, batch.scoreMask.count == b {
            let y = scores.reserve(b)
            scoreHead.forward(valueHidden.pointer, y, batch: b)
            let dy = dScores.reserve(b)
            let targets = batch.scoreTargets.map { $0 / 10 }
            scoreLoss = targets.withUnsafeBufferPointer { t in
                batch.scoreMask.withUnsafeBufferPointer { m in
                    Loss.maskedSquaredError(
                        y, targets: t.baseAddress!, mask: m.baseAddress!, batch: b, scale: weights.score, dy: dy)
                }
            }
            dScore = dy
        }
        // The ownership head on counted games: the squared error averaged over the board, so that
        // its weight compares with the value's.
        var ownershipLoss = 0.0
        var dOwnership: UnsafeMutablePointer<Float>?
        let points = Self.points
        if let ownershipHead, weights.ownership > 0, batch.ownershipTargets.count == b * points,
            batch.ownershipMask.count == b
        {
            let y = ownershipHead.forward(valueUnit.output.pointer, batch: b, columns: scratch.columns)
            let dy = dOwned.reserve(b * points)
            let g = weights.ownership * 2 / Float(b * points)
            var total = 0.0
            for s in 0..<b {
                let m = batch.ownershipMask[s]
                for i in s * points..<(s + 1) * points {
                    let e = y[i] - batch.ownershipTargets[i]
                    total += Double(m * e * e)
                    dy[i] = g * m * e
                }
            }
            ownershipLoss = total / Double(b * points)
            dOwnership = dy
        }
        return (scoreLoss, ownershipLoss, dScore, dOwnership)
    }

    /// `--heads-only` training: the network runs as it plays (inference, batch norm folded, never
    /// changed) and only the score and ownership heads' parameters get gradients.
    public func analysisHeadsLossAndGradients(_ batch: TrainingBatch, weights: LossWeights) -> LossValue {
        let b = batch.count
        let n = b * Self.points
        batch.planes.withUnsafeBufferPointer {
            _ = forward(planes: $0.baseAddress!, batch: b, training: false, channelMajor: batch.channelMajor)
        }
        let heads = analysisHeadLosses(batch, weights: weights)
        if let dScore = heads.dScore, let scoreHead { scoreHead.backward(valueHidden.pointer, dScore, nil, batch: b) }
        if let dOwned = heads.dOwnership, let ownershipHead {
            // The features' gradient goes nowhere: the network stays as it is.
            let sink = dHead.reserve(family.valueFilters * n)
            ownershipHead.backward(
                valueUnit.output.pointer, dOwned: dOwned, addingTo: sink, batch: b, columns: scratch.columns)
        }
        let total = Double(weights.score) * heads.score + Double(weights.ownership) * heads.ownership
        return LossValue(policy: 0, value: 0, reply: 0, score: heads.score, ownership: heads.ownership, total: total)
    }

    /// The score and ownership heads' parameters, what `--heads-only` trains.
    public var analysisHeadParameters: [Parameter] {
        (scoreHead.map { [$0.weight, $0.bias] } ?? []) + (ownershipHead?.parameters ?? [])
    }
}
