import Foundation

extension AnalysisEngine {
    /// Reads queries from the file descriptor (standard input by default) until its end, then
    /// finishes every query read, as KataGo does when its input closes. A line longer than
    /// `longestLine` is skipped unread past the limit and answered with an error, so that a
    /// client cannot make the engine hold a line of any length.
    public func run(reading fd: Int32 = 0) {
        var line = Data()
        var overflow = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        func end() {
            if overflow > 0 {
                refuseLongLine(overflow)
            } else {
                handle(line)
            }
            line.removeAll(keepingCapacity: true)
            overflow = 0
        }
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            var start = 0
            for i in 0..<n where chunk[i] == 10 {
                append(chunk[start..<i], to: &line, overflow: &overflow)
                end()
                start = i + 1
            }
            append(chunk[start..<n], to: &line, overflow: &overflow)
        }
        if !line.isEmpty || overflow > 0 { end() }
        finish()
    }

    private func append(_ bytes: ArraySlice<UInt8>, to line: inout Data, overflow: inout Int) {
        if overflow > 0 || line.count + bytes.count > Self.longestLine {
            overflow += (overflow == 0 ? line.count : 0) + bytes.count
            line.removeAll()
        } else {
            line.append(contentsOf: bytes)
        }
    }
}
