/// im2col and col2im for 3x3 convolutions with same padding, in the channel-major layout
/// `[C][B·H·W]`: column matrix row `c·9 + ky·3 + kx`, column `b·H·W + y·W + x`.
enum Im2Col {
    /// cols[(c·9+k)][n] = x[c][n shifted by k], zero outside the board.
    static func forward(
        _ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, channels: Int, batch: Int, height h: Int,
        width w: Int
    ) {
        let hw = h * w
        let n = batch * hw
        Parallel.forEach(channels, work: channels * 9 * n) { c in
            let src0 = x + c * n
            for k in 0..<9 {
                let dy = k / 3 - 1
                let dx = k % 3 - 1
                let row = cols + (c * 9 + k) * n
                for b in 0..<batch {
                    let src = src0 + b * hw
                    let dst = row + b * hw
                    for y in 0..<h {
                        let d = dst + y * w
                        let sy = y + dy
                        if sy < 0 || sy >= h {
                            d.update(repeating: 0, count: w)
                            continue
                        }
                        let s = src + sy * w
                        if dx == 0 {
                            d.update(from: s, count: w)
                        } else if dx < 0 {
                            d[0] = 0
                            (d + 1).update(from: s, count: w - 1)
                        } else {
                            d.update(from: s + 1, count: w - 1)
                            d[w - 1] = 0
                        }
                    }
                }
            }
        }
    }

    /// dx[c][n] = Σ_k dCols[(c·9+k)][n shifted back by k] (overwrites dx).
    static func backward(
        _ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, channels: Int, batch: Int, height h: Int,
        width w: Int
    ) {
        let hw = h * w
        let n = batch * hw
        Parallel.forEach(channels, work: channels * 9 * n) { c in
            let dst0 = dx + c * n
            dst0.update(repeating: 0, count: n)
            for k in 0..<9 {
                let dy = k / 3 - 1
                let ddx = k % 3 - 1
                let row = cols + (c * 9 + k) * n
                for b in 0..<batch {
                    let src = row + b * hw
                    let dst = dst0 + b * hw
                    for y in 0..<h {
                        let sy = y + dy
                        if sy < 0 || sy >= h { continue }
                        let s = src + y * w
                        let d = dst + sy * w
                        // cols[y][x] came from x[sy][x + ddx].
                        let x0 = max(0, -ddx)
                        let x1 = min(w, w - ddx)
                        for xx in x0..<x1 { d[xx + ddx] += s[xx] }
                    }
                }
            }
        }
    }
}
