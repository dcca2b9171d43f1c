import Foundation
import GoRules

/// Reading a command's arguments: every number a client sends is range-checked here, so no
/// conversion further on can trap (once: `komi 1e300`, `kgs-time_settings canadian 9 7 inf`).
enum GTPArguments {
    /// The longest clock accepted, in seconds: a year. No real time control is longer, and
    /// sums of such times stay far from overflow when converted for the clock.
    static let longestTime = 31_536_000.0
    /// The most byo-yomi stones (or periods) accepted: more than a game has moves.
    static let mostStones = 100_000

    /// An integer in `range`; anything else (a fraction, an overflow, a word) is a syntax error.
    static func integer(_ text: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let n = Int(text), range.contains(n) else { throw EngineError("syntax error") }
        return n
    }

    /// A finite number in `range`.
    static func number(_ text: String, _ range: ClosedRange<Double>) throws -> Double {
        guard let x = Double(text), x.isFinite, range.contains(x) else { throw EngineError("syntax error") }
        return x
    }

    /// Seconds of a clock: 0 to a year.
    static func seconds(_ text: String) throws -> Double { try number(text, 0...longestTime) }

    /// Stones or periods of a clock.
    static func stones(_ text: String) throws -> Int { try integer(text, 0...mostStones) }

    static func color(_ text: String) throws -> Stone {
        guard let c = Stone(name: text) else { throw EngineError("syntax error") }
        return c
    }

    static func vertex(_ text: String, size: Int) throws -> Move {
        guard let m = Coordinates.move(gtp: text, size: size) else { throw EngineError("syntax error") }
        return m
    }

    /// Throws unless there are exactly `count` arguments.
    static func expect(_ a: [String], _ count: Int) throws {
        guard a.count == count else { throw EngineError("syntax error") }
    }
}
