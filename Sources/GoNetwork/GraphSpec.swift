import Foundation

/// A network that is not of gonet's family, as a list of operations over the planes (imported
/// from ONNX: docs/ONNX.md). Stored in a network file's `architecture` metadata as
/// `{"trunk": "graph", "graph": {…}}`, its weights under `graph.I.weight` and `graph.I.bias`.
/// It runs on gonet's kernels (inference only: it cannot be trained by gonet).
public struct GraphSpec: Codable, Sendable, Equatable {
    /// One operation; `inputs` are earlier nodes' indices, −1 the input planes.
    public struct Node: Codable, Sendable, Equatable {
        /// The operation.
        public var op: Op
        /// Indices of the nodes it reads (−1: the input planes).
        public var inputs: [Int]
        /// conv: output channels (dense: outputs; slice: channels kept); concat of board tensors: unused.
        public var channels: Int?
        /// slice: the first channel kept.
        public var first: Int?
        /// conv: 1 or 3; pools: the window (odd, at most 19).
        public var kernel: Int?
        /// conv: true for a depthwise convolution (one filter per channel).
        public var depthwise: Bool?
        /// leaky_relu: the slope; hard_sigmoid: alpha; clip: the lower bound; scale: the factor.
        public var a: Float?
        /// hard_sigmoid: beta; clip: the upper bound.
        public var b: Float?
        /// flatten: the board tensor was channels-last ([19, 19, C], Keras's order).
        public var channelsLast: Bool?
        /// avg_pool: padding counts in the mean (ONNX count_include_pad).
        public var countPadding: Bool?

        /// A node applying `op` to `inputs`, its parameters unset.
        public init(_ op: Op, _ inputs: [Int]) {
            self.op = op
            self.inputs = inputs
        }

        enum CodingKeys: String, CodingKey {
            case op, inputs, channels, first, kernel, depthwise, a, b
            case channelsLast = "channels_last"
            case countPadding = "count_padding"
        }
    }

    /// What a node does. Board tensors are [C, 19, 19] per sample, vectors [K].
    public enum Op: String, Codable, Sendable, CaseIterable {
        /// 1x1 or 3x3 convolution, stride 1, board kept (weight [C', C, k, k], or [C, 1, k, k] depthwise with k 3
        /// or 5, bias [C']).
        case conv
        /// Per-channel (board) or per-element (vector) `weight · x + bias`: a batch norm that follows no convolution.
        case scaleShift = "scale_shift"
        /// vector [K] → [C']: weight [C', K], bias [C'].
        case dense
        case relu, sigmoid, tanh
        case leakyRelu = "leaky_relu"
        case hardSigmoid = "hard_sigmoid"
        case hardSwish = "hard_swish"
        case clip
        /// x · a.
        case scale
        /// Two tensors of one shape, or a board tensor and a vector of its channels (broadcast over the board).
        case add, mul
        /// Board tensors along channels, or vectors end to end.
        case concat
        /// Board [C] → board [channels]: channels `first` ..< `first + channels` (an ONNX Split or Slice).
        case slice
        /// Board [C] → vector [C]: the mean over the 361 points.
        case mean
        /// Board [C] → vector [C]: the maximum over the 361 points.
        case max
        case maxPool = "max_pool"
        case avgPool = "avg_pool"
        /// Board [C] → vector [C·361] (C, then points), or [361·C] with `channelsLast`.
        case flatten
    }

    /// A tensor's shape per sample.
    public enum Shape: Equatable, Sendable {
        case board(Int)
        case vector(Int)

        var count: Int {
            switch self {
            case .board(let c): return c * Features.points
            case .vector(let k): return k
            }
        }
    }

    /// The nodes, each reading only earlier ones.
    public var nodes: [Node]
    /// The node whose vector of 362 is the policy, and the one whose vector of 1 is the value.
    public var policy: Int
    /// The node whose single output is the value.
    public var value: Int
    /// The policy node gives probabilities (gonet takes their logarithm), not logits.
    public var policyIsProbabilities = false
    /// The value node gives a sigmoid p in [0, 1] (gonet uses 2p − 1), not a tanh.
    public var valueIsSigmoid = false

    /// A graph of `nodes` with its two outputs; `shapes(planes:)` validates it.
    public init(nodes: [Node], policy: Int, value: Int) {
        self.nodes = nodes
        self.policy = policy
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case nodes, policy, value
        case policyIsProbabilities = "policy_probabilities"
        case valueIsSigmoid = "value_sigmoid"
    }

    /// Reads a node from its JSON object (docs/FORMATS.md's keys).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nodes = try c.decode([Node].self, forKey: .nodes)
        policy = try c.decode(Int.self, forKey: .policy)
        value = try c.decode(Int.self, forKey: .value)
        policyIsProbabilities = try c.decodeIfPresent(Bool.self, forKey: .policyIsProbabilities) ?? false
        valueIsSigmoid = try c.decodeIfPresent(Bool.self, forKey: .valueIsSigmoid) ?? false
    }

    /// Most nodes a graph may have, and widest tensors: far past any budget network, small
    /// enough that a hostile file cannot make gonet allocate gigabytes per position.
    /// The weights (2²⁷ floats, 512 MB) and the activations of one position (2²⁵ floats, 128 MB)
    /// of all nodes together are capped for the same reason.
    public static let limits = (
        nodes: 1...10_000, channels: 1...4096, vector: 1...(1 << 20), weights: 1 << 27, activations: 1 << 25
    )

    /// Each node's output shape, checking every node's inputs and settings (the message names
    /// the node by its index and op).
    public func shapes(planes: Int) throws(NetworkError) -> [Shape] {
        guard Self.limits.nodes.contains(nodes.count) else {
            throw NetworkError("graph has \(nodes.count) nodes; at most \(Self.limits.nodes.upperBound)")
        }
        var out: [Shape] = []
        var weights = 0
        var activations = 0
        for (i, n) in nodes.enumerated() {
            func fail(_ why: String) -> NetworkError {
                NetworkError("graph node \(i) (\(n.op.rawValue)): \(why)")
            }
            var ins: [Shape] = []
            for j in n.inputs {
                guard j >= -1, j < i else { throw fail("input \(j) is not an earlier node") }
                ins.append(j == -1 ? .board(planes) : out[j])
            }
            let arity: ClosedRange<Int> = [.add, .mul].contains(n.op) ? 2...2 : n.op == .concat ? 2...64 : 1...1
            guard arity.contains(ins.count) else { throw fail("\(ins.count) inputs") }
            func channels() throws(NetworkError) -> Int {
                guard let c = n.channels, Self.limits.channels.contains(c) else {
                    throw fail(
                        "channels must be in \(Self.limits.channels), not \(n.channels.map(String.init) ?? "none")")
                }
                return c
            }
            let shape: Shape
            switch n.op {
            case .conv:
                guard case .board(let c) = ins[0] else { throw fail("a convolution reads a board tensor") }
                if n.depthwise == true {
                    guard n.kernel == 3 || n.kernel == 5, n.channels == c else {
                        throw fail("a depthwise convolution is 3x3 or 5x5, C to C")
                    }
                    shape = .board(c)
                } else {
                    guard n.kernel == 1 || n.kernel == 3 else { throw fail("kernel 1 or 3, not \(n.kernel ?? 0)") }
                    shape = .board(try channels())
                }
            case .dense:
                guard case .vector(let k) = ins[0] else { throw fail("a dense layer reads a vector") }
                let c = try channels()
                guard k * c <= 1 << 28 else { throw fail("\(k) × \(c) weights") }
                shape = .vector(c)
            case .scaleShift, .relu, .sigmoid, .tanh, .leakyRelu, .hardSigmoid, .hardSwish, .clip, .scale:
                for (key, v) in [("a", n.a), ("b", n.b)] where v.map({ !$0.isFinite }) == true {
                    throw fail("\(key) must be a finite number")
                }
                shape = ins[0]
            case .add, .mul:
                switch (ins[0], ins[1]) {
                case (let x, let y) where x == y: shape = x
                case (.board(let c), .vector(let k)) where c == k: shape = ins[0]
                case (.vector(let k), .board(let c)) where c == k: shape = ins[1]
                default: throw fail("shapes \(ins[0]) and \(ins[1]) do not go together")
                }
            case .concat:
                let boards = ins.compactMap { s -> Int? in if case .board(let c) = s { return c } else { return nil } }
                let vectors = ins.compactMap { s -> Int? in if case .vector(let k) = s { return k } else { return nil }
                }
                if boards.count == ins.count, Self.limits.channels.contains(boards.reduce(0, +)) {
                    shape = .board(boards.reduce(0, +))
                } else if vectors.count == ins.count, Self.limits.vector.contains(vectors.reduce(0, +)) {
                    shape = .vector(vectors.reduce(0, +))
                } else {
                    throw fail("inputs \(ins) are not all board tensors or all vectors within the limits")
                }
            case .slice:
                guard case .board(let c) = ins[0] else { throw fail("a slice reads a board tensor") }
                let k = try channels()
                guard let f = n.first else { throw fail("a slice needs \"first\"") }
                // Compared without adding: a hostile file's first channel may be near Int.max.
                guard f >= 0, f <= c - k else { throw fail("channels from \(f), \(k) of them, of \(c)") }
                shape = .board(k)
            case .mean, .max:
                guard case .board(let c) = ins[0] else { throw fail("a \(n.op) over the board reads a board tensor") }
                shape = .vector(c)
            case .maxPool, .avgPool:
                guard case .board = ins[0] else { throw fail("a pool reads a board tensor") }
                guard let k = n.kernel, k % 2 == 1, (1...19).contains(k) else {
                    throw fail("the window must be odd and at most 19, not \(n.kernel ?? 0)")
                }
                shape = ins[0]
            case .flatten:
                guard case .board(let c) = ins[0] else { throw fail("flatten reads a board tensor") }
                shape = .vector(c * Features.points)
            }
            out.append(shape)
            activations += shape.count
            switch (n.op, ins[0], shape) {
            case (.conv, .board(let c), .board(let o)):
                weights += n.depthwise == true ? (n.kernel! * n.kernel! + 1) * c : o * (c * n.kernel! * n.kernel! + 1)
            case (.dense, .vector(let k), .vector(let o)): weights += o * (k + 1)
            case (.scaleShift, .board(let c), _), (.scaleShift, .vector(let c), _): weights += 2 * c
            default: break
            }
            guard weights <= Self.limits.weights, activations <= Self.limits.activations else {
                throw fail(
                    "the graph's weights or activations so far pass gonet's limits (\(weights) weights, \(activations) activations a position)"
                )
            }
        }
        guard out.indices.contains(policy), out[policy] == .vector(Features.moves) else {
            throw NetworkError("graph's policy node \(policy) must give \(Features.moves) values")
        }
        guard out.indices.contains(value), out[value] == .vector(1) else {
            throw NetworkError("graph's value node \(value) must give one value")
        }
        return out
    }

    /// `graph of 23 nodes (conv 9, hard_swish 7, …)`.
    public var summary: String {
        var counts: [Op: Int] = [:]
        for n in nodes { counts[n.op, default: 0] += 1 }
        let parts = Op.allCases.compactMap { op in counts[op].map { "\(op.rawValue) \($0)" } }
        return "graph of \(nodes.count) nodes (\(parts.joined(separator: ", ")))"
    }
}
