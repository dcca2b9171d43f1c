/// The 8 symmetries of the square as docs/FORMATS.md numbers them: symmetry k moves (x, y) by, in
/// order, x → 18 − x if bit 0, y → 18 − y if bit 1, swapping x and y if bit 2. Pass is fixed.
public enum Symmetry {
    /// `destination[k][i]`: where point index i goes under symmetry k (19x19).
    public static let destination: [[Int16]] = (0..<8).map { k in
        (0..<Features.points).map { i in Int16(apply(k, i)) }
    }

    /// The index symmetry k sends point index `i` to; 361 (pass) is fixed.
    public static func apply(_ k: Int, _ i: Int) -> Int {
        guard i < Features.points else { return i }
        var x = i % 19
        var y = i / 19
        if k & 1 != 0 { x = 18 - x }
        if k & 2 != 0 { y = 18 - y }
        if k & 4 != 0 { swap(&x, &y) }
        return y * 19 + x
    }

    /// The symmetry that undoes k.
    public static func inverse(_ k: Int) -> Int {
        (0..<8).first { j in (0..<Features.points).allSatisfy { apply(j, apply(k, $0)) == $0 } }!
    }
}
