import Foundation

/// The clock of one side under GTP's time settings (absolute and Canadian byo-yomi), and how
/// much of it a move may use so that the engine never loses on time.
public struct TimeControl: Sendable, Equatable {
    /// Main time in seconds (0: none).
    var mainTime: Double = 0
    /// Canadian byo-yomi: `byoYomiTime` seconds for `byoYomiStones` stones (0 stones: no byo-yomi).
    var byoYomiTime: Double = 0
    var byoYomiStones: Int = 0
    /// Whether time is limited at all (GTP: byo-yomi time > 0 and stones == 0 means no limit).
    var limited = false
    /// What `time_left` last said: seconds, and stones left in the byo-yomi period (0 in main time).
    public var remaining: Double = 0
    var stonesLeft: Int = 0

    /// No time limit.
    public init() {}

    /// GTP `time_settings main byo stones`.
    public mutating func set(main: Double, byoYomi: Double, stones: Int) {
        mainTime = main
        byoYomiTime = byoYomi
        byoYomiStones = stones
        limited = !(byoYomi > 0 && stones == 0)
        remaining = main
        stonesLeft = 0
    }

    /// GTP `time_left seconds stones`.
    public mutating func update(left: Double, stones: Int) {
        remaining = left
        stonesLeft = stones
    }

    /// Seconds this move may take, keeping a safety margin for the pipes and the referee, or nil without a limit.
    /// `movesPlayed` estimates how many moves main time must still cover.
    public func budget(movesPlayed: Int, margin: Double = 0.5) -> Double? {
        guard limited else { return nil }
        if stonesLeft > 0 {
            // In byo-yomi: share the period's time among its stones.
            return max(0.05, (remaining - margin) / Double(stonesLeft))
        }
        // Moves this side still has to play from main time: a 19x19 game runs about 240 moves
        // (120 each; the Tygem corpus's median is close), and at least 30 more are assumed so the
        // last of the main time is never spent on a few moves (the same shape as Leela Zero's
        // and GNU Go's time managers, which also divide what is left by an estimate of moves left).
        let movesLeft = max(30, 120 - movesPlayed / 2)
        if byoYomiStones > 0 && byoYomiTime > 0 {
            // Main time first, then the byo-yomi period is there as a reserve.
            return max(
                0.05,
                min(
                    remaining / Double(movesLeft) + byoYomiTime / Double(byoYomiStones) * 0.8 - margin,
                    remaining + byoYomiTime / Double(byoYomiStones) - margin))
        }
        // Absolute time: a fraction of what is left.
        return max(0.02, (remaining - margin) / Double(movesLeft))
    }
}
