/// How long a run trains: a number of steps, or a time budget (`--max-minutes` without `--steps`
/// or `--epochs`), over which a cosine schedule then decays, whatever the machine's speed.
public enum RunLength: Sendable, Hashable {
    case steps(Int)
    case minutes(Double)

    /// How far a run `seconds` into its training, at `step`, has come (0…1).
    public func fraction(step: Int, seconds: Double) -> Double {
        switch self {
        case .steps(let n): return min(Double(step) / Double(max(n, 1)), 1)
        case .minutes(let m): return min(max(seconds, 0) / (m * 60), 1)
        }
    }

    /// The step count, for a run measured in steps.
    public var steps: Int? {
        if case .steps(let n) = self { return n }
        return nil
    }
}
