/// GTP vertices (`A1`…`T19`, no `I`) and SGF coordinates (`aa`…), both ways.
public enum Coordinates {
    /// GTP's column letters: the alphabet without `I`, enough for 25x25.
    static let gtpColumns: [Character] = Array("ABCDEFGHJKLMNOPQRSTUVWXYZ")

    /// The GTP vertex of a move (`Q16`, `pass`), for a board of the given size.
    public static func gtp(_ move: Move, size: Int) -> String {
        guard case .play(let p) = move else { return "pass" }
        return "\(gtpColumns[p.x])\(size - p.y)"
    }

    /// Parses a GTP vertex in any case (`q16`, `Q16`, `PASS`); nil when it is malformed or off the board.
    public static func move(gtp text: some StringProtocol, size: Int) -> Move? {
        let s = text.uppercased()
        if s == "PASS" { return .pass }
        guard let letter = s.first, let column = gtpColumns.firstIndex(of: letter),
            s.count > 1, s.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
            let row = Int(s.dropFirst())
        else { return nil }
        let p = Point(x: column, y: size - row)
        guard row >= 1, p.isOn(size: size) else { return nil }
        return .play(p)
    }

    /// The SGF coordinate of a move: two letters, and the empty string for a pass (FF[4]).
    public static func sgf(_ move: Move) -> String {
        guard case .play(let p) = move else { return "" }
        return String(sgfLetter(p.x)) + String(sgfLetter(p.y))
    }

    /// Parses an SGF move value: two letters, `""` or (on boards up to 19x19) `tt` for a pass; nil when malformed or off the board.
    public static func move(sgf text: some StringProtocol, size: Int) -> Move? {
        if text.isEmpty { return .pass }
        let chars = Array(text.utf8)
        guard chars.count == 2, let x = sgfValue(chars[0]), let y = sgfValue(chars[1]) else { return nil }
        if x == 19 && y == 19 && size <= 19 { return .pass }
        let p = Point(x: x, y: y)
        return p.isOn(size: size) ? .play(p) : nil
    }

    static func sgfLetter(_ v: Int) -> Character {
        v < 26 ? Character(Unicode.Scalar(UInt8(97 + v))) : Character(Unicode.Scalar(UInt8(65 + v - 26)))
    }

    static func sgfValue(_ c: UInt8) -> Int? {
        switch c {
        case 97...122: return Int(c) - 97
        case 65...90: return Int(c) - 65 + 26
        default: return nil
        }
    }
}
