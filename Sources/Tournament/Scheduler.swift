import Foundation

/// Round robin (every pair) or gauntlet (everyone against the reference), colours alternating.
public enum Scheduler {
    /// The games `entrants` owe each other; the same entrants and config give the same slots
    /// (keys and opening seeds), run after run and worker after worker.
    public static func slots(_ entrants: [Entrant], config: TournamentConfig, gamesPerPairing: Int) throws
        -> [ScheduledSlot]
    {
        var pairs: [(Int64, Int64)] = []
        let ids = entrants.compactMap(\.id)
        if config.schedule == "gauntlet" {
            guard let refName = config.reference, let ref = entrants.first(where: { $0.name == refName })?.id else {
                throw TournamentError("a gauntlet needs \"reference\" naming an entrant")
            }
            pairs = ids.filter { $0 != ref }.map { (ref, $0) }
        } else {
            for i in ids.indices {
                for j in ids.indices where j > i { pairs.append((ids[i], ids[j])) }
            }
        }
        var out: [ScheduledSlot] = []
        // Game k of every pairing before game k + 1 of any: partial runs stay balanced.
        for k in 0..<gamesPerPairing {
            for (a, b) in pairs {
                let (black, white) = k % 2 == 0 ? (a, b) : (b, a)
                var seed = config.seed &* 0x9E37_79B9_7F4A_7C15
                // Games 2j and 2j + 1 share a seed: the same opening with the colours swapped.
                seed ^= UInt64(a) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(b) &* 0x94D0_49BB_1331_11EB ^ UInt64(k / 2)
                out.append(
                    ScheduledSlot(key: "\(a)-\(b)-\(k)", black: black, white: white, openingSeed: seed, round: k))
            }
        }
        return out
    }
}
