import Foundation
import GoRecords

/// An SVG of a run's curves against wall time (training intervals and validation): top-1
/// accuracy, policy loss, value MSE, the reply, score and ownership losses when the run trained
/// those heads, and the analysis heads' score error and ownership accuracy where they were
/// measured; for a browser or any image viewer.
public enum TrainingPlot {
    /// An SVG of the loss and accuracy curves of `entries`.
    public static func svg(_ entries: [LogEntry], title: String) -> String {
        let w = 760.0
        let h = 300.0
        let left = 60.0
        let right = 20.0
        let top = 40.0
        let bottom = 40.0
        var panels: [(String, (LogEntry) -> Double)] = [
            ("top-1 accuracy", { $0.metrics.top1Accuracy }), ("policy loss", { $0.metrics.policyLoss }),
            ("value MSE", { $0.metrics.valueMSE }),
        ]
        // Validation passes do not run the training-only heads: their curves are the training
        // intervals', each shown when the run trained it.
        let trainOnly: [(String, (LogEntry) -> Double)] = [
            ("reply loss", { $0.metrics.replyLoss }), ("score loss", { $0.metrics.scoreLoss }),
            ("ownership loss", { $0.metrics.ownershipLoss }),
        ]
        var auxiliary: [String: [LogEntry]] = [:]
        for (name, value) in trainOnly {
            let shown = entries.filter { $0.kind == .train && value($0) > 0 }
            if shown.isEmpty { continue }
            auxiliary[name] = shown
            panels.append((name, value))
        }
        // The analysis heads, measured on counted games in validation (and in `--heads-only` training).
        let heads: [(String, (LogEntry) -> Double, (LogEntry) -> Bool)] = [
            ("score error (points)", { $0.metrics.scoreError }, { $0.metrics.scored > 0 }),
            ("ownership accuracy", { $0.metrics.ownershipAccuracy }, { $0.metrics.ownedPoints > 0 }),
        ]
        for (name, value, measured) in heads {
            let shown = entries.filter(measured)
            if shown.isEmpty { continue }
            auxiliary[name] = shown
            panels.append((name, value))
        }
        let maxT = max(entries.map(\.elapsed).max() ?? 1, 1) / 60
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(Double(panels.count) * h + 30))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(left)\" y=\"20\" font-size=\"15\" font-weight=\"bold\">\(Markup.escape(title))</text>\n"
        for (k, panel) in panels.enumerated() {
            let y0 = 30 + Double(k) * h
            let shown = auxiliary[panel.0] ?? entries
            let values = shown.map(panel.1)
            var lo = values.min() ?? 0
            var hi = values.max() ?? 1
            if k == 0 {
                lo = 0
                hi = max(hi, 0.05)
            }
            if hi - lo < 1e-9 { hi = lo + 1 }
            let pad = (hi - lo) * 0.05
            lo -= k == 0 ? 0 : pad
            hi += pad
            func px(_ t: Double) -> Double { left + (t / maxT) * (w - left - right) }
            func py(_ v: Double) -> Double { y0 + top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom) }
            out += "<text x=\"\(left)\" y=\"\(y0 + top - 10)\" font-weight=\"bold\">\(panel.0)</text>\n"
            out +=
                "<rect x=\"\(left)\" y=\"\(y0 + top)\" width=\"\(w - left - right)\" height=\"\(h - top - bottom)\" fill=\"none\" stroke=\"#999\"/>\n"
            for i in 0...4 {
                let v = lo + (hi - lo) * Double(i) / 4
                let label = k == 0 ? String(format: "%.0f%%", v * 100) : String(format: "%.2f", v)
                out += "<text x=\"\(left - 6)\" y=\"\(py(v) + 4)\" text-anchor=\"end\">\(label)</text>\n"
                out += "<line x1=\"\(left)\" x2=\"\(w - right)\" y1=\"\(py(v))\" y2=\"\(py(v))\" stroke=\"#eee\"/>\n"
                let t = maxT * Double(i) / 4
                out +=
                    "<text x=\"\(px(t))\" y=\"\(y0 + h - bottom + 16)\" text-anchor=\"middle\">\(String(format: "%.1f", t)) min</text>\n"
            }
            for (kind, color) in [(LogEntry.Kind.train, "#4a90d9"), (.validation, "#d0021b")] {
                let pts = shown.filter { $0.kind == kind }.map {
                    "\(String(format: "%.1f", px($0.elapsed / 60))),\(String(format: "%.1f", py(panel.1($0))))"
                }
                if pts.isEmpty { continue }
                out +=
                    "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(kind == .validation ? 2.5 : 1.2)\" points=\"\(pts.joined(separator: " "))\"/>\n"
            }
            out += "<text x=\"\(w - right - 150)\" y=\"\(y0 + top + 16)\" fill=\"#4a90d9\">— training</text>\n"
            out += "<text x=\"\(w - right - 80)\" y=\"\(y0 + top + 16)\" fill=\"#d0021b\">— validation</text>\n"
        }
        return out + "</svg>\n"
    }
}
