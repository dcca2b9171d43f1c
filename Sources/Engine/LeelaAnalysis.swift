import GoRules

/// Reads Leela Zero's analysis lines back (what Sabaki, Lizzie and KaTrain parse).
public enum LeelaAnalysis {
    /// The candidates of one `info move … info move …` line; nil when the line is malformed.
    public static func parse(_ line: String) -> [MoveInfo]? {
        let words = line.split(separator: " ").map(String.init)
        var out: [MoveInfo] = []
        var i = 0
        while i < words.count {
            guard words[i] == "info" else { return nil }
            i += 1
            var info = MoveInfo(move: .pass, visits: 0, winrate: 0, prior: 0, pv: [])
            var sawMove = false
            while i < words.count && words[i] != "info" {
                let key = words[i]
                if key == "pv" {
                    i += 1
                    while i < words.count && words[i] != "info" {
                        guard let m = Coordinates.move(gtp: words[i], size: Board.standardSize) else { return nil }
                        info.pv.append(m)
                        i += 1
                    }
                    break
                }
                guard i + 1 < words.count else { return nil }
                let value = words[i + 1]
                switch key {
                case "move":
                    guard let m = Coordinates.move(gtp: value, size: Board.standardSize) else { return nil }
                    info.move = m
                    sawMove = true
                case "visits":
                    guard let v = Int(value) else { return nil }
                    info.visits = v
                case "winrate":
                    guard let v = Int(value) else { return nil }
                    info.winrate = Double(v) / 10000
                case "prior":
                    guard let v = Int(value) else { return nil }
                    info.prior = Double(v) / 10000
                default: break
                }
                i += 2
            }
            guard sawMove else { return nil }
            out.append(info)
        }
        return out
    }
}
