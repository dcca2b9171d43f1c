/// A player's colour: the stones on the board and the side to move.
public enum Stone: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case black = 1
    case white = 2

    /// The other colour.
    @inlinable public var opponent: Stone { self == .black ? .white : .black }

    /// `B` or `W`, as SGF and GTP write a colour.
    public var letter: String { self == .black ? "B" : "W" }

    /// "black" or "white".
    public var description: String { self == .black ? "black" : "white" }

    /// Reads `b`, `black`, `w`, `white` in any case (GTP's colour syntax).
    public init?(name: some StringProtocol) {
        switch name.lowercased() {
        case "b", "black": self = .black
        case "w", "white": self = .white
        default: return nil
        }
    }
}
