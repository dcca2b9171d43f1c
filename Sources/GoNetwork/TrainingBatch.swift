import NeuralNet

/// A batch of positions with their targets, as the loss of docs/FORMATS.md needs them.
public struct TrainingBatch: Sendable {
    /// NCHW planes `[B][6][361]`, or `[6][B·361]` when `channelMajor` (the loader's layout).
    public var planes: [Float]
    /// Whether `planes` is `[6][B·361]` rather than `[B][6][361]`.
    public var channelMajor: Bool
    /// The move played, 0…361 (361 = pass).
    public var policyTargets: [Int32]
    /// +1 when the player to move won, −1 lost, 0 draw.
    public var valueTargets: [Float]
    /// 0 where the result is unknown (no value loss).
    public var valueMask: [Float]
    /// The opponent's reply to the move played, 0…361, or −1 where the game ended; empty when
    /// the batch carries none.
    public var replyTargets: [Int32]
    /// The final score for the side to move in points where the game was counted (`scoreMask`
    /// 1), else 0; empty when the batch carries none.
    public var scoreTargets: [Float]
    /// 1 where the game was counted to the end, 0 where it was not (resigned, timed out).
    public var scoreMask: [Float]
    /// Who owns each point at the end of a counted game, `[B][361]` from the side to move's view
    /// (+1 its, −1 the opponent's, 0 neutral); empty when the batch carries none.
    public var ownershipTargets: [Float] = []
    /// 1 where the game was counted and its end could be judged, 0 elsewhere (no ownership loss).
    public var ownershipMask: [Float] = []
    /// Soft policy targets `[B][362]` (a teacher's distribution mixed with the move played),
    /// which the loss takes instead of `policyTargets` when present; empty otherwise.
    public var policyDistribution: [Float] = []

    /// Samples in the batch.
    public var count: Int { policyTargets.count }

    /// A batch of `policyTargets.count` samples.
    public init(
        planes: [Float], policyTargets: [Int32], valueTargets: [Float], valueMask: [Float],
        replyTargets: [Int32] = [], scoreTargets: [Float] = [], scoreMask: [Float] = [], channelMajor: Bool = false
    ) {
        self.planes = planes
        self.channelMajor = channelMajor
        self.policyTargets = policyTargets
        self.valueTargets = valueTargets
        self.valueMask = valueMask
        self.replyTargets = replyTargets
        self.scoreTargets = scoreTargets
        self.scoreMask = scoreMask
    }
}

/// The weights of the multi-output loss.
public struct LossWeights: Sendable, Equatable {
    /// Weight of the policy's cross-entropy.
    public var policy: Float
    /// Weight of the value's mean squared error.
    public var value: Float
    /// Coefficient c of c·Σw² over convolution and dense weights.
    public var l2: Float
    /// Weight of the opponent's-reply cross-entropy (0: the head is not trained).
    public var reply: Float
    /// Weight of the score head's squared error, in units of 10 points (0: not trained).
    public var score: Float
    /// Weight of the ownership head's squared error, averaged over the board (0: not trained).
    public var ownership: Float

    /// The weights of each term.
    public init(
        policy: Float = 1, value: Float = 1, l2: Float = 0, reply: Float = 0, score: Float = 0, ownership: Float = 0
    ) {
        self.policy = policy
        self.value = value
        self.l2 = l2
        self.reply = reply
        self.score = score
        self.ownership = ownership
    }
}
