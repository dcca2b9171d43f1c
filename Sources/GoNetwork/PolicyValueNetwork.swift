import GoRules
import NeuralNet

/// A policy/value network gonet can run: the one interface that players, tournament checks,
/// exporters and benchmarks use, whatever the network is built of (a `FamilyNetwork`, which gonet
/// also trains, or a `GraphNetwork` imported from ONNX). A faster backend goes behind it too.
///
/// Its methods are not reentrant: one caller at a time (each engine thread has its own network).
public protocol PolicyValueNetwork: AnyObject {
    /// What the network is.
    var architecture: Architecture { get }
    /// The file's metadata: name, author, created, notes, training (format keys are written on save).
    var metadata: [String: String] { get set }
    /// Every tensor of the network file (running statistics included), in a stable order.
    var parameters: [Parameter] { get }
    /// Floating-point operations of one position's forward pass (2 per multiply-add).
    var flopsPerPosition: Int { get }
    /// Whether 3x3 convolutions use Winograd F(4x4, 3x3) (the default: 3-4x fewer multiplications,
    /// float32 rounding about 1e-6 of the activations' scale) or the direct im2col product.
    var useWinograd: Bool { get set }
    /// Call after changing weights by hand or by an optimizer: inference refolds what it folded.
    func weightsChanged()
    /// Inference on NCHW planes `[B][6][361]` (or `[6][B·361]` when `channelMajor`, the data
    /// loader's layout): pointers to the logits `[B][362]` and values `[B]`, valid until the next call.
    func forward(planes: UnsafePointer<Float>, batch: Int, channelMajor: Bool) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    )
    /// The logits `[B][362]` and values `[B]` of the last forward pass (valid until the next one).
    var lastOutputs: (logits: UnsafePointer<Float>, values: UnsafePointer<Float>) { get }
    /// The analysis heads the network carries (`AnalysisHeads`; none by default).
    var analysisHeads: AnalysisHeads { get }
    /// The score head's output for the last forward pass: the side to move's final margin in
    /// points `[B]`, or nil without the head.
    func lastScores(batch: Int) -> [Float]?
    /// The ownership head's output for the last forward pass, `[B][361]`, +1 the side to move, or
    /// nil without the head.
    func lastOwnership(batch: Int) -> [Float]?
}

extension PolicyValueNetwork {
    /// Networks without analysis heads (graphs imported from ONNX).
    public var analysisHeads: AnalysisHeads { [] }
    /// Networks without a score head have no score.
    public func lastScores(batch: Int) -> [Float]? { nil }
    /// Networks without an ownership head have no ownership.
    public func lastOwnership(batch: Int) -> [Float]? { nil }
}

extension PolicyValueNetwork {
    /// Inference on NCHW planes `[B][6][361]`.
    @discardableResult
    public func forward(planes: UnsafePointer<Float>, batch: Int) -> (
        logits: UnsafePointer<Float>, values: UnsafePointer<Float>
    ) {
        forward(planes: planes, batch: batch, channelMajor: false)
    }

    /// The tensors an optimizer updates.
    public var trainableParameters: [Parameter] { parameters.filter(\.trainable) }

    /// docs/FORMATS.md's parameter budget: trainable values, running statistics excluded.
    public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.count } }

    /// He (Kaiming normal, fan-in) initialisation of every weight; biases zero, batch norms at identity.
    public func initialize(seed: UInt64) {
        var rng = RandomSource(seed: seed)
        for p in parameters {
            if p.name.hasSuffix("running_var") || (p.name.hasSuffix(".weight") && p.shape.count == 1) {
                p.value = [Float](repeating: 1, count: p.count)
            } else if p.name.hasSuffix(".weight") {
                let fanIn = p.shape.dropFirst().reduce(1, *)
                let std = (2 / Double(fanIn)).squareRoot()
                p.value = (0..<p.count).map { _ in Float(std * rng.normal()) }
            } else {
                p.value = [Float](repeating: 0, count: p.count)
            }
        }
        weightsChanged()
    }
}
