#if canImport(Glibc)
    import Glibc
#endif

/// How the text of an SGF game is decoded (FF[4], property CA): the root's `CA` names the
/// charset of every value of the game tree, read with glibc's iconv. Without `CA`, text that is
/// valid UTF-8 is read as UTF-8 (what nearly every program writes today) and anything else as
/// ISO-8859-1, FF[4]'s default. An unknown charset is read as UTF-8 with a warning.
struct SGFCharset {
    /// The canonical name (uppercased, as iconv knows it), or nil for UTF-8.
    let name: String?
    /// Set when the file named a charset iconv does not know.
    let warning: String?

    /// The charset for a game tree whose root says `ca` (nil: no CA), holding `bytes`.
    init(ca: String?, bytes: UnsafeBufferPointer<UInt8>) {
        guard let ca = ca?.trimmed, !ca.isEmpty else {
            name = Self.isUTF8(bytes) ? nil : "ISO-8859-1"
            warning = nil
            return
        }
        let upper = ca.uppercased()
        // UTF-16 files are turned into UTF-8 before parsing (by their byte order mark), so a
        // UTF-16 CA describes the file, not the text the parser sees.
        if ["UTF-8", "UTF8", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF16", "US-ASCII", "ASCII"].contains(upper) {
            name = nil
            warning = nil
            return
        }
        let cd = iconv_open("UTF-8", upper)
        if cd == iconv_t(bitPattern: -1) {
            name = nil
            warning = "unknown charset CA[\(ca)]: read as UTF-8"
        } else {
            iconv_close(cd)
            name = upper
            warning = nil
        }
    }

    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // ASCII alone (the common case for records without names) needs no validation pass.
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// A value's bytes as text; bytes the charset cannot map become U+FFFD.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let name, bytes.contains(where: { $0 >= 0x80 }) else { return String(decoding: bytes, as: UTF8.self) }
        return Self.convert(Array(bytes), from: name) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// `bytes` in charset `from` as a String through iconv; nil when iconv cannot open it.
    static func convert(_ bytes: [UInt8], from: String) -> String? {
        let cd = iconv_open("UTF-8", from)
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var out: [UInt8] = []
        var input = bytes
        let chunk = 4 * bytes.count + 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        input.withUnsafeMutableBufferPointer { inBuf in
            buffer.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                while inLeft > 0 {
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    out += outBuf[0..<(outBuf.count - outLeft)]
                    if r == -1 {
                        if errno == E2BIG { continue }
                        // An invalid or cut-short sequence: one replacement character, then on.
                        out += [0xEF, 0xBF, 0xBD]
                        inPtr = inPtr.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A whole file that starts with a UTF-16 byte order mark, as UTF-8 bytes; nil otherwise.
    static func utf8FromUTF16(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let charset: String
        switch (bytes[0], bytes[1]) {
        case (0xFF, 0xFE): charset = "UTF-16LE"
        case (0xFE, 0xFF): charset = "UTF-16BE"
        default: return nil
        }
        return convert(Array(bytes.dropFirst(2)), from: charset).map { Array($0.utf8) }
    }
}

/// FF[4]'s text formatting: in Text values (`C`, `GC`) whitespace other than line breaks becomes
/// a space; in SimpleText values (names, dates, results, …) line breaks become spaces too. Other
/// values (moves, points, numbers) are left as read, so an error shows them as written.
enum SGFText {
    static let textProperties: Set<String> = ["C", "GC"]
    static let simpleTextProperties: Set<String> = [
        "AN", "BR", "BT", "CP", "DT", "EV", "GN", "N", "ON", "OT", "PB", "PC", "PW",
        "RE", "RO", "RU", "SO", "US", "WR", "WT", "AP", "CA",
    ]

    static func normalize(_ value: String, property: String) -> String {
        // The byte scan first: most values (every move) hold no such whitespace, and then the
        // property-name lookups are not needed (tab, LF, VT, FF, CR are bytes 9 to 13).
        guard value.utf8.contains(where: { $0 >= 9 && $0 <= 13 }) else { return value }
        let keepBreaks = textProperties.contains(property)
        guard keepBreaks || simpleTextProperties.contains(property) else {
            return value
        }
        var out = String.UnicodeScalarView()
        var previousCR = false
        for s in value.unicodeScalars {
            switch s {
            case "\n", "\r":
                if keepBreaks {
                    // CR LF and LF CR are one break, kept as LF.
                    if !(previousCR && s == "\n") { out.append("\n") }
                } else if !(previousCR && s == "\n") {
                    out.append(" ")
                }
                previousCR = s == "\r"
                continue
            case "\t", "\u{0B}", "\u{0C}": out.append(" ")
            default: out.append(s)
            }
            previousCR = false
        }
        return String(out)
    }
}
