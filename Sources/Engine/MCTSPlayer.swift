import Foundation
import GoNetwork
import GoRules

/// Settings of the search. Values are in gonet's [-1, 1] value scale; Leela Zero's and
/// KataGo's constants are on a [0, 1] win-rate scale, where an exploration constant is half as
/// large for the same search.
public struct SearchSettings: Sendable {
    /// Playouts per move (when no time limit applies first). 400 is the setting gonet's strength
    /// is measured at (docs/STRENGTH.md); it takes 0.16 s a move for the budget
    /// network and 0.5 s for the medium one on one thread.
    public var visits: Int = 400
    /// Seconds per move, if set (the clock's budget caps it too).
    public var seconds: Double?
    /// Leaves evaluated together by the network (virtual loss keeps them apart). 8: on 2 threads
    /// `gonet bench search` measured 1,126 playouts/s at 8 and 1,172 at 16 on the medium network
    /// (README "Search"), and a smaller batch keeps the virtual loss from spreading a short search.
    public var batchSize: Int = 8
    /// PUCT exploration constant. Measured with `gonet match`, budget network against itself:
    /// at 400 visits 0.8 beat 1.5 (Leela Zero 0.17's 0.8 rescaled) 20–7 (74.1% [55.3, 86.8],
    /// +182 Elo [+37, +328]); at 100 visits 0.8 vs 1.5 25–15 and 3.0 vs 1.5 15–25
    /// (docs/STRENGTH.md). The two changes (this and FPU 0.5) were measured one at a time; together,
    /// the longer-trained budget network at 400 visits beat GNU Go level 10 25–10 (71.4%).
    public var cPuct: Double = 0.8
    /// First-play urgency reduction: an unvisited child is valued at the parent's value minus this
    /// times √(prior mass visited). 0.5 is Leela Zero's 0.25 on its [0, 1] scale. Measured with
    /// `gonet match`, budget network, 100 visits, 40 games: 0.5 beat 0.25 27–13 (67.5%
    /// [52.0, 79.9], +127 Elo [+14, +240]); docs/STRENGTH.md.
    public var fpuReduction: Double = 0.5
    /// Use the board's 8 symmetries: the root's priors and value are the network's averaged over
    /// all of them (8 evaluations a move), and each batch of leaves is evaluated in a random one,
    /// so that one orientation's mistakes do not run through the whole tree (Leela Zero and
    /// KataGo evaluate in a random symmetry too). Averaging adds 1.6 points of top-1 to the
    /// budget network's policy (docs/STRENGTH.md).
    public var symmetries = true
    /// Share of random playouts in a leaf's value from move `playoutsFromMove` on: the value is
    /// (1 − w) · the network's + w · the playouts' mean result (+1 won, −1 lost, with komi), as
    /// AlphaGo mixed its value network with rollouts. Networks trained on human games (which end by
    /// resignation) judge positions against a program badly: in the medium network's 59 games
    /// against GNU Go level 10 (2026-11-27, docs/STRENGTH.md) its value called the
    /// network's side the winner in 93–100% of the positions at moves 100–249 of the games it lost
    /// (balanced accuracy 52–54%, a coin), while the sign of the mean score of 128 random playouts
    /// had a balanced accuracy of 64% at moves 100–149, 67% at 150–199, 73% at 200–249 and 82% after.
    /// 0.5 is AlphaGo's mixing weight; measured with `gonet match`, medium network at 400 visits
    /// against level 10, 60 games each on the same openings: 50–10 (83.3% [72.0, 90.7]) with it
    /// and the symmetries, 45–14 (76.3% [64.0, 85.3]) without either. The budget network, 30 games
    /// each on the same day: 24–6 with it, 25–5 at 0 (docs/STRENGTH.md). 0 turns playouts off.
    public var playoutWeight: Double = 0.5
    /// Random playouts per leaf when `playoutWeight` > 0. 4 make a 400-visit search on the medium
    /// network 12% slower (9 positions at moves 150–250, one thread: 0.64 s → 0.72 s a move).
    public var playoutsPerLeaf = 4
    /// The move from which playouts count: before move 100 neither the value nor the playouts'
    /// score foretold the result better than a coin (balanced accuracy 50% and 52%).
    public var playoutsFromMove = 100
    /// The move from which a winning search plays no doomed stones (`Endgame.safePlayFromMove`).
    public var safePlayFromMove = Endgame.safePlayFromMove
    /// Dirichlet noise at the root (self-play exploration).
    public var dirichletNoise = false
    /// α = 0.03 and weight 0.25: AlphaGo Zero's values for 19x19 Go.
    var dirichletAlpha: Double = 0.03
    var dirichletWeight: Double = 0.25
    /// Resign when the best move's win rate falls below this.
    public var resignThreshold: Double?
    /// Seed of the root's Dirichlet noise and of move sampling.
    public var seed: UInt64 = 1

    /// The defaults, each explained where it is declared.
    public init() {}
}

/// PUCT Monte-Carlo tree search guided by the network's policy and value: batched evaluations
/// with virtual loss, the board's symmetries (an averaged root, a random one per batch of
/// leaves), first-play urgency reduction, tree reuse between moves, optional Dirichlet
/// noise, visit or time limits, resignation, and terminal positions (two passes) valued by
/// Tromp-Taylor area scoring. The endgame judgement (docs/ENDGAME.md) prunes the root: worthless
/// moves and the pass go while worthwhile moves remain; a settled position is cleaned up and
/// passed without a search.
public final class MCTSPlayer: Ranker {
    let network: PolicyValueNetwork
    /// Whether the network has a score head, whose leads the search then averages as it does values.
    let scores: Bool
    /// The search's settings, changeable between moves.
    public var settings: SearchSettings
    var root: SearchNode?
    /// The game the root stands for.
    var rootGame: Game?
    /// The moves the root was pruned to (nil: not pruned, as a subtree kept from the last move).
    var rootAllowed: Set<Move>?
    var rng: RandomSource
    /// Candidate points of the leaf playouts, kept so a playout never allocates.
    private var playoutScratch: [Int16] = []
    /// Playouts of the last search (for benchmarks).
    private(set) var lastPlayouts = 0
    /// Network evaluations of the last search.
    public private(set) var lastEvaluations = 0
    /// Seconds the last search spent inside the network (the rest is the search's own work).
    public private(set) var lastNetworkSeconds = 0.0
    /// Visits already in the tree for the current position (kept from earlier searches).
    public var rootVisits: Int { root?.visits ?? 0 }
    /// An analysis client's bounds on the next searches (visits, stop, report interval).
    public var control = SearchControl()

    /// A player searching with `network` under `settings`.
    public init(network: PolicyValueNetwork, settings: SearchSettings = SearchSettings()) {
        self.network = network
        self.settings = settings
        scores = network.analysisHeads.contains(.score)
        rng = RandomSource(seed: settings.seed)
    }

    /// A search: more visits can change its choice.
    public var searches: Bool { true }

    /// The network it plays, whose analysis heads an analysis reads.
    public var analysisNetwork: PolicyValueNetwork? { network }

    /// Forgets the search tree (a new game or a position set up anew).
    public func reset() {
        root = nil
        rootGame = nil
        rootAllowed = nil
    }

    /// Keeps the subtree under `move` for the next search.
    public func played(_ move: PlayedMove) {
        guard let r = root, var g = rootGame, move.color == g.toMove, let child = r.child(for: move.move) else {
            reset()
            return
        }
        do { try g.play(move.move, by: move.color) } catch {
            reset()
            return
        }
        root = child
        rootGame = g
        rootAllowed = nil
    }

    /// The move, as the conductor (`Ranker.conduct`) makes it of this player's ranking.
    public func decide(
        _ game: Game, color: Stone, seconds: Double?, restrictions: MoveRestrictions,
        analysis: ((Decision) -> Void)?
    ) -> Decision {
        conduct(game, color: color, seconds: seconds, restrictions: restrictions, analysis: analysis)
    }

    // MARK: Ranker

    var resignThreshold: Double? { settings.resignThreshold }
    var safePlayFromMove: Int { settings.safePlayFromMove }
    var judgementPlayouts: Int { Territory.defaultPlayouts }
    var judgementSeed: UInt64 { settings.seed }

    /// The network's win rate, one evaluation in the board's own orientation.
    func value(_ game: Game) -> Double {
        let (_, value) = network.evaluate([EncodedPosition(game)])
        return Double(value[0] + 1) / 2
    }

    /// The search's ranking: the root pruned to `allowed`, searched for the visits or the
    /// seconds given (the tree kept when it stands for this very position and restrictions).
    func rank(_ g: Game, allowed: Set<Move>, seconds: Double?, analysis: ((Decision) -> Void)?) -> Ranking {
        // Reuse the tree when it stands for this very position and holds every allowed move
        // (pruning cannot be undone: a root pruned to fewer moves is searched anew).
        if let rg = rootGame, rg.moves != g.moves || rg.toMove != g.toMove || rg.board.hash != g.board.hash { reset() }
        if let pruned = rootAllowed, !allowed.isSubset(of: pruned) { reset() }
        rootAllowed = allowed
        if root == nil {
            root = SearchNode()
            rootGame = g
        }
        let r = root!
        let limit = [seconds, settings.seconds].compactMap { $0 }.min()
        let start = Date()
        lastPlayouts = 0
        lastEvaluations = 0
        lastNetworkSeconds = 0
        if settings.symmetries { evaluateRoot(r, g) } else if !r.evaluated { evaluate([(r, g)]) }
        if !r.expanded { expand(r, g) }
        // Pass pruning: while worthwhile moves remain, passing at the root is never the answer.
        restrict(r, to: allowed)
        if settings.dirichletNoise { addNoise(r) }
        var lastReport = Date()
        let visits = control.visits ?? settings.visits
        while r.visits < visits {
            if let limit, Date().timeIntervalSince(start) >= limit { break }
            if control.stop?() == true { break }
            runBatch(r, g)
            if let analysis, Date().timeIntervalSince(lastReport) > control.reportInterval {
                analysis(summary(r, g))
                lastReport = Date()
            }
        }
        let s = summary(r, g)
        // The search's win rate counts only on a search of some size: a handful of visits says little.
        return Ranking(
            candidates: s.candidates, winrate: s.winrate, scoreLead: s.scoreLead, searched: true, visits: r.visits,
            trusted: r.visits >= min(visits, Self.resignMinimumVisits))
    }

    /// The most visited move (ties to the higher prior): the first of the ranking.
    func pick(_ candidates: [MoveInfo]) -> Move { candidates[0].move }

    /// Visits a search needs before its win rate may resign the game (or all of them, when fewer are asked).
    static let resignMinimumVisits = 50

    /// Keeps only the `allowed` moves at an expanded node (children and priors in step), priors renormalised.
    func restrict(_ node: SearchNode, to allowed: Set<Move>) {
        let keep = node.moves.indices.filter { allowed.contains(node.moves[$0]) }
        guard keep.count < node.moves.count, !keep.isEmpty else { return }
        // The kept tried children stay in front (`SearchNode.tried`).
        node.tried = keep.filter { $0 < node.tried }.count
        node.bestUntried = -1
        node.moves = keep.map { node.moves[$0] }
        node.children = keep.map { node.children[$0] }
        var priors = keep.map { node.priors[$0] }
        let total = priors.reduce(0, +)
        if total > 0 { priors = priors.map { $0 / total } }
        node.priors = priors
    }

    // MARK: Search

    /// Selects up to `batchSize` leaves under virtual loss, evaluates them together, backs up.
    /// A descent that reaches a leaf already in the batch (a collision) keeps its virtual loss
    /// until the batch is backed up, so the next descents turn elsewhere and the batch fills;
    /// after `batchSize` collisions the batch goes as it is (a tree that narrow has nothing
    /// else worth evaluating now).
    func runBatch(_ root: SearchNode, _ rootGame: Game) {
        var leaves: [(SearchNode, Game, [SearchNode])] = []
        var terminal: [([SearchNode], Double, Double)] = []
        var collided: [[SearchNode]] = []
        while leaves.count + terminal.count < settings.batchSize && collided.count < settings.batchSize {
            var node = root
            var game = rootGame
            var path = [root]
            var value: Double? = nil
            var margin = 0.0
            while true {
                if !node.expanded {
                    // A leaf waiting for the network (or in this batch already) ends the descent;
                    // an evaluated one lists its moves now that a descent goes through it.
                    guard node.evaluated else { break }
                    expand(node, game)
                }
                let i = select(node)
                let move = node.moves[i]
                // Below the root expansion lists every empty point (`expand`), so a move is
                // checked when a descent first tries it: one that fills the mover's own eye, is
                // suicide, retakes a ko or repeats an earlier position goes, and this node chooses
                // again (pass is always legal, so one remains).
                if node.children[i] == nil, case .play(let p) = move, game.board.isEye(p, of: game.toMove) {
                    node.removeChild(i)
                    continue
                }
                do { try game.play(move) } catch {
                    node.removeChild(i)
                    continue
                }
                if node.children[i] == nil { node.children[i] = SearchNode() }
                node = node.children[i]!
                path.append(node)
                if game.isOver {
                    // Two passes: the board's Tromp-Taylor result, for the player to move now.
                    let s = game.score()
                    value = s.winner == nil ? 0 : (s.winner == game.toMove ? 1 : -1)
                    margin = game.toMove == .black ? s.margin : -s.margin
                    break
                }
            }
            for n in path { n.virtualLoss += 1 }
            if let value {
                terminal.append((path, value, margin))
                lastPlayouts += 1
            } else if node.pending {
                collided.append(path)
            } else {
                node.pending = true
                leaves.append((node, game, path))
                lastPlayouts += 1
            }
        }
        evaluate(leaves.map { ($0.0, $0.1) })
        for (leaf, game, path) in leaves {
            leaf.pending = false
            backup(path, leafValue(leaf, game), score: leaf.networkScore)
        }
        for (path, v, margin) in terminal { backup(path, v, score: margin) }
        for path in collided { for n in path { n.virtualLoss -= 1 } }
    }

    /// PUCT with first-play urgency reduction, over the tried children and the best untried one
    /// (`SearchNode.tried`: the same choice as weighing every child, ties to the lower move index,
    /// at the cost of the few children a node has tried instead of its ~300 moves). The chosen
    /// child's index is returned after it has joined the tried ones.
    @inline(__always)
    func select(_ node: SearchNode) -> Int {
        let parentVisits = Double(node.visits + node.virtualLoss)
        let sqrtN = max(parentVisits, 1).squareRoot()
        // The parent's value for the player choosing here.
        let parentQ = node.visits > 0 ? -node.q() : node.networkValue
        var visitedPrior: Double = 0
        for i in 0..<node.tried {
            if let c = node.children[i], c.visits + c.virtualLoss > 0 { visitedPrior += Double(node.priors[i]) }
        }
        let fpu = parentQ - settings.fpuReduction * visitedPrior.squareRoot()
        var best = -1
        var bestScore = -Double.infinity
        func weigh(_ i: Int) {
            let c = node.children[i]
            let n = Double((c?.visits ?? 0) + (c?.virtualLoss ?? 0))
            let q = n > 0 ? c!.q() : fpu
            let score = q + settings.cPuct * Double(node.priors[i]) * sqrtN / (1 + n)
            if score > bestScore
                || (score == bestScore
                    && node.moves[i].index(size: Board.standardSize) < node.moves[best].index(size: Board.standardSize))
            {
                bestScore = score
                best = i
            }
        }
        for i in 0..<node.tried { weigh(i) }
        let untried = node.findBestUntried()
        if let i = untried { weigh(i) }
        // Non-finite scores (a broken network) weigh nothing: take the best untried, else the first.
        if best < 0 { best = untried ?? 0 }
        if best >= node.tried {
            node.markTried(best)
            best = node.tried - 1
        }
        return best
    }

    /// The leaf's value for its side to move: the network's, mixed with random playouts' results
    /// as `settings.playoutWeight` says.
    func leafValue(_ leaf: SearchNode, _ game: Game) -> Double {
        let w = settings.playoutWeight
        guard w > 0, settings.playoutsPerLeaf > 0, game.moves.count + 1 >= settings.playoutsFromMove else {
            return leaf.networkValue
        }
        let color = game.toMove
        var sum = 0.0
        for _ in 0..<settings.playoutsPerLeaf {
            var b = game.board
            b.playRandomGame(
                from: color, using: &rng, maxMoves: b.playoutMoveCap, scratch: &playoutScratch, avoidSelfAtari: true)
            let winner = b.areaScore(komi: game.komi).winner
            sum += winner == nil ? 0 : winner == color ? 1 : -1
        }
        return (1 - w) * leaf.networkValue + w * sum / Double(settings.playoutsPerLeaf)
    }

    /// Values (and score leads) from the leaf's side to move, up the path with alternating signs;
    /// removes virtual losses.
    func backup(_ path: [SearchNode], _ leafValue: Double, score: Double) {
        // The leaf's value for the player who moved into it is the opposite of its own.
        var v = -leafValue
        var lead = -score
        for n in path.reversed() {
            n.virtualLoss -= 1
            n.visits += 1
            n.valueSum += v
            n.scoreSum += lead
            v = -v
            lead = -lead
        }
    }

    /// Runs the network on the positions (in one random symmetry when `settings.symmetries`); the
    /// nodes keep the policy for their expansion (`expand`).
    func evaluate(_ items: [(SearchNode, Game)]) {
        guard !items.isEmpty else { return }
        let symmetry = settings.symmetries ? rng.below(8) : 0
        let positions = items.map { EncodedPosition($0.1) }
        let clock = ContinuousClock.now
        let (policy, values) = network.evaluate(positions, symmetry: symmetry)
        lastNetworkSeconds += Self.seconds(since: clock)
        // A lead is a number of points: the same in every orientation.
        let leads = scores ? network.lastScores(batch: items.count) : nil
        lastEvaluations += items.count
        for (k, (node, _)) in items.enumerated() {
            node.keep(policy: policy, at: k * Features.moves, value: values[k])
            if let leads { node.networkScore = Double(leads[k]) }
        }
    }

    /// Gives an evaluated node its moves and pass, empty children and the priors of its kept
    /// policy. The root lists the sensible moves (`Moves.sensible`); below it every empty point is
    /// listed unchecked, and the few a descent ever tries are checked then (`runBatch`). Checking
    /// every point of every node took about a quarter of the search's own work (perf of a
    /// 20,000-visit search of the budget network, docs/RESULTS.md "The search's own work"), and a
    /// node tries a handful. Expansion also waits for the first descent through the node: a leaf
    /// visited once never lists its moves (a fifth of the evaluated nodes in such a search).
    private func expand(_ node: SearchNode, _ game: Game) {
        let points = node === root ? Moves.sensible(game, game.toMove) : game.board.emptyPoints
        var moves: [Move] = []
        moves.reserveCapacity(points.count + 1)
        for p in points { moves.append(.play(p)) }
        moves.append(.pass)
        node.moves = moves
        node.tried = 0
        node.children = [SearchNode?](repeating: nil, count: node.moves.count)
        node.expanded = true
        setPriors(node)
    }

    /// Evaluates the root averaged over the 8 symmetries; a root kept from an earlier search keeps
    /// its moves and children and takes the averaged priors.
    func evaluateRoot(_ node: SearchNode, _ game: Game) {
        let clock = ContinuousClock.now
        let (policy, values) = network.evaluateSymmetric([EncodedPosition(game)])
        lastNetworkSeconds += Self.seconds(since: clock)
        let leads = scores ? network.lastScores(batch: 8) : nil
        lastEvaluations += 8
        node.keep(policy: policy, at: 0, value: values[0])
        if node.expanded { setPriors(node) } else { expand(node, game) }
        if let leads { node.networkScore = Double(leads.reduce(0, +) / 8) }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The node's priors over its moves from its kept policy, renormalised; the policy goes.
    private func setPriors(_ node: SearchNode) {
        let base = node.policyStart
        var priors = node.policy.withUnsafeBufferPointer { policy in
            node.moves.map { policy[base + $0.index(size: Board.standardSize)] }
        }
        let total = priors.reduce(0, +)
        if total > 0 { for i in priors.indices { priors[i] /= total } }
        node.priors = priors
        node.bestUntried = -1
        node.policy = []
    }

    func addNoise(_ node: SearchNode) {
        guard node.expanded, !node.priors.isEmpty else { return }
        var noise = node.priors.map { _ in rng.gamma(settings.dirichletAlpha) }
        let total = noise.reduce(0, +)
        if total > 0 { noise = noise.map { $0 / total } }
        let w = settings.dirichletWeight
        node.priors = zip(node.priors, noise).map { Float((1 - w) * Double($0) + w * $1) }
        node.bestUntried = -1
    }

    /// Candidates by visits with win rates, priors and principal variations.
    func summary(_ r: SearchNode, _ g: Game) -> Decision {
        var infos: [MoveInfo] = []
        var unvisited: [MoveInfo] = []
        for i in r.moves.indices {
            guard let c = r.children[i], c.visits > 0 else {
                // Listed after the visited ones, for clients that ask for a minimum (`minmoves`).
                unvisited.append(
                    MoveInfo(
                        move: r.moves[i], visits: 0, winrate: (r.networkValue + 1) / 2, prior: Double(r.priors[i]),
                        pv: [r.moves[i]], scoreLead: scores ? r.networkScore : nil))
                continue
            }
            var pv = [r.moves[i]]
            var pvVisits = [c.visits]
            var n = c
            // The most visited child, ties to the lower move index (children are kept in the order tried).
            func rank(_ k: Int) -> (Int, Int) {
                (n.children[k]?.visits ?? 0, -n.moves[k].index(size: Board.standardSize))
            }
            while n.expanded, let j = n.children.indices.max(by: { rank($0) < rank($1) }),
                let next = n.children[j], next.visits > 0, pv.count < 12
            {
                pv.append(n.moves[j])
                pvVisits.append(next.visits)
                n = next
            }
            infos.append(
                MoveInfo(
                    move: r.moves[i], visits: c.visits, winrate: (c.q() + 1) / 2, prior: Double(r.priors[i]), pv: pv,
                    pvVisits: pvVisits, scoreLead: scores ? c.scoreSum / Double(c.visits) : nil))
        }
        // Ties to the lower move index: the order never depends on the order children were tried.
        infos.sort {
            ($0.visits, $0.prior, -$0.move.index(size: Board.standardSize)) > (
                $1.visits, $1.prior, -$1.move.index(size: Board.standardSize)
            )
        }
        let winrate = infos.first?.winrate ?? (r.networkValue + 1) / 2
        let lead = scores ? infos.first?.scoreLead ?? r.networkScore : nil
        infos += unvisited.sorted {
            ($0.prior, -$0.move.index(size: Board.standardSize)) > ($1.prior, -$1.move.index(size: Board.standardSize))
        }
        return Decision(
            move: infos.first?.move ?? .pass, resign: false, candidates: infos, winrate: winrate, scoreLead: lead)
    }
}
