import GoNetwork
import GoRules
import XCTest

@testable import Engine

/// The search's selection weighs only the children it has tried and the best untried one; it
/// must choose exactly what weighing every child chooses.
final class SelectionTests: XCTestCase {
    /// PUCT over every child, ties to the lower move index: the rule `MCTSPlayer.select` keeps.
    func everyChild(_ node: SearchNode, _ s: SearchSettings) -> Move {
        let sqrtN = max(Double(node.visits + node.virtualLoss), 1).squareRoot()
        let parentQ = node.visits > 0 ? -node.q() : node.networkValue
        var visitedPrior = 0.0
        for i in node.moves.indices where (node.children[i]?.visits ?? 0) + (node.children[i]?.virtualLoss ?? 0) > 0 {
            visitedPrior += Double(node.priors[i])
        }
        let fpu = parentQ - s.fpuReduction * visitedPrior.squareRoot()
        var best: (score: Double, index: Int)? = nil
        for i in node.moves.indices {
            let c = node.children[i]
            let n = Double((c?.visits ?? 0) + (c?.virtualLoss ?? 0))
            let score = (n > 0 ? c!.q() : fpu) + s.cPuct * Double(node.priors[i]) * sqrtN / (1 + n)
            let index = node.moves[i].index(size: 19)
            if best == nil || score > best!.score
                || (score == best!.score && index < node.moves[best!.index].index(size: 19))
            {
                best = (score, i)
            }
        }
        return node.moves[best!.index]
    }

    func testTriedChildrenAndTheBestUntriedChooseAsEveryChildDoes() {
        var rng = RandomSource(seed: 42)
        var settings = SearchSettings()
        settings.symmetries = false
        let player = MCTSPlayer(network: uniformNetwork(), settings: settings)
        for trial in 0..<40 {
            let node = SearchNode()
            // Points in index order and the pass, as expansion lists them; priors with ties.
            node.moves = (0..<361).filter { _ in rng.below(3) > 0 }.map { Move.play(Point(index: $0)) } + [.pass]
            node.priors = node.moves.map { _ in Float(rng.below(trial % 2 == 0 ? 4 : 1000) + 1) }
            node.children = [SearchNode?](repeating: nil, count: node.moves.count)
            node.expanded = true
            node.networkValue = rng.uniform() * 2 - 1
            for step in 0..<300 {
                if step == 150 {
                    // Priors replaced mid-search, as a kept root's are: the untried best is looked for anew.
                    node.priors = node.priors.map { _ in Float(rng.below(50) + 1) }
                    node.bestUntried = -1
                }
                let expected = everyChild(node, settings)
                let i = player.select(node)
                XCTAssertEqual(node.moves[i], expected, "trial \(trial), step \(step)")
                if node.children[i] == nil { node.children[i] = SearchNode() }
                let child = node.children[i]!
                // A visit with a random value, or a pending one (virtual loss) now and then.
                if rng.below(5) == 0 {
                    child.virtualLoss += 1
                    node.virtualLoss += 1
                } else {
                    child.visits += 1
                    child.valueSum += rng.uniform() * 2 - 1
                    node.visits += 1
                    node.valueSum += rng.uniform() * 2 - 1
                }
                if rng.below(7) == 0, let pending = node.children.firstIndex(where: { ($0?.virtualLoss ?? 0) > 0 }) {
                    node.children[pending]!.virtualLoss -= 1
                    node.virtualLoss -= 1
                }
            }
            // The tried children are all in front.
            XCTAssertTrue(
                node.children[node.tried...].allSatisfy { ($0?.visits ?? 0) + ($0?.virtualLoss ?? 0) == 0 },
                "trial \(trial)")
        }
    }
}
