import CKernels

/// A depthwise convolution (one filter per channel), stride 1, same padding, no bias by default.
/// Its channels come in one or more groups, each with its own filter side (3 or 5): one group is
/// an ordinary depthwise convolution, two are MixNet's MixConv (3x3 on the first channels, 5x5 on
/// the rest), which sees farther at little more cost.
public final class DepthwiseConv2D {
    /// A run of channels whose filters share a side.
    public struct Group {
        /// The group's channels.
        public let channels: Range<Int>
        /// The filters' side: 3 or 5.
        public let kernel: Int
        /// `[channels, 1, kernel, kernel]`.
        public let weight: Parameter
        /// Where the group's filters start in `flatWeights`.
        let offset: Int
    }

    /// The channel groups, in channel order.
    public let groups: [Group]
    /// `[C]`, when the layer has a bias.
    public let bias: Parameter?
    /// Channels (each convolved alone).
    public let channels: Int
    /// Rows of the board.
    public let height: Int
    /// Columns of the board.
    public let width: Int
    /// Each group's weight, in channel order.
    public var weights: [Parameter] { groups.map(\.weight) }
    /// Weights of every channel (multiply-adds per point).
    public let weightCount: Int
    /// Each channel's group, `[C]`.
    private let groupOf: [Int]

    /// A `kernel`×`kernel` depthwise convolution of `channels`, its weight named `name.weight`.
    public convenience init(
        _ name: String, channels: Int, kernel: Int = 3, bias: Bool = false, height: Int = 19, width: Int = 19
    ) {
        self.init(name, channels: channels, kernels: [kernel], bias: bias, height: height, width: width)
    }

    /// A depthwise convolution whose channels are split into one group per entry of `kernels`, as
    /// evenly as they go with the remainder in the first (MixNet's split). One group's weight is
    /// named `name.weight`, several `name.0.weight`, `name.1.weight`, … (a PyTorch ModuleList's names).
    public init(
        _ name: String, channels: Int, kernels: [Int], bias: Bool = false, height: Int = 19, width: Int = 19
    ) {
        precondition(kernels.allSatisfy { $0 == 3 || $0 == 5 }, "depthwise convolutions are 3x3 or 5x5")
        precondition(!kernels.isEmpty && kernels.count <= channels, "one to \(channels) channel groups")
        precondition((1...64).contains(height) && (1...64).contains(width), "boards up to 64x64")
        self.channels = channels
        self.height = height
        self.width = width
        var groups: [Group] = []
        var groupOf: [Int] = []
        var start = 0
        var offset = 0
        for (i, k) in kernels.enumerated() {
            let size = channels / kernels.count + (i == 0 ? channels % kernels.count : 0)
            let weightName = kernels.count == 1 ? name + ".weight" : "\(name).\(i).weight"
            groups.append(
                Group(
                    channels: start..<start + size, kernel: k,
                    weight: Parameter(weightName, shape: [size, 1, k, k], decays: true), offset: offset))
            groupOf += [Int](repeating: i, count: size)
            start += size
            offset += size * k * k
        }
        self.groups = groups
        self.groupOf = groupOf
        weightCount = offset
        self.bias = bias ? Parameter(name + ".bias", shape: [channels]) : nil
    }

    /// Every channel's filter, concatenated in channel order: channel c's at `filter(of: c)`.
    public var flatWeights: [Float] { groups.flatMap(\.weight.value) }

    /// Where channel `c`'s filter starts in `flatWeights`, and its side.
    public func filter(of c: Int) -> (offset: Int, kernel: Int) {
        let g = groups[groupOf[c]]
        return (g.offset + (c - g.channels.lowerBound) * g.kernel * g.kernel, g.kernel)
    }

    /// y = each channel of x convolved with its own filter (+ bias), zero padding; with `weights`
    /// (laid out as `flatWeights`) and `bias` (one a channel) in place of the layer's own.
    public func forward(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int, weights: [Float]? = nil,
        bias: [Float]? = nil
    ) {
        let hw = height * width
        let n = batch * hw
        let all = weights ?? flatWeights
        precondition(all.count == weightCount, "\(all.count) depthwise weights for \(weightCount)")
        precondition(
            bias.map { $0.count == channels } ?? true, "a bias of \(bias?.count ?? 0) for \(channels) channels")
        all.withUnsafeBufferPointer { wt in
            let bias = bias ?? self.bias?.value
            Parallel.forEach(channels, work: weightCount * n) { c in
                let (offset, kernel) = filter(of: c)
                let b0 = bias?[c] ?? 0
                for b in 0..<batch {
                    gonet_depthwise_board(
                        x + c * n + b * hw, wt.baseAddress! + offset, b0, y + c * n + b * hw, Int32(height),
                        Int32(width), Int32(kernel), 0)
                }
            }
        }
    }

    /// Accumulates the weight gradient and writes dx.
    public func backward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?, batch: Int
    ) {
        let hw = height * width
        let n = batch * hw
        let wt = flatWeights
        var grad = [Float](repeating: 0, count: weightCount)
        var biasGrad = [Float](repeating: 0, count: channels)
        wt.withUnsafeBufferPointer { wp in
            grad.withUnsafeMutableBufferPointer { g in
                biasGrad.withUnsafeMutableBufferPointer { bg in
                    let (w, gp, bgp) = (wp.baseAddress!, g.baseAddress!, bg.baseAddress!)
                    Parallel.forEach(channels, work: weightCount * n * 2) { c in
                        let (offset, kernel) = filter(of: c)
                        var bsum: Float = 0
                        for b in 0..<batch {
                            let at = c * n + b * hw
                            bsum += Float(Sums.sum(dy + at, hw))
                            gonet_depthwise_weight_gradient(
                                x + at, dy + at, gp + offset, Int32(height), Int32(width), Int32(kernel))
                            if let dx {
                                // dx is dy through the filter turned by 180°.
                                gonet_depthwise_board(
                                    dy + at, w + offset, 0, dx + at, Int32(height), Int32(width), Int32(kernel), 1)
                            }
                        }
                        bgp[c] = bsum
                    }
                }
            }
        }
        for g in groups {
            g.weight.grad = Array(grad[g.offset..<g.offset + g.weight.value.count])
        }
        if let bias { bias.grad = biasGrad }
    }
}
