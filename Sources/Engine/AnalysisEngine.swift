import Foundation
import GoNetwork
import GoRules

/// One position of a reviewed game and what the search made of it.
public struct ReviewedPosition: Sendable {
    /// 0 before the first move, k after move k.
    public var turn: Int
    /// The side to move (the next move's player in the record).
    public var toMove: Stone
    /// The search's candidates and win rate, for `toMove`.
    public var decision: Decision
}

/// KataGo's JSON analysis engine protocol (what KaTrain and other review tools speak): one query
/// a line in, one answer a line out, several positions searched at once, the highest priority
/// first, answers in the order they finish. docs/analysis.md describes the fields gonet reads
/// and writes.
public final class AnalysisEngine: @unchecked Sendable {  // Its queue and output are used under their locks.
    /// One position of a query waiting for, or under, a search.
    private final class Task {
        let query: AnalysisQuery
        let turn: Int
        let priority: Int
        let order: Int
        /// Where a review's result goes instead of a JSON line.
        let deliver: ((ReviewedPosition) -> Void)?
        var stopped = false
        init(
            query: AnalysisQuery, turn: Int, priority: Int, order: Int, deliver: ((ReviewedPosition) -> Void)? = nil
        ) {
            self.query = query
            self.turn = turn
            self.priority = priority
            self.order = order
            self.deliver = deliver
        }
    }

    /// A searcher: its own player and network (a network keeps its activations, so each thread has one).
    public struct Worker {
        let player: Player
        let network: PolicyValueNetwork
        /// A worker that searches with `player` and reads raw policies from `network`.
        public init(player: Player, network: PolicyValueNetwork) {
            self.player = player
            self.network = network
        }
    }

    private let workers: [Worker]
    private let perspective: ReportPerspective
    private let version: String
    private let condition = NSCondition()
    private var waiting: [Task] = []
    private var running: [Task] = []
    private var submitted = 0
    private var closing = false
    private var threads: [Thread] = []
    private let outputLock = NSLock()
    private let write: (String) -> Void
    /// Random playouts behind each ownership answer where the network has no ownership head
    /// (`Territory.defaultPlayouts`).
    public var ownershipPlayouts = Territory.defaultPlayouts

    /// The longest line read: a 1,000-move query is about 15 KB; beyond a megabyte a line is not a query.
    public static let longestLine = 1 << 20

    /// An engine whose `workers` search side by side, answering through `write` (one line at a
    /// time, from any thread), reporting from `perspective` unless a query says otherwise.
    public init(
        workers: [Worker], perspective: ReportPerspective = .black, version: String,
        write: @escaping (String) -> Void
    ) {
        precondition(!workers.isEmpty, "an analysis engine needs a worker")
        self.workers = workers
        self.perspective = perspective
        self.version = version
        self.write = write
        for w in workers {
            // Each worker (its player and network) goes to its own thread and is used by no other.
            nonisolated(unsafe) let w = w
            let t = Thread { [unowned self] in self.work(w) }
            t.stackSize = 8 << 20
            threads.append(t)
        }
        for t in threads { t.start() }
    }

    private func send(_ object: [String: Any]) {
        let line = JSONLine.encode(object)
        outputLock.lock()
        write(line)
        outputLock.unlock()
    }

    /// The answer to a line of `bytes` bytes, longer than any query.
    func refuseLongLine(_ bytes: Int) {
        send(["error": "Query line of \(bytes) bytes: at most \(Self.longestLine) are read"])
    }

    /// Handles one input line (a query or an action); answers go out through `write`.
    public func handle(_ line: Data) {
        guard line.count <= Self.longestLine else { return refuseLongLine(line.count) }
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
        guard let value = JSONValue.parse(line) else {
            send(["error": "Could not parse json"])
            return
        }
        guard case .object(let fields) = value else {
            send(["error": "Query must be a JSON object"])
            return
        }
        if let action = fields["action"] {
            perform(action, fields)
            return
        }
        do {
            let query = try AnalysisQuery(fields, defaults: perspective)
            for w in query.warnings { send(w.json(key: "warning")) }
            condition.lock()
            for (turn, priority) in zip(query.turns, query.priorities) {
                waiting.append(Task(query: query, turn: turn, priority: priority, order: submitted))
                submitted += 1
            }
            condition.broadcast()
            condition.unlock()
        } catch {
            send(error.json())
        }
    }

    /// `query_version`, `clear_cache`, `terminate`, `terminate_all`, `query_models`.
    private func perform(_ action: JSONValue, _ fields: [String: JSONValue]) {
        var echo = fields.mapValues(\.foundation)
        guard case .string(let id)? = fields["id"] else {
            send(AnalysisProtocolError("Required field 'id' is missing or not a string", field: "id").json())
            return
        }
        guard case .string(let name) = action else {
            send(AnalysisProtocolError("Field 'action' must be a string", field: "action", id: id).json())
            return
        }
        switch name {
        case "query_version":
            echo["version"] = version
            echo["git_hash"] = "<omitted>"
            send(echo)
        case "clear_cache":
            send(echo)
        case "query_models":
            echo["models"] = workers.prefix(1).map { w -> [String: Any] in
                [
                    "name": w.network.architecture.summary, "internalName": w.network.architecture.summary,
                    "maxBatchSize": 8,
                ]
            }
            send(echo)
        case "terminate", "terminate_all":
            var target: String?
            if name == "terminate" {
                guard case .string(let t)? = fields["terminateId"] else {
                    send(
                        AnalysisProtocolError("Required field 'terminateId' is missing", field: "terminateId", id: id)
                            .json())
                    return
                }
                target = t
            }
            var turns: Set<Int>?
            if let t = fields["turnNumbers"] {
                guard case .array(let list) = t else {
                    send(AnalysisProtocolError("Must be a list of turn numbers", field: "turnNumbers", id: id).json())
                    return
                }
                turns = Set(
                    list.compactMap { if case .number(let n) = $0 { return Int(exactly: n) } else { return nil } })
            }
            func matches(_ task: Task) -> Bool {
                (target == nil || task.query.id == target) && (turns == nil || turns!.contains(task.turn))
            }
            condition.lock()
            let dropped = waiting.filter(matches)
            waiting.removeAll(where: matches)
            for task in running where matches(task) { task.stopped = true }
            condition.unlock()
            // The acknowledgement first, then each position that never started, as KataGo answers.
            send(echo)
            for task in dropped {
                send(["id": task.query.id, "turnNumber": task.turn, "isDuringSearch": false, "noResults": true])
            }
        default:
            send(AnalysisProtocolError("Unknown action: \(name)", field: "action", id: id).json())
        }
    }

    /// Searches every position of a game (turn 0 before the first move, turn k after move k),
    /// side by side on the workers; `progress` hears how many are done after each one.
    public func review(
        _ start: Game, moves: [PlayedMove], visits: Int?, progress: @escaping (Int) -> Void = { _ in }
    ) -> [ReviewedPosition] {
        let query = AnalysisQuery(id: "review", start: start, moves: moves, maxVisits: visits)
        let results = NSCondition()
        var done: [ReviewedPosition] = []
        condition.lock()
        for turn in query.turns {
            waiting.append(
                Task(query: query, turn: turn, priority: 0, order: submitted) { position in
                    results.lock()
                    done.append(position)
                    let count = done.count
                    results.broadcast()
                    results.unlock()
                    progress(count)
                })
            submitted += 1
        }
        condition.broadcast()
        condition.unlock()
        results.lock()
        while done.count < query.turns.count { results.wait() }
        results.unlock()
        return done.sorted { $0.turn < $1.turn }
    }

    /// Waits until every query read so far has been answered; the workers wait for more.
    public func waitUntilIdle() {
        condition.lock()
        while !waiting.isEmpty || !running.isEmpty { condition.wait() }
        condition.unlock()
    }

    /// Waits until every query read so far has been answered, then stops the workers (the end of input).
    public func finish() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
        waitUntilIdle()
        for t in threads { while !t.isFinished { usleep(1000) } }
    }

    private func next() -> Task? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty {
            if closing { return nil }
            condition.wait()
        }
        // The highest priority, then the earliest query.
        let i = waiting.indices.min {
            (-waiting[$0].priority, waiting[$0].order) < (-waiting[$1].priority, waiting[$1].order)
        }!
        let task = waiting.remove(at: i)
        running.append(task)
        return task
    }

    private func done(_ task: Task) {
        condition.lock()
        running.removeAll { $0 === task }
        condition.broadcast()
        condition.unlock()
    }

    private func isStopped(_ task: Task) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return task.stopped
    }

    private func work(_ worker: Worker) {
        while let task = next() {
            analyse(task, worker)
            done(task)
        }
    }

    private func analyse(_ task: Task, _ worker: Worker) {
        let q = task.query
        let game = q.game(at: task.turn)
        let player = worker.player
        player.reset()
        player.control.visits = q.maxVisits
        player.control.stop = { [unowned self] in self.isStopped(task) }
        player.control.reportInterval = q.reportEvery ?? 0.2
        let ownership =
            q.includeOwnership
            ? AnalysisOwnership.black(
                game, network: worker.network, playouts: ownershipPlayouts, seed: UInt64(task.turn) &+ 1) : nil
        let policy = q.includePolicy ? worker.network.evaluate([EncodedPosition(game)]).policy : nil
        var answer = AnalysisAnswer(
            id: q.id, turn: task.turn, game: game,
            decision: Decision(move: .pass, resign: false, candidates: [], winrate: 0.5), perspective: q.perspective,
            includePVVisits: q.includePVVisits, ownership: ownership, movesOwnership: nil, policy: policy)
        var lastReport = Date()
        let report: ((Decision) -> Void)? =
            q.reportEvery.map { every in
                { [unowned self] d in
                    guard Date().timeIntervalSince(lastReport) >= every, !d.candidates.isEmpty else { return }
                    lastReport = Date()
                    var partial = answer
                    partial.decision = d
                    send(partial.json(duringSearch: true))
                }
            }
        let decision = player.decide(
            game, color: game.toMove, seconds: q.maxTime, restrictions: q.moveRestrictions(at: task.turn),
            analysis: report)
        player.control = SearchControl()
        if let deliver = task.deliver {
            return deliver(ReviewedPosition(turn: task.turn, toMove: game.toMove, decision: decision))
        }
        answer.decision = decision
        if q.includeMovesOwnership {
            var each: [Move: [Double]] = [:]
            for c in decision.candidates.prefix(AnalysisAnswer.mostCandidates) where c.visits > 0 {
                var after = game
                guard (try? after.play(c.move)) != nil else { continue }
                each[c.move] = AnalysisOwnership.black(
                    after, network: worker.network, playouts: ownershipPlayouts, seed: UInt64(task.turn) &+ 1)
            }
            answer.movesOwnership = each
        }
        send(answer.json(duringSearch: false))
    }
}
