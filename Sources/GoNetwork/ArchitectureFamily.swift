import Foundation
import NeuralNet

extension Architecture {
    /// The shape of a network of docs/FORMATS.md's family: a trunk of residual or mobile blocks,
    /// a policy head and a value head.
    public struct Family: Sendable, Equatable {
        /// The trunk's blocks: residual (two 3x3 convolutions) or mobile (inverted bottleneck).
        public enum Trunk: String, CaseIterable, Sendable { case resnet, mobile }
        /// The policy head after its 1x1 convolution: a dense layer to 362, or a 1x1 convolution plus a pass unit.
        public enum PolicyHead: String, CaseIterable, Sendable { case fc, conv }
        /// The value head after its 1x1 convolution: dense over the board, or global average pooling first.
        public enum ValueHead: String, CaseIterable, Sendable { case fc, pool }
        /// The nonlinearity of the trunk (stem and blocks; the heads keep ReLU).
        public enum TrunkActivation: String, CaseIterable, Sendable {
            case relu, swish
            case hardSwish = "hard-swish"

            /// The layer library's activation.
            public var activation: Activation {
                switch self {
                case .relu: return .relu
                case .swish: return .swish
                case .hardSwish: return .hardSwish
                }
            }
        }

        /// A mobile block's depthwise filters: all 3x3, all 5x5, or mixed (MixNet's MixConv: 3x3 on
        /// the first half of the channels, 5x5 on the rest).
        public enum DepthwiseKernel: String, CaseIterable, Sendable {
            case three = "3"
            case five = "5"
            case mixed

            /// The filter side of each channel group, in channel order.
            public var kernels: [Int] {
                switch self {
                case .three: return [3]
                case .five: return [5]
                case .mixed: return [3, 5]
                }
            }
        }

        /// The trunk's kind.
        public var trunk: Trunk
        /// Blocks of the trunk.
        public var blocks: Int
        /// Channels of the trunk.
        public var filters: Int
        /// Inner width of a mobile block (0 for resnet).
        public var expansion: Int
        /// The policy head's kind.
        public var policyHead: PolicyHead
        /// Channels of the policy head's convolution.
        public var policyFilters: Int
        /// The value head's kind.
        public var valueHead: ValueHead
        /// Channels of the value head's convolution.
        public var valueFilters: Int
        /// Width of the value head's hidden layer.
        public var valueHidden: Int
        /// Every this-many-th block (blocks k−1, 2k−1, …) adds a global pooling bias to its first
        /// unit (NeuralNet's `GlobalPoolBias` of the block's input); 0: none.
        public var globalPoolEvery: Int
        /// Hidden units of a squeeze-and-excitation gate in every block (NeuralNet's
        /// `SqueezeExcitation`: after the second batch norm of a resnet block, after the
        /// depthwise unit of a mobile one); 0: none.
        public var squeezeExcitation: Int
        /// The trunk's nonlinearity.
        public var activation: TrunkActivation
        /// A mobile block's depthwise filters (resnet: 3x3, unused).
        public var depthwiseKernel: DepthwiseKernel

        /// A shape of the family; `validate()` checks it against the limits.
        public init(
            trunk: Trunk = .resnet, blocks: Int = 6, filters: Int = 64, expansion: Int = 0,
            policyHead: PolicyHead = .fc, policyFilters: Int = 2,
            valueHead: ValueHead = .fc, valueFilters: Int = 1, valueHidden: Int = 256, globalPoolEvery: Int = 0,
            squeezeExcitation: Int = 0, activation: TrunkActivation = .relu, depthwiseKernel: DepthwiseKernel = .three
        ) {
            self.trunk = trunk
            self.blocks = blocks
            self.filters = filters
            self.expansion = expansion
            self.policyHead = policyHead
            self.policyFilters = policyFilters
            self.valueHead = valueHead
            self.valueFilters = valueFilters
            self.valueHidden = valueHidden
            self.globalPoolEvery = globalPoolEvery
            self.squeezeExcitation = squeezeExcitation
            self.activation = activation
            self.depthwiseKernel = depthwiseKernel
        }

        /// Whether block `i` (from 0) has a global pooling bias.
        public func pools(block i: Int) -> Bool { globalPoolEvery > 0 && (i + 1) % globalPoolEvery == 0 }

        /// Throws unless every size is within `Architecture.limits`, naming the setting by its key.
        public func validate() throws(NetworkError) {
            if let bad = outOfRange {
                throw NetworkError(
                    "architecture \"\(bad.key)\" must be an integer in \(bad.range.lowerBound)…\(bad.range.upperBound), not \(bad.value)"
                )
            }
        }

        /// The first size outside the limits, with its metadata key ("value_hidden") and range: what
        /// `validate` refuses, for callers that name it their own way.
        public var outOfRange: (key: String, value: Int, range: ClosedRange<Int>)? {
            let limits = Architecture.limits
            let checks: [(key: String, value: Int, range: ClosedRange<Int>)] =
                [
                    ("blocks", blocks, limits.blocks), ("filters", filters, limits.filters),
                    ("policy_filters", policyFilters, limits.heads),
                    ("value_filters", valueFilters, limits.heads),
                    ("value_hidden", valueHidden, limits.hidden),
                    ("global_pool_every", globalPoolEvery, 0...limits.blocks.upperBound),
                    ("squeeze_excitation", squeezeExcitation, 0...limits.heads.upperBound),
                ] + (trunk == .mobile ? [("expansion", expansion, limits.expansion)] : [])
            return checks.first { !$0.range.contains($0.value) }
        }

        /// Reads the keys of the `architecture` metadata object of a family network.
        init(json obj: [String: Any]) throws(NetworkError) {
            func int(_ key: String, _ range: ClosedRange<Int>, default d: Int?) throws(NetworkError) -> Int {
                guard let v = obj[key] else {
                    if let d { return d }
                    throw NetworkError("architecture lacks \"\(key)\"")
                }
                guard let n = (v as? NSNumber)?.intValue, "\(v)" == "\(n)", range.contains(n) else {
                    throw NetworkError(
                        "architecture \"\(key)\" must be an integer in \(range.lowerBound)…\(range.upperBound), not \(v)"
                    )
                }
                return n
            }
            func choice<T: RawRepresentable & CaseIterable>(_ key: String, default d: T?) throws(NetworkError) -> T
            where T.RawValue == String {
                guard let v = obj[key] else {
                    if let d { return d }
                    throw NetworkError("architecture lacks \"\(key)\"")
                }
                guard let s = v as? String else { throw NetworkError("architecture \"\(key)\" must be a string") }
                guard let c = T(rawValue: s) else {
                    let names = T.allCases.map(\.rawValue) + (key == "trunk" ? ["graph"] : [])
                    let listed = names.dropLast().joined(separator: ", ") + " or " + names.last!
                    throw NetworkError("unknown \(key) \"\(s)\" (\(listed))")
                }
                return c
            }
            let limits = Architecture.limits
            trunk = try choice("trunk", default: nil)
            blocks = try int("blocks", limits.blocks, default: nil)
            filters = try int("filters", limits.filters, default: nil)
            expansion = trunk == .mobile ? try int("expansion", limits.expansion, default: nil) : 0
            policyHead = try choice("policy_head", default: .fc)
            policyFilters = try int("policy_filters", limits.heads, default: 2)
            valueHead = try choice("value_head", default: .fc)
            valueFilters = try int("value_filters", limits.heads, default: 1)
            valueHidden = try int("value_hidden", limits.hidden, default: 256)
            globalPoolEvery = try int("global_pool_every", 0...limits.blocks.upperBound, default: 0)
            squeezeExcitation = try int("squeeze_excitation", 0...limits.heads.upperBound, default: 0)
            activation = try choice("activation", default: .relu)
            // 3 and 5 are written as numbers, "mixed" as a string; either is read as its text.
            let side = obj["depthwise_kernel"].map { ($0 as? String) ?? "\($0)" }
            if trunk == .mobile, let side {
                guard let k = DepthwiseKernel(rawValue: side) else {
                    throw NetworkError("architecture \"depthwise_kernel\" must be 3, 5 or \"mixed\", not \(side)")
                }
                depthwiseKernel = k
            } else {
                depthwiseKernel = .three
            }
        }

        /// The `architecture` metadata JSON, keys in docs/FORMATS.md's order.
        public var json: String {
            var parts = ["\"trunk\": \"\(trunk.rawValue)\"", "\"blocks\": \(blocks)", "\"filters\": \(filters)"]
            if trunk == .mobile { parts.append("\"expansion\": \(expansion)") }
            parts += [
                "\"policy_head\": \"\(policyHead.rawValue)\"", "\"policy_filters\": \(policyFilters)",
                "\"value_head\": \"\(valueHead.rawValue)\"", "\"value_filters\": \(valueFilters)",
                "\"value_hidden\": \(valueHidden)",
            ]
            // Written only when used, so that the files of networks without it stay as they were.
            if globalPoolEvery > 0 { parts.append("\"global_pool_every\": \(globalPoolEvery)") }
            if squeezeExcitation > 0 { parts.append("\"squeeze_excitation\": \(squeezeExcitation)") }
            if activation != .relu { parts.append("\"activation\": \"\(activation.rawValue)\"") }
            switch (trunk, depthwiseKernel) {
            case (.resnet, _), (.mobile, .three): break
            case (.mobile, .five): parts.append("\"depthwise_kernel\": 5")
            case (.mobile, .mixed): parts.append("\"depthwise_kernel\": \"mixed\"")
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }

        /// `resnet 6x64, fc policy head (2 filters), fc value head (1 filters, 256 hidden)`.
        public var summary: String {
            let t =
                trunk == .resnet
                ? "resnet \(blocks)x\(filters)"
                : "mobile \(blocks)x\(filters) expansion \(expansion)"
                    + [.three: "", .five: " depthwise 5x5", .mixed: " depthwise 3x3+5x5"][depthwiseKernel]!
            let pooling =
                (globalPoolEvery > 0 ? ", global pooling every \(globalPoolEvery) blocks" : "")
                + (squeezeExcitation > 0 ? ", squeeze-excitation \(squeezeExcitation)" : "")
                + (activation != .relu ? ", \(activation.rawValue)" : "")
            return
                "\(t)\(pooling), \(policyHead.rawValue) policy head (\(policyFilters) filters), \(valueHead.rawValue) value head (\(valueFilters) filters, \(valueHidden) hidden)"
        }
    }
}
