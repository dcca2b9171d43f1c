import Foundation

/// A ustar archive (POSIX.1-1988) of small text files, for downloading every game at once.
enum TarArchive {
    /// The archive of `files` (names of at most 100 ASCII bytes).
    static func make(_ files: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        let now = Int(Date().timeIntervalSince1970)
        for f in files {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ s: String, at offset: Int, width: Int) {
                for (i, b) in s.utf8.prefix(width).enumerated() { header[offset + i] = b }
            }
            func octal(_ n: Int, at offset: Int, width: Int) {
                put(String(String(n, radix: 8).suffix(width - 1)).leftPadded(width - 1), at: offset, width: width - 1)
            }
            put(String(f.name.prefix(100)), at: 0, width: 100)
            octal(0o644, at: 100, width: 8)
            octal(0, at: 108, width: 8)
            octal(0, at: 116, width: 8)
            octal(f.bytes.count, at: 124, width: 12)
            octal(now, at: 136, width: 12)
            put("        ", at: 148, width: 8)  // the checksum counts its own field as spaces
            header[156] = UInt8(ascii: "0")
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(String(sum, radix: 8)).leftPadded(6) + "\0 ", at: 148, width: 8)
            out += header + f.bytes
            out += [UInt8](repeating: 0, count: (512 - f.bytes.count % 512) % 512)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
