/// Parses the text of one SGF game tree into its main line (the first variation at every branch).
///
/// Iterative, so deeply nested variations cannot overflow the stack; property identifiers keep
/// only their uppercase letters, which reads the long names of FF[1]–FF[3] (`AddBlack` is `AB`).
struct SGFParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var pos = 0
    var line: Int
    var column: Int

    /// A value as read, until the charset is known: where it stands in the text, or (only when
    /// it held escapes) its bytes with the escapes resolved. A span costs no copy.
    enum RawValue {
        case span(Range<Int>)
        case resolved([UInt8])
    }

    /// A property as read.
    struct RawProperty {
        var id: String
        var values: [RawValue]
        var line: Int, column: Int
    }

    /// Parses `text`, whose first byte sits at `line`:`column` of `file`; values are decoded by the
    /// root's `CA` (`SGFCharset`) and formatted as FF[4] says (`SGFText`). The warning tells of
    /// a charset that could not be used.
    static func mainLine(_ text: [UInt8], file: String, line: Int = 1, column: Int = 1) throws(RecordError) -> (
        nodes: [SGFNode], warning: RecordError?
    ) {
        do {
            return try text.withUnsafeBufferPointer { buffer in
                var p = SGFParser(bytes: buffer, file: file, line: line, column: column)
                let raw = try p.parseTree()
                func decode(_ v: RawValue, _ charset: SGFCharset?) -> String {
                    switch v {
                    case .span(let r):
                        let bytes = UnsafeBufferPointer(rebasing: buffer[r])
                        return charset?.decode(bytes) ?? String(decoding: bytes, as: UTF8.self)
                    case .resolved(let b):
                        return b.withUnsafeBufferPointer { charset?.decode($0) ?? String(decoding: $0, as: UTF8.self) }
                    }
                }
                let ca = raw.first?.first { $0.id == "CA" }
                let charset = SGFCharset(ca: ca.flatMap { $0.values.first }.map { decode($0, nil) }, bytes: buffer)
                let nodes = raw.map { props in
                    SGFNode(
                        properties: props.map { r in
                            SGFProperty(
                                r.id, r.values.map { SGFText.normalize(decode($0, charset), property: r.id) },
                                line: Int32(clamping: r.line), column: Int32(clamping: r.column))
                        })
                }
                let warning = charset.warning.map {
                    RecordError(
                        file: file, line: ca.map(\.line) ?? line, column: ca.map(\.column) ?? column, message: $0)
                }
                return (nodes, warning)
            }
        } catch let e as RecordError {
            throw e
        } catch {
            throw RecordError(file: file, line: line, column: column, message: "\(error)")
        }
    }

    func fail(_ message: String) -> RecordError {
        RecordError(file: file, line: line, column: column, message: message)
    }

    var atEnd: Bool { pos >= bytes.count }

    @inline(__always) mutating func advance() {
        if bytes[pos] == 10 {
            line += 1
            column = 1
        } else {
            column += 1
        }
        pos += 1
    }

    mutating func skipWhitespace() {
        while pos < bytes.count, bytes[pos] == 32 || (bytes[pos] >= 9 && bytes[pos] <= 13) { advance() }
    }

    func describe(_ b: UInt8) -> String {
        b >= 33 && b < 127 ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
    }

    mutating func parseTree() throws(RecordError) -> [[RawProperty]] {
        var nodes: [[RawProperty]] = []
        // Per open tree: is it on the main line, has it had a child tree, has it had a node.
        var onMain: [Bool] = []
        var hadChild: [Bool] = []
        skipWhitespace()
        guard !atEnd, bytes[pos] == 40 else {
            throw fail(atEnd ? "empty input: no game tree" : "expected '(' to start a game tree")
        }
        while true {
            skipWhitespace()
            guard !atEnd else {
                throw fail(
                    "unexpected end of file: \(onMain.count) game tree\(onMain.count == 1 ? "" : "s") not closed (missing ')')"
                )
            }
            switch bytes[pos] {
            case 40:  // (
                let main = onMain.isEmpty || (onMain.last! && !hadChild.last!)
                if !hadChild.isEmpty { hadChild[hadChild.count - 1] = true }
                onMain.append(main)
                hadChild.append(false)
                advance()
                skipWhitespace()
                guard !atEnd, bytes[pos] == 59 else {
                    throw fail(
                        atEnd
                            ? "unexpected end of file after '('"
                            : "expected ';' to start a node, found \(describe(bytes[pos]))")
                }
            case 41:  // )
                advance()
                onMain.removeLast()
                hadChild.removeLast()
                if onMain.isEmpty { return nodes }
            case 59:  // ;
                if hadChild.last! { throw fail("a node after variations: expected '(' or ')'") }
                advance()
                let node = try parseNode()
                if onMain.last! { nodes.append(node) }
            default:
                throw fail("expected ';', '(' or ')', found \(describe(bytes[pos]))")
            }
        }
    }

    mutating func parseNode() throws(RecordError) -> [RawProperty] {
        var node: [RawProperty] = []
        while true {
            skipWhitespace()
            guard !atEnd else { return node }
            let b = bytes[pos]
            let isLetter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
            guard isLetter else { return node }
            let startLine = line
            let startColumn = column
            var id: [UInt8] = []
            while !atEnd, (bytes[pos] >= 65 && bytes[pos] <= 90) || (bytes[pos] >= 97 && bytes[pos] <= 122) {
                if bytes[pos] <= 90 { id.append(bytes[pos]) }
                advance()
            }
            guard !id.isEmpty else {
                throw RecordError(
                    file: file, line: startLine, column: startColumn,
                    message: "property name without an uppercase letter")
            }
            var values: [RawValue] = []
            skipWhitespace()
            while !atEnd, bytes[pos] == 91 {
                values.append(try parseValue())
                skipWhitespace()
            }
            let name = String(decoding: id, as: UTF8.self)
            guard !values.isEmpty else {
                throw RecordError(
                    file: file, line: startLine, column: startColumn,
                    message: atEnd
                        ? "unexpected end of file after property \(name)" : "property \(name) has no value")
            }
            node.append(RawProperty(id: name, values: values, line: startLine, column: startColumn))
        }
    }

    /// Reads `[...]`, resolving escapes: `\x` is `x`, and a backslash before a line break removes both.
    mutating func parseValue() throws(RecordError) -> RawValue {
        let openLine = line
        let openColumn = column
        advance()
        let start = pos
        var escaped = false
        var text: [UInt8]? = nil
        while true {
            guard !atEnd else {
                throw RecordError(
                    file: file, line: openLine, column: openColumn, message: "unclosed '[': the value never ends")
            }
            let b = bytes[pos]
            if b == 92 {  // backslash
                if text == nil { text = Array(bytes[start..<pos]) }
                advance()
                guard !atEnd else { continue }
                let n = bytes[pos]
                if n == 10 || n == 13 {
                    advance()
                    if !atEnd, bytes[pos] == 10 || bytes[pos] == 13, bytes[pos] != n { advance() }
                } else {
                    text!.append(n)
                    advance()
                }
                escaped = true
                continue
            }
            if b == 93 { break }  // ]
            if text != nil { text!.append(b) }
            advance()
        }
        let value: RawValue = escaped ? .resolved(text!) : .span(start..<pos)
        advance()
        return value
    }
}
