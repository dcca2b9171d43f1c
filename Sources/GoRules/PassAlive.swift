extension Board {
    /// Per point index, the colour for which the point is pass-alive, by Benson's algorithm:
    /// the stones of chains that no sequence of opponent moves can capture even if their owner
    /// always passes, and the regions those chains enclose in which every empty point is a
    /// liberty of one of them (any opponent stones there are dead). Nil elsewhere.
    ///
    /// Benson (1976): start from all chains X of a colour and all regions R (maximal connected
    /// sets of points not of that colour); a region is vital to a chain when every empty point of
    /// the region is a liberty of the chain. Repeatedly drop the chains with fewer than two vital
    /// regions, and the regions that touch a dropped chain, until nothing changes.
    public func passAlive() -> [Stone?] {
        var owners = [Stone?](repeating: nil, count: size * size)
        for color in Stone.allCases { markPassAlive(color.rawValue, into: &owners) }
        return owners
    }

    private func markPassAlive(_ c: UInt8, into owners: inout [Stone?]) {
        let d = dirs
        let n = cells.count
        // Regions: flood fill over points that are not `c`.
        var regionOf = [Int](repeating: -1, count: n)
        var regions: [[Int]] = []
        var stack: [Int] = []
        for y in 0..<size {
            for x in 0..<size {
                let v = (y + 1) * stride + x + 1
                guard cells[v] != c, regionOf[v] < 0 else { continue }
                let id = regions.count
                var points: [Int] = []
                regionOf[v] = id
                stack.append(v)
                while let e = stack.popLast() {
                    points.append(e)
                    for k in 0..<4 {
                        let m = e + d[k]
                        if cells[m] != c && cells[m] != Board.edge && regionOf[m] < 0 {
                            regionOf[m] = id
                            stack.append(m)
                        }
                    }
                }
                regions.append(points)
            }
        }
        // For each region: the chains (heads) it touches, and the chains it is vital to.
        var touches: [Set<Int>] = []
        var vitalTo: [Set<Int>] = []
        for points in regions {
            var touching = Set<Int>()
            var vital: Set<Int>? = nil
            for e in points {
                var around = Set<Int>()
                for k in 0..<4 where cells[e + d[k]] == c { around.insert(Int(head[e + d[k]])) }
                touching.formUnion(around)
                // Only empty points must be liberties; an opponent stone may sit anywhere inside.
                if cells[e] == Board.empty { vital = vital.map { $0.intersection(around) } ?? around }
            }
            touches.append(touching)
            vitalTo.append(vital ?? touching)
        }
        var chains = Set<Int>()
        for y in 0..<size {
            for x in 0..<size where cells[(y + 1) * stride + x + 1] == c {
                chains.insert(Int(head[(y + 1) * stride + x + 1]))
            }
        }
        var alive = Set(regions.indices)
        while true {
            var vitalCount = [Int: Int]()
            for r in alive { for h in vitalTo[r] where chains.contains(h) { vitalCount[h, default: 0] += 1 } }
            let dropped = chains.filter { vitalCount[$0, default: 0] < 2 }
            guard !dropped.isEmpty else { break }
            chains.subtract(dropped)
            alive = alive.filter { touches[$0].isDisjoint(with: dropped) }
        }
        guard !chains.isEmpty else { return }
        let color = Stone(rawValue: c)
        for y in 0..<size {
            for x in 0..<size {
                let v = (y + 1) * stride + x + 1
                if cells[v] == c, chains.contains(Int(head[v])) { owners[y * size + x] = color }
            }
        }
        // A surviving region vital to a pass-alive chain is its owner's for good.
        for r in alive where !vitalTo[r].isDisjoint(with: chains) && touches[r].isSubset(of: chains) {
            for e in regions[r] { owners[(e / stride - 1) * size + e % stride - 1] = color }
        }
    }
}
