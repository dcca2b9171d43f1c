import GoRules

/// Writes a Leela Zero 0.17 weights file (text format version 1) of random weights for a
/// resnet of the given size, so Leela Zero can be measured on the same network size as gonet.
public enum LeelaZeroWeights {
    /// The weights file's text: version 1, a resnet of `blocks`x`filters` with seeded random weights.
    public static func text(blocks: Int, filters: Int, seed: UInt64) -> String {
        var rng = RandomSource(seed: seed)
        func random(_ n: Int, scale: Double) -> String {
            (0..<n).map { _ in
                let u = rng.uniform() * 2 - 1
                return String(format: "%.4g", u * scale)
            }.joined(separator: " ")
        }
        func constant(_ n: Int, _ v: String) -> String { Array(repeating: v, count: n).joined(separator: " ") }
        var lines = ["1"]
        func conv(_ inputs: Int, _ outputs: Int, _ k: Int) {
            lines.append(random(outputs * inputs * k * k, scale: (3.0 / Double(inputs * k * k)).squareRoot()))
            lines.append(constant(outputs, "0"))
            lines.append(constant(outputs, "0"))
            lines.append(constant(outputs, "1"))
        }
        conv(18, filters, 3)
        for _ in 0..<blocks {
            conv(filters, filters, 3)
            conv(filters, filters, 3)
        }
        // Leela Zero's own heads, sizes as its file format fixes them for 19x19: policy 2 planes of
        // 361 → 362 moves, value 1 plane of 361 → 256 → 1.
        conv(filters, 2, 1)
        lines.append(random(362 * 722, scale: 0.05))
        lines.append(constant(362, "0"))
        conv(filters, 1, 1)
        lines.append(random(256 * 361, scale: 0.05))
        lines.append(constant(256, "0"))
        lines.append(random(256, scale: 0.05))
        lines.append("0")
        return lines.joined(separator: "\n") + "\n"
    }
}
