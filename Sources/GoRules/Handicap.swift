/// GTP's fixed handicap placement (GTP 2, section 4.1.1), the layout GNU Go and every client use.
public enum Handicap {
    /// The largest fixed handicap on a board of this size (0 when fixed handicap is not allowed).
    static func maxFixed(size: Int) -> Int {
        if size < 7 { return 0 }
        return size % 2 == 1 && size > 7 ? 9 : 4
    }

    /// The points of a fixed handicap of `stones` (2…9) on a board of `size`, or nil when GTP does not allow it.
    public static func fixedPoints(_ stones: Int, size: Int) -> [Point]? {
        guard stones >= 2, stones <= maxFixed(size: size) else { return nil }
        let e = size >= 13 ? 3 : 2
        let low = e
        let high = size - 1 - e
        let mid = size / 2
        // Board rows run from the top: D4 is (low, high) on 19x19.
        let d4 = Point(x: low, y: high)
        let q16 = Point(x: high, y: low)
        let d16 = Point(x: low, y: low)
        let q4 = Point(x: high, y: high)
        let center = Point(x: mid, y: mid)
        let d10 = Point(x: low, y: mid)
        let q10 = Point(x: high, y: mid)
        let k4 = Point(x: mid, y: high)
        let k16 = Point(x: mid, y: low)
        var points = [d4, q16]
        if stones >= 3 { points.append(d16) }
        if stones >= 4 { points.append(q4) }
        if stones >= 6 { points += [d10, q10] }
        if stones >= 8 { points += [k4, k16] }
        if stones % 2 == 1 && stones >= 5 { points.append(center) }
        return points
    }
}
