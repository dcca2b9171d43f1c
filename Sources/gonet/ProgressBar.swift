import Foundation

/// A one-line progress bar on standard error when it is a terminal; plain lines every few seconds otherwise.
final class ProgressBar {
    let label: String
    let isTerminal = isatty(2) != 0
    let start = Date()
    var last = Date.distantPast

    init(label: String) { self.label = label }

    func update(fraction: Double, text: String) {
        let now = Date()
        guard now.timeIntervalSince(last) >= (isTerminal ? 0.1 : 5) else { return }
        last = now
        let f = min(max(fraction, 0), 1)
        let elapsed = now.timeIntervalSince(start)
        let eta = f > 0.01 ? elapsed * (1 - f) / f : 0
        let timing = "\(Int(elapsed))s" + (f > 0.01 && f < 1 ? ", ETA \(Int(eta))s" : "")
        if isTerminal {
            let width = 30
            let filled = Int(f * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            printError("\r\u{1B}[2K\(label) \(bar) \(Int(f * 100))% \(text) (\(timing))", newline: false)
        } else {
            printError("\(label): \(Int(f * 100))% \(text) (\(timing))")
        }
    }

    func finish() {
        if isTerminal { printError("\r\u{1B}[2K", newline: false) }
    }
}
