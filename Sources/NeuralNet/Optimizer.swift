import Foundation

/// Updates parameters from their gradients; its state can be saved and restored exactly.
public protocol Optimizer: AnyObject {
    /// One update of every trainable parameter at learning rate `lr`.
    func step(_ parameters: [Parameter], lr: Float)
    /// The optimizer's buffers by parameter name (for checkpoints).
    var state: [String: [Float]] { get set }
}

/// SGD with momentum (PyTorch's form: v = μv + g; w −= lr·v), optionally Nesterov, with PyTorch's
/// coupled weight decay (added to the gradient before the momentum).
public final class SGD: Optimizer {
    /// Momentum (0: plain SGD).
    public var momentum: Float
    /// Nesterov's variant of momentum.
    public var nesterov: Bool
    /// PyTorch's `weight_decay`: adds wd·w to the gradient of decaying parameters.
    public var weightDecay: Float
    /// Momentum buffers by parameter name (saved in checkpoints).
    public var state: [String: [Float]] = [:]

    /// SGD as PyTorch's `torch.optim.SGD` with these settings.
    public init(momentum: Float = 0.9, nesterov: Bool = false, weightDecay: Float = 0) {
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    /// One step of size `lr` on the trainable parameters' gradients.
    public func step(_ parameters: [Parameter], lr: Float) {
        for p in parameters where p.trainable {
            // PyTorch starts the momentum buffer at the first gradient.
            let first = state[p.name] == nil
            if first { state[p.name] = [Float](repeating: 0, count: p.count) }
            let wd = p.decays ? weightDecay : 0
            let mu = momentum
            let nesterov = self.nesterov
            p.value.withUnsafeMutableBufferPointer { w in
                p.grad.withUnsafeBufferPointer { g in
                    state[p.name]!.withUnsafeMutableBufferPointer { v in
                        for i in 0..<w.count {
                            let gi = g[i] + wd * w[i]
                            v[i] = first ? gi : mu * v[i] + gi
                            w[i] -= lr * (nesterov ? gi + mu * v[i] : v[i])
                        }
                    }
                }
            }
        }
    }
}

/// Adam, or AdamW when `decoupled` (weight decay applied to the weights, not the gradient).
public final class Adam: Optimizer {
    var beta1: Float
    var beta2: Float
    /// Added to the denominator (PyTorch's default 1e-8).
    public var eps: Float
    /// Weight decay of decaying parameters.
    public var weightDecay: Float
    /// AdamW's decoupled decay (w −= lr·wd·w) instead of Adam's (wd·w added to the gradient).
    public var decoupled: Bool
    /// First and second moments by parameter name, and the step count (saved in checkpoints).
    public var state: [String: [Float]] = [:]

    /// Adam or AdamW as PyTorch's, with these settings.
    public init(
        beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// One step of size `lr` on the trainable parameters' gradients.
    public func step(_ parameters: [Parameter], lr: Float) {
        let t = (state["__step"]?.first ?? 0) + 1
        state["__step"] = [t]
        let c1 = 1 - powf(beta1, t)
        let c2 = 1 - powf(beta2, t)
        for p in parameters where p.trainable {
            var m = state[p.name + ".m"] ?? [Float](repeating: 0, count: p.count)
            var v = state[p.name + ".v"] ?? [Float](repeating: 0, count: p.count)
            let wd = p.decays ? weightDecay : 0
            for i in 0..<p.count {
                var g = p.grad[i]
                if decoupled { p.value[i] -= lr * wd * p.value[i] } else { g += wd * p.value[i] }
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                p.value[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            }
            state[p.name + ".m"] = m
            state[p.name + ".v"] = v
        }
    }
}
