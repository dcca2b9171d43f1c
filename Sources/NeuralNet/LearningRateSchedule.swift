import Foundation

/// The learning rate at each step.
public enum LearningRateSchedule: Sendable, Equatable {
    case constant(Float)
    /// `base · gamma^(step / every)`.
    case step(base: Float, gamma: Float, every: Int)
    /// Linear warm-up from 0 over `warmup` steps, then cosine decay from `base` to `minimum` at `total`.
    case cosine(base: Float, minimum: Float, warmup: Int, total: Int)

    /// The rate for 0-based `step`; `fraction` (0…1), when given, is how far the run is past its
    /// warm-up instead of the step's share of `total` (a run whose length is a time budget).
    public func rate(at step: Int, fraction: Double? = nil) -> Float {
        switch self {
        case .constant(let lr):
            return lr
        case .step(let base, let gamma, let every):
            return base * powf(gamma, Float(step / max(every, 1)))
        case .cosine(let base, let minimum, let warmup, let total):
            if step < warmup { return base * Float(step + 1) / Float(warmup) }
            let span = max(total - warmup, 1)
            let t = min(fraction.map { Float(max($0, 0)) } ?? Float(step - warmup) / Float(span), 1)
            return minimum + (base - minimum) * 0.5 * (1 + cosf(Float.pi * t))
        }
    }
}
