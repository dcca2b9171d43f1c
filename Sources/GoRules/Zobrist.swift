/// 64-bit Zobrist keys, one per (vertex, colour), fixed for every run so hashes can be stored.
enum Zobrist {
    /// Keys for vertex `v`: black at `2 * v`, white at `2 * v + 1`, over the largest padded board.
    static let keys: [UInt64] = {
        var state: UInt64 = 0x6A09_E667_F3BC_C908
        return (0..<(2 * Board.maxCells)).map { _ in splitMix(&state) }
    }()

    /// SplitMix64: a well-mixed sequence from a counter, enough for hash keys.
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
