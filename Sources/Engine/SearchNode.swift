import GoRules

/// A node of the search tree. `valueSum` and `visits` are from the point of view of the player
/// who made the move into this node, so a parent picks the child with the best `q`.
///
/// Its properties skip Swift's run-time exclusivity checks: every descent reads and writes them,
/// and the checks took about 1% of `gonet bench search`'s time (perf, budget network, leaf batch
/// 8). One search runs on one thread, and no code holds an access to a property across another.
final class SearchNode {
    @exclusivity(unchecked) var moves: [Move] = []
    @exclusivity(unchecked) var priors: [Float] = []
    @exclusivity(unchecked) var children: [SearchNode?] = []
    /// The children at indices below this are all that were ever descended into (the others have
    /// neither visits nor virtual losses), so selection weighs only these and the best of the
    /// rest: an untried child's score is the first-play urgency plus its prior's share, so among
    /// them the highest prior wins (ties to the lower move index, the order they were listed in).
    @exclusivity(unchecked) var tried = 0
    /// The untried child of the highest prior (an index ≥ `tried`), or −1 until it is looked for.
    @exclusivity(unchecked) var bestUntried = -1
    @exclusivity(unchecked) var visits = 0
    @exclusivity(unchecked) var valueSum: Double = 0
    @exclusivity(unchecked) var virtualLoss = 0
    @exclusivity(unchecked) var expanded = false
    /// In the batch being gathered, waiting for its evaluation.
    @exclusivity(unchecked) var pending = false
    /// Set once the network's value of this position is known (for the player to move here).
    @exclusivity(unchecked) var evaluated = false
    @exclusivity(unchecked) var networkValue: Double = 0
    /// Σ of the score head's leads backed up through this node, for the player who moved here
    /// (tracked only when the network has the head).
    @exclusivity(unchecked) var scoreSum: Double = 0
    /// The score head's lead at this position, for the player to move here.
    @exclusivity(unchecked) var networkScore: Double = 0
    /// The network's policy for this position from its evaluation until the node is expanded:
    /// the whole batch's output, shared by the batch's leaves, and where this position's 362
    /// entries start in it. Expansion waits for the first descent through the node, so a leaf
    /// visited once (most of a tree) never lists its moves.
    @exclusivity(unchecked) var policy: [Float] = []
    @exclusivity(unchecked) var policyStart = 0

    /// Keeps an evaluation's policy (entries `start..<start + 362` of `policy`) and value.
    func keep(policy: [Float], at start: Int, value: Float) {
        self.policy = policy
        policyStart = start
        networkValue = Double(value)
        evaluated = true
    }

    /// Mean value for the player who moved here, counting pending (virtual) visits as losses.
    @inline(__always) func q(virtualLossWeight: Double = 1) -> Double {
        let n = Double(visits) + Double(virtualLoss) * virtualLossWeight
        guard n > 0 else { return 0 }
        return (valueSum - Double(virtualLoss) * virtualLossWeight) / n
    }

    /// Moves child `i` to index `tried` and counts it as tried.
    func markTried(_ i: Int) {
        let k = tried
        if i != k {
            moves.swapAt(i, k)
            priors.swapAt(i, k)
            children.swapAt(i, k)
        }
        tried += 1
        bestUntried = -1
    }

    /// Drops child `i`, a move found illegal or pointless after expansion (it has no subtree: it
    /// was never played); the other priors are renormalised, as if it had never been listed.
    func removeChild(_ i: Int) {
        moves.remove(at: i)
        priors.remove(at: i)
        children.remove(at: i)
        let rest = priors.reduce(0.0) { $0 + Double($1) }
        if rest > 0 { for k in priors.indices { priors[k] = Float(Double(priors[k]) / rest) } }
        if i < tried { tried -= 1 }
        bestUntried = -1
    }

    /// The untried child of the highest prior (ties to the lower move index), or nil when none is left.
    func findBestUntried() -> Int? {
        guard tried < moves.count else { return nil }
        if bestUntried < 0 {
            var best = tried
            for i in (tried + 1)..<moves.count
            where priors[i] > priors[best]
                || (priors[i] == priors[best]
                    && moves[i].index(size: Board.standardSize) < moves[best].index(size: Board.standardSize))
            {
                best = i
            }
            bestUntried = best
        }
        return bestUntried
    }

    /// The child for a move, if it exists in the tree.
    func child(for move: Move) -> SearchNode? {
        guard let i = moves.firstIndex(of: move) else { return nil }
        return children[i]
    }
}
