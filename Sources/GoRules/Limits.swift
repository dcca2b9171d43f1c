/// The bounds gonet puts on numbers that come from outside (SGF, GTP, archives, configs), in
/// one place so that every reader refuses the same values.
public enum Limits {
    /// The largest |komi| on a board of `size`: beyond the board's points a komi cannot change
    /// any result, and every score built from it stays exact and finite in a Float.
    public static func komi(size: Int) -> Double { Double(size * size) }

    /// The largest winning margin a record may state: every point of the largest board plus the
    /// largest komi. A larger `RE[B+…]` says nothing real and is read as a win of unknown margin.
    public static let margin = 2 * Double(Board.maxSize * Board.maxSize)

    /// Whether `komi` is finite and within `komi(size:)`.
    public static func isValidKomi(_ komi: Double, size: Int) -> Bool {
        komi.isFinite && abs(komi) <= self.komi(size: size)
    }
}
