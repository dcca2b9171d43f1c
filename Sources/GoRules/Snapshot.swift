extension Board {
    /// Per-point code of `snapshot`: the colour in bits 0–1 (0 empty, 1 black, 2 white).
    public static let colorMask: UInt8 = 3
    /// Per-point code of `snapshot`: set when the point's group has exactly one liberty.
    public static let atariBit: UInt8 = 4

    /// Writes one byte per point, in index order: colour | `atariBit` when its group is in atari.
    /// Reads the incremental liberty counts: no flood fill.
    public func snapshot(into codes: UnsafeMutablePointer<UInt8>) {
        cells.withUnsafeBufferPointer { cells in
            head.withUnsafeBufferPointer { head in
                libs.withUnsafeBufferPointer { libs in
                    var i = 0
                    for y in 0..<size {
                        var v = (y + 1) * stride + 1
                        for _ in 0..<size {
                            let c = cells[v]
                            codes[i] = c == 0 ? 0 : (libs[Int(head[v])] == 1 ? c | Board.atariBit : c)
                            i += 1
                            v += 1
                        }
                    }
                }
            }
        }
    }
}
