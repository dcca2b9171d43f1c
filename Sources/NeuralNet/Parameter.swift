/// A trainable tensor with its gradient, or a non-trainable statistic (batch-norm running mean and variance).
public final class Parameter {
    /// The name in a network file (`blocks.0.conv1.weight`).
    public let name: String
    /// The tensor's shape.
    public let shape: [Int]
    /// The values, row-major.
    public var value: [Float] { didSet { version &+= 1 } }
    /// Counts changes of `value` (any write, in place or whole), so a layer that keeps a transform
    /// of the weights knows when to redo it without comparing every weight.
    public private(set) var version = 0
    /// The gradient of the last backward pass (same count as `value`).
    public var grad: [Float]
    /// Whether an optimizer updates it (false for running statistics).
    public let trainable: Bool
    /// Whether L2 regularisation applies (convolution and dense weights, not biases or batch-norm affines).
    public let decays: Bool

    /// A parameter of `shape` (zeros unless `value` is given).
    public init(_ name: String, shape: [Int], value: [Float]? = nil, trainable: Bool = true, decays: Bool = false) {
        self.name = name
        self.shape = shape
        let n = shape.reduce(1, *)
        self.value = value ?? [Float](repeating: 0, count: n)
        precondition(self.value.count == n)
        grad = trainable ? [Float](repeating: 0, count: n) : []
        self.trainable = trainable
        self.decays = decays
    }

    /// Number of values.
    public var count: Int { value.count }
}
