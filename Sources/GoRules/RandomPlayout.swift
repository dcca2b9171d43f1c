extension Board {
    /// Plays uniformly random legal moves that do not fill the mover's own single-point eyes,
    /// passing when there is none, until two passes in a row or `maxMoves`; returns the moves played (passes included).
    ///
    /// `scratch` holds candidate points; pass the same array to every call so a playout never allocates.
    @discardableResult
    public mutating func playRandomGame(
        from color: Stone, using rng: inout RandomSource, maxMoves: Int, scratch: inout [Int16]
    ) -> Int {
        var c = color.rawValue
        var passes = 0
        var played = 0
        while passes < 2 && played < maxMoves {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: empties)
            var moved = false
            var remaining = scratch.count
            while remaining > 0 {
                let j = rng.below(remaining)
                let v = Int(scratch[j])
                remaining -= 1
                scratch[j] = scratch[remaining]
                if isEye(v, c) || legality(vertex: v, c) != .legal { continue }
                playLegal(vertex: v, c)
                moved = true
                break
            }
            if moved { passes = 0 } else { passes += 1; koVertex = -1 }
            played += 1
            c = 3 - c
        }
        return played
    }
}
