import GoRules

/// A node of the search tree. `valueSum` and `visits` are from the point of view of the player
/// who made the move into this node, so a parent picks the child with the best `q`.
final class SearchNode {
    var moves: [Move] = []
    var priors: [Float] = []
    var children: [SearchNode?] = []
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

    /// The child for a move, if it exists in the tree.
    func child(for move: Move) -> SearchNode? {
        guard let i = moves.firstIndex(of: move) else { return nil }
        return children[i]
    }
}
