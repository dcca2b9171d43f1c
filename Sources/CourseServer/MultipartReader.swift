import Foundation

/// Reads a `multipart/form-data` body as it arrives: the file field is streamed to a file (never
/// held in memory, never named as the client asked), the other fields are kept if small. Limits:
/// the file's size, 16 KB of headers a part, 4 KB a text field, 20 parts.
struct MultipartReader {
    /// Why a body is refused.
    enum Failure: Error, Equatable {
        /// The file is larger than the limit.
        case tooLarge(limit: Int)
        /// Not multipart as RFC 7578 writes it; the reason in words.
        case malformed(String)
    }

    /// What the body held.
    struct Result {
        /// The file field's name as the client gave it (for display), nil without a file.
        var fileName: String?
        /// Bytes written to the file.
        var fileSize = 0
        /// The small text fields.
        var fields: [String: String] = [:]
    }

    static let headerLimit = 16 * 1024
    static let fieldLimit = 4 * 1024
    static let partLimit = 20

    private enum State { case preamble, headers, body, afterDelimiter, done }

    private let delimiter: [UInt8]  // "\r\n--" + boundary
    private let fileField: String
    private let limit: Int
    private let output: FileHandle
    private var state = State.preamble
    private var pending: [UInt8] = []
    private var current: (name: String, isFile: Bool, text: [UInt8])?
    private var parts = 0
    private(set) var result = Result()

    /// A reader of a body whose Content-Type is `contentType`, writing the field `fileField` to
    /// `output`, at most `limit` bytes.
    init(contentType: String, fileField: String, limit: Int, output: FileHandle) throws {
        guard let boundary = Self.boundary(contentType) else {
            throw Failure.malformed("the Content-Type is not multipart/form-data with a boundary")
        }
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.fileField = fileField
        self.limit = limit
        self.output = output
        // The first delimiter has no CRLF before it.
        pending = Array("\r\n".utf8)
    }

    /// The boundary parameter of a multipart/form-data Content-Type (quoted or not, 1–70 characters).
    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for p in parts.dropFirst() where p.lowercased().hasPrefix("boundary=") {
            var b = String(p.dropFirst("boundary=".count))
            if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
            return (1...70).contains(b.count) ? b : nil
        }
        return nil
    }

    /// Feeds the next bytes of the body.
    mutating func feed(_ bytes: some Collection<UInt8>) throws {
        pending.append(contentsOf: bytes)
        while try step() {}
    }

    /// Checks that the body ended where multipart ends.
    func finish() throws -> Result {
        guard state == .done else { throw Failure.malformed("the body ended before its closing boundary") }
        return result
    }

    /// One step of the state machine; false when it needs more bytes.
    private mutating func step() throws -> Bool {
        switch state {
        case .preamble:
            guard let i = find(delimiter) else {
                // A preamble is allowed but not kept.
                if pending.count > Self.headerLimit { throw Failure.malformed("no boundary in the first 16 KB") }
                return false
            }
            pending.removeFirst(i + delimiter.count)
            state = .afterDelimiter
            return true
        case .afterDelimiter:
            guard pending.count >= 2 else { return false }
            if pending[0] == UInt8(ascii: "-"), pending[1] == UInt8(ascii: "-") {
                try endPart()
                state = .done
                pending = []
                return false
            }
            // Transport padding (spaces, tabs) may follow a delimiter.
            guard let end = find(Array("\r\n".utf8)) else { return false }
            guard pending[..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
                throw Failure.malformed("a boundary is followed by something other than a line end")
            }
            try endPart()
            pending.removeFirst(end + 2)
            state = .headers
            return true
        case .headers:
            guard let end = find(Array("\r\n\r\n".utf8)) else {
                if pending.count > Self.headerLimit { throw Failure.malformed("a part's headers exceed 16 KB") }
                return false
            }
            guard end <= Self.headerLimit else { throw Failure.malformed("a part's headers exceed 16 KB") }
            let text = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeFirst(end + 4)
            try beginPart(headers: text)
            state = .body
            return true
        case .body:
            if let i = find(delimiter) {
                try write(pending[..<i])
                pending.removeFirst(i + delimiter.count)
                state = .afterDelimiter
                return true
            }
            // Keep what could be the start of a delimiter split across two reads.
            let safe = pending.count - (delimiter.count - 1)
            if safe > 0 {
                try write(pending[..<safe])
                pending.removeFirst(safe)
            }
            return false
        case .done:
            pending = []
            return false
        }
    }

    private mutating func beginPart(headers: String) throws {
        parts += 1
        guard parts <= Self.partLimit else { throw Failure.malformed("more than \(Self.partLimit) parts") }
        var name: String?
        var fileName: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-disposition" else { continue }
            for p in pair[1].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if p.hasPrefix("name=") { name = Self.unquote(p.dropFirst(5)) }
                if p.hasPrefix("filename=") { fileName = Self.unquote(p.dropFirst(9)) }
            }
        }
        guard let name else { throw Failure.malformed("a part has no Content-Disposition name") }
        let isFile = name == fileField
        if isFile {
            guard result.fileName == nil else { throw Failure.malformed("more than one \(fileField) field") }
            result.fileName = fileName ?? "upload"
        }
        current = (name, isFile, [])
    }

    private mutating func write(_ bytes: ArraySlice<UInt8>) throws {
        guard var c = current, !bytes.isEmpty else { return }
        if c.isFile {
            result.fileSize += bytes.count
            guard result.fileSize <= limit else { throw Failure.tooLarge(limit: limit) }
            output.write(Data(bytes))
        } else {
            c.text.append(contentsOf: bytes)
            guard c.text.count <= Self.fieldLimit else { throw Failure.malformed("the field \(c.name) exceeds 4 KB") }
            current = c
        }
    }

    private mutating func endPart() throws {
        guard let c = current else { return }
        if !c.isFile { result.fields[c.name] = String(decoding: c.text, as: UTF8.self) }
        current = nil
    }

    private static func unquote(_ s: Substring) -> String {
        var t = String(s)
        if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = String(t.dropFirst().dropLast()) }
        return t
    }

    /// The first index of `needle` in `pending`.
    private func find(_ needle: [UInt8]) -> Int? {
        let n = needle.count
        guard pending.count >= n else { return nil }
        let first = needle[0]
        return pending.withUnsafeBufferPointer { p in
            var i = 0
            while i <= p.count - n {
                if p[i] == first {
                    var j = 1
                    while j < n, p[i + j] == needle[j] { j += 1 }
                    if j == n { return i }
                }
                i += 1
            }
            return nil
        }
    }
}
