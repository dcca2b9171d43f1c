extension PolicyValueNetwork {
    /// 16 hex digits that change with any tensor's name, shape or value (FNV-1a over them): what
    /// a heads file names its network by, so heads never run on a network they were not trained
    /// with. Metadata is left out, so renaming or annotating a network keeps its heads.
    public var digest: String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        for p in parameters {
            for b in p.name.utf8 { mix(b) }
            for d in p.shape { for k in 0..<4 { mix(UInt8(truncatingIfNeeded: d >> (8 * k))) } }
            for v in p.value {
                let bits = v.bitPattern
                for k in 0..<4 { mix(UInt8(truncatingIfNeeded: bits >> (8 * k))) }
            }
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
