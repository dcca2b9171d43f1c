/// Moves between the channel-major activation layout `[C][B·P]` and sample-major rows.
public enum Reshape {
    /// y[b][c·P + p] = x[c][b·P + p]: PyTorch's NCHW flatten of each sample.
    public static func flatten(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, channels: Int, batch: Int, points: Int
    ) {
        for c in 0..<channels {
            for b in 0..<batch {
                (y + b * channels * points + c * points).update(
                    from: x + c * batch * points + b * points, count: points)
            }
        }
    }

    /// The inverse of `flatten`.
    public static func unflatten(
        _ y: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, channels: Int, batch: Int, points: Int
    ) {
        for c in 0..<channels {
            for b in 0..<batch {
                (x + c * batch * points + b * points).update(
                    from: y + b * channels * points + c * points, count: points)
            }
        }
    }

    /// Input planes whose element (board b, channel c, point p) is at `b · boardStride + c ·
    /// channelStride + p` to channel-major `[C][B·P]`: NCHW input has `boardStride` C·P and
    /// `channelStride` P; a run of boards cut from channel-major planes P and the whole batch's B·P.
    public static func channelMajor(
        _ x: UnsafePointer<Float>, boardStride: Int, channelStride: Int, _ y: UnsafeMutablePointer<Float>,
        channels: Int, batch: Int, points: Int
    ) {
        for c in 0..<channels {
            for b in 0..<batch {
                (y + (c * batch + b) * points).update(from: x + b * boardStride + c * channelStride, count: points)
            }
        }
    }

    /// y[b][c] = mean over p of x[c][b·P + p].
    public static func meanPool(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, channels: Int, batch: Int, points: Int
    ) {
        let inv = 1 / Float(points)
        for c in 0..<channels {
            for b in 0..<batch {
                y[b * channels + c] = Float(Sums.sum(x + c * batch * points + b * points, points)) * inv
            }
        }
    }

    /// dx[c][b·P + p] = dy[b][c] / P (overwrites dx).
    public static func meanPoolBackward(
        _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, channels: Int, batch: Int, points: Int
    ) {
        let inv = 1 / Float(points)
        for c in 0..<channels {
            for b in 0..<batch {
                (dx + c * batch * points + b * points).update(repeating: dy[b * channels + c] * inv, count: points)
            }
        }
    }
}
