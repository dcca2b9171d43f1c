import Foundation
import GoNetwork
import GoRecords
import GoRules
import NeuralNet

/// Metrics of a network over archives, in inference mode (batch norm folded).
public enum Evaluator {
    /// Runs `net` over positions of `files` (validation side of the split when `validation`).
    /// With `symmetries`, policy probabilities and values are averaged over all 8 symmetries.
    /// `every` keeps one position in that many, so a capped evaluation spans many games: positions
    /// of one game share its result, and the first N positions of an archive are only ~N/200 games.
    /// `progress` hears the positions evaluated so far after each batch. A network with analysis
    /// heads (`AnalysisHeads`) has them measured too, on the counted games' positions; one without,
    /// with `estimates`, has what analysis shows in their place (`estimatesWithoutHeads`).
    public static func evaluate(
        _ net: PolicyValueNetwork, files: [String], validationFraction: Double = 0, validation: Bool = false,
        maxPositions: Int = .max, every: Int = 1, batch: Int = 256, symmetries: Bool = false,
        estimates: Bool = false, threads: Int = 1, progress: (Int) -> Void = { _ in }
    ) throws -> Metrics {
        var c = LoaderConfiguration(files: files)
        c.keepEvery = every
        c.batchSize = batch
        c.shuffleBuffer = 1
        c.randomSymmetry = false
        c.validationFraction = validationFraction
        c.validation = validation
        c.epochs = 1
        c.threads = threads
        let heads = net.analysisHeads
        c.ownership = heads.contains(.ownership) || (heads.isEmpty && estimates)
        let loader = try DataLoader(c)
        defer { loader.stop() }
        var m = Metrics()
        let start = Date()
        while m.positions < maxPositions, var b = loader.next() {
            if m.positions + b.count > maxPositions { b = b.prefix(maxPositions - m.positions) }
            if symmetries {
                let (logits, values) = averagedOverSymmetries(net, b)
                logits.withUnsafeBufferPointer { l in
                    values.withUnsafeBufferPointer { v in
                        m.add(
                            logits: l.baseAddress!, values: v.baseAddress!, targets: b.policyTargets,
                            valueTargets: b.valueTargets, mask: b.valueMask)
                    }
                }
            } else {
                let (l, v) = b.planes.withUnsafeBufferPointer {
                    net.forward(planes: $0.baseAddress!, batch: b.count, channelMajor: true)
                }
                m.add(logits: l, values: v, targets: b.policyTargets, valueTargets: b.valueTargets, mask: b.valueMask)
            }
            if !heads.isEmpty || estimates {
                // Heads and estimates read the plain orientation's forward pass (the symmetric one ends on another).
                if symmetries {
                    b.planes.withUnsafeBufferPointer {
                        _ = net.forward(planes: $0.baseAddress!, batch: b.count, channelMajor: true)
                    }
                }
                if !heads.isEmpty {
                    m.addHeads(score: net.lastScores(batch: b.count), ownership: net.lastOwnership(batch: b.count), b)
                } else {
                    let (score, ownership) = estimatesWithoutHeads(b, values: net.lastValues(batch: b.count))
                    m.addHeads(score: score, ownership: ownership, b)
                }
            }
            progress(m.positions)
        }
        m.seconds = Date().timeIntervalSince(start)
        // Metrics over a file that is not an archive, or one cut short, would be a silent lie.
        let errors = loader.statistics.errors
        if !errors.isEmpty { throw TrainingError(.file, errors.joined(separator: "; ")) }
        return m
    }

    /// What analysis shows for a network without heads, on a batch's counted positions: the win
    /// rate told in points (`ScoreLead`) and the share of random playouts (`Territory`, its
    /// default playouts) that end with each point the side to move's. Other positions get zeros,
    /// which `Metrics.addHeads` skips.
    static func estimatesWithoutHeads(_ b: TrainingBatch, values: [Float]) -> (score: [Float], ownership: [Float]) {
        let n = b.count
        let points = Features.points
        var score = [Float](repeating: 0, count: n)
        var ownership = [Float](repeating: 0, count: n * points)
        for s in 0..<n {
            if b.scoreMask.count == n, b.scoreMask[s] > 0 {
                score[s] = Float(ScoreLead.points(winrate: Double(values[s] + 1) / 2))
            }
            guard b.ownershipMask.count == n, b.ownershipMask[s] > 0 else { continue }
            let (board, toMove) = position(b, sample: s)
            let black = Territory(board, toMove: toMove, seed: UInt64(s) &+ 1).ownership
            let sign: Float = toMove == .black ? 1 : -1
            for i in 0..<points { ownership[s * points + i] = sign * Float(black[i]) }
        }
        return (score, ownership)
    }

    /// The stones and the side to move of sample `s` of a channel-major batch: ours in plane 0,
    /// theirs in plane 1, White to move in plane 5.
    static func position(_ b: TrainingBatch, sample s: Int) -> (board: Board, toMove: Stone) {
        let n = b.count
        let points = Features.points
        let plane = { (k: Int, i: Int) in b.planes[k * n * points + s * points + i] }
        let toMove: Stone = plane(5, 0) > 0 ? .white : .black
        var board = Board(size: Board.standardSize)
        for i in 0..<points {
            let p = Point(index: i)
            if plane(0, i) > 0 {
                board.place(p, toMove)
            } else if plane(1, i) > 0 {
                board.place(p, toMove.opponent)
            }
        }
        return (board, toMove)
    }

    /// Positions the loader would read from `files` (19x19 games without setup, on the asked side
    /// of the split), counted from the records without replaying them.
    public static func countPositions(files: [String], validationFraction: Double = 0, validation: Bool = false) -> Int
    {
        var total = 0
        for path in files {
            // A broken archive counts up to where it breaks: the loader reports it and uses what came before.
            guard let reader = try? GameArchiveReader(path: path) else { continue }
            while let r = try? reader.nextRecord() {
                guard r.size == 19, r.setup.isEmpty, r.edits.isEmpty else { continue }
                guard GameSplit.isValidation(r, fraction: validationFraction) == validation else { continue }
                total += r.moves.count
            }
        }
        return total
    }

    /// Log-probabilities (as logits) and values averaged over the 8 symmetries of each position.
    static func averagedOverSymmetries(_ net: PolicyValueNetwork, _ b: TrainingBatch) -> ([Float], [Float]) {
        let n = b.count
        var probs = [Float](repeating: 0, count: n * Features.moves)
        var values = [Float](repeating: 0, count: n)
        var transformed = [Float](repeating: 0, count: b.planes.count)
        for k in 0..<8 {
            // Move every plane point p to Symmetry.apply(k, p).
            let dest = Symmetry.destination[k]
            for plane in 0..<6 {
                for s in 0..<n {
                    let base = plane * n * Features.points + s * Features.points
                    for p in 0..<Features.points { transformed[base + Int(dest[p])] = b.planes[base + p] }
                }
            }
            let (l, v) = transformed.withUnsafeBufferPointer {
                net.forward(planes: $0.baseAddress!, batch: n, channelMajor: true)
            }
            var soft = [Float](repeating: 0, count: n * Features.moves)
            soft.withUnsafeMutableBufferPointer {
                Activations.softmax(l, $0.baseAddress!, rows: n, columns: Features.moves)
            }
            for s in 0..<n {
                // Back to the original orientation: the probability of move p is the transformed board's at apply(k, p).
                for p in 0..<Features.points {
                    probs[s * Features.moves + p] += soft[s * Features.moves + Int(dest[p])] / 8
                }
                probs[s * Features.moves + Features.points] += soft[s * Features.moves + Features.points] / 8
                values[s] += v[s] / 8
            }
        }
        return (probs.map { log(max($0, 1e-30)) }, values)
    }
}

extension TrainingBatch {
    /// The first `k` samples (channel-major planes).
    func prefix(_ k: Int) -> TrainingBatch {
        let n = count
        var planes = [Float]()
        planes.reserveCapacity(6 * k * Features.points)
        for p in 0..<6 {
            planes += self.planes[(p * n * Features.points)..<(p * n * Features.points + k * Features.points)]
        }
        var b = TrainingBatch(
            planes: planes, policyTargets: Array(policyTargets.prefix(k)), valueTargets: Array(valueTargets.prefix(k)),
            valueMask: Array(valueMask.prefix(k)), replyTargets: Array(replyTargets.prefix(k)),
            scoreTargets: Array(scoreTargets.prefix(k)), scoreMask: Array(scoreMask.prefix(k)), channelMajor: true)
        b.ownershipTargets = Array(ownershipTargets.prefix(k * Features.points))
        b.ownershipMask = Array(ownershipMask.prefix(k))
        return b
    }
}
