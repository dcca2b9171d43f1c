import GoRules

/// A node of the search tree. `valueSum` and `visits` are from the point of view of the player
/// who made the move into this node, so a parent picks the child with the best `q`.
final class SearchNode {
    var moves: [Move] = []
    var priors: [Float] = []
    var children: [SearchNode?] = []
    /// The children at indices below this are all that were ever descended into (the others have
    /// neither visits nor virtual losses), so selection weighs only these and the best of the
    /// rest: an untried child's score is the first-play urgency plus its prior's share, so among
    /// them the highest prior wins (ties to the lower move index, the order they were listed in).
    var tried = 0
    /// The untried child of the highest prior (an index ≥ `tried`), or −1 until it is looked for.
    var bestUntried = -1
    var visits = 0
    var valueSum: Double = 0
    var virtualLoss = 0
    var expanded = false
    /// In the batch being gathered, waiting for its evaluation.
    var pending = false
    /// Set once the network's value of this position is known (for the player to move here).
    var evaluated = false
    var networkValue: Double = 0
    /// Σ of the score head's leads backed up through this node, for the player who moved here
    /// (tracked only when the network has the head).
    var scoreSum: Double = 0
    /// The score head's lead at this position, for the player to move here.
    var networkScore: Double = 0

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
