/// A named-free float32 array with a shape: parameters, inputs and outputs at the edges of the library.
public struct Tensor: Sendable, Equatable {
    /// The dimensions, outermost first.
    public var shape: [Int]
    /// The values, row-major.
    public var data: [Float]

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// A tensor over existing values; the count must match the shape.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not hold \(data.count) values")
        self.shape = shape
        self.data = data
    }

    /// The number of values.
    public var count: Int { data.count }
}
