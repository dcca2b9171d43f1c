extension Board {
    /// The most moves a playout plays before it is scored as it stands: three boards' worth. A
    /// playout that long is cycling (long kos).
    public var playoutMoveCap: Int { 3 * size * size }

    /// Plays uniformly random legal moves that do not fill the mover's own single-point eyes,
    /// passing when there is none, until two passes in a row or `maxMoves`; returns the moves played (passes included).
    ///
    /// With `avoidSelfAtari`, a move that leaves a chain of two or more stones in atari without
    /// capturing is skipped too (Pachi's and Fuego's playouts do the same): uniform playouts
    /// otherwise kill settled groups by filling their own liberties, which makes the ownership
    /// of large territories a coin flip.
    ///
    /// `scratch` holds candidate points; pass the same array to every call so a playout never allocates.
    @discardableResult
    public mutating func playRandomGame(
        from color: Stone, using rng: inout RandomSource, maxMoves: Int, scratch: inout [Int16],
        avoidSelfAtari: Bool = false
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
                if avoidSelfAtari && isGroupSelfAtari(vertex: v, c) { continue }
                playLegal(vertex: v, c)
                moved = true
                break
            }
            if moved {
                passes = 0
            } else {
                passes += 1
                koVertex = -1
            }
            played += 1
            c = 3 - c
        }
        return played
    }

    /// Whether `c` playing on the empty vertex `v` joins a chain of two or more stones left with
    /// one liberty and captures nothing. Early exits keep it cheap: it walks a chain only when
    /// that chain has two liberties or fewer.
    func isGroupSelfAtari(vertex v: Int, _ c: UInt8) -> Bool {
        let d = dirs
        var found = (-1, -1)
        var friendly = false
        func add(_ l: Int) -> Bool {
            if l == found.0 || l == found.1 { return false }
            if found.0 < 0 {
                found.0 = l
                return false
            }
            return true  // a second distinct liberty: no atari
        }
        for k in 0..<4 {
            let n = v + d[k]
            let cn = cells[n]
            if cn == Board.empty {
                if add(n) { return false }
            } else if cn == c {
                friendly = true
                if libs[Int(head[n])] > 2 { return false }
            } else if cn != Board.edge, libs[Int(head[n])] == 1 {
                return false
            }
        }
        guard friendly else { return false }
        for k in 0..<4 where cells[v + d[k]] == c {
            let h = Int(head[v + d[k]])
            var s = h
            repeat {
                for m in 0..<4 where cells[s + d[m]] == Board.empty && s + d[m] != v {
                    if add(s + d[m]) { return false }
                }
                s = Int(next[s])
            } while s != h
        }
        return true
    }
}
