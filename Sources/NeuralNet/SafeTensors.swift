import Foundation

/// A malformed or unreadable safetensors file; the message names the file and, where there is one, the tensor.
public struct SafeTensorsError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The message, for code that reads `localizedDescription`.
    public var errorDescription: String? { description }
    /// The file.
    public var path: String
    /// What is wrong, naming the tensor where there is one.
    public var message: String

    /// A problem of the file at `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The file and the message.
    public var description: String { "\(path): \(message)" }
}

/// The safetensors format: 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw little-endian data. Reading checks every range
/// against the file before touching it, so a hostile file cannot crash or over-allocate.
public struct SafeTensors {
    /// Element types this library reads (written: F32 and I64).
    public enum DType: String, Sendable {
        case F32, F64, I64, I32
        var size: Int { self == .F32 || self == .I32 ? 4 : 8 }
    }

    /// One tensor: element type, shape and raw bytes.
    public struct Entry: Sendable, Equatable {
        /// The element type.
        public var dtype: DType
        /// The shape.
        public var shape: [Int]
        /// The little-endian data.
        public var bytes: [UInt8]

        /// A tensor of `dtype` and `shape` with its raw `bytes`.
        public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    /// Header length above which a file is refused (the format's own reference limit is 100 MB).
    static let maxHeader = 100_000_000

    /// The tensors by name.
    public var entries: [String: Entry] = [:]
    /// The header's `__metadata__` strings.
    public var metadata: [String: String] = [:]

    /// An empty file.
    public init() {}

    /// Adds a float32 tensor.
    public mutating func set(_ name: String, _ t: Tensor) {
        var bytes = [UInt8](repeating: 0, count: t.count * 4)
        bytes.withUnsafeMutableBytes { dst in
            for (i, v) in t.data.enumerated() {
                dst.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        entries[name] = Entry(dtype: .F32, shape: t.shape, bytes: bytes)
    }

    /// Adds an int64 tensor.
    public mutating func set(_ name: String, int64 values: [Int64], shape: [Int]) {
        var bytes = [UInt8](repeating: 0, count: values.count * 8)
        bytes.withUnsafeMutableBytes { dst in
            for (i, v) in values.enumerated() {
                dst.storeBytes(of: v.littleEndian, toByteOffset: i * 8, as: Int64.self)
            }
        }
        entries[name] = Entry(dtype: .I64, shape: shape, bytes: bytes)
    }

    /// A tensor as float32 (F64 and integer tensors are converted), or nil when absent.
    public func tensor(_ name: String) -> Tensor? {
        guard let e = entries[name] else { return nil }
        let n = e.shape.reduce(1, *)
        var data = [Float](repeating: 0, count: n)
        e.bytes.withUnsafeBytes { src in
            for i in 0..<n {
                switch e.dtype {
                case .F32:
                    data[i] = Float(
                        bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                case .F64:
                    data[i] = Float(
                        Double(
                            bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
                    )
                case .I64:
                    data[i] = Float(Int64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                case .I32:
                    data[i] = Float(Int32(littleEndian: src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                }
            }
        }
        return Tensor(shape: e.shape, data: data)
    }

    // MARK: Reading

    /// Reads and checks a file.
    public static func read(path: String) throws -> SafeTensors {
        let url = URL(fileURLWithPath: path)
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard (attributes[.type] as? FileAttributeType) != .typeDirectory else {
                throw SafeTensorsError(path: path, message: "is a directory")
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let e as SafeTensorsError {
            throw e
        } catch {
            throw SafeTensorsError(path: path, message: "cannot open: no such file or not readable")
        }
        guard size >= 8 else {
            throw SafeTensorsError(path: path, message: "too short for a safetensors file (\(size) bytes)")
        }
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            throw SafeTensorsError(path: path, message: "cannot read")
        }
        return try parse([UInt8](data), path: path)
    }

    /// A JSON number that is exactly an integer (NSNumber's own conversion of 1e300 or 2.5 is not).
    private static func exactInt(_ any: Any) -> Int? {
        guard let n = any as? NSNumber, let d = Int(exactly: n.doubleValue), "\(n)" == "\(d)" else { return nil }
        return d
    }

    /// Parses and checks the bytes of a file.
    public static func parse(_ bytes: [UInt8], path: String) throws -> SafeTensors {
        func fail(_ m: String) -> SafeTensorsError { SafeTensorsError(path: path, message: m) }
        guard bytes.count >= 8 else { throw fail("too short for a safetensors file (\(bytes.count) bytes)") }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) is larger than the file (\(bytes.count) bytes)")
        }
        guard headerLength <= UInt64(maxHeader) else {
            throw fail("header length \(headerLength) exceeds \(maxHeader) bytes")
        }
        let hl = Int(headerLength)
        let dataStart = 8 + hl
        let dataLength = bytes.count - dataStart
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])),
            let header = json as? [String: Any]
        else {
            throw fail("header is not valid JSON")
        }
        var result = SafeTensors()
        var ranges: [(Int, Int, String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let meta = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in meta {
                    guard let s = v as? String else { throw fail("metadata \(k) is not a string") }
                    result.metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any], let dt = info["dtype"] as? String,
                let shapeAny = info["shape"] as? [Any], let offsetsAny = info["data_offsets"] as? [Any]
            else {
                throw fail("tensor \(name): needs dtype, shape and data_offsets")
            }
            guard let dtype = DType(rawValue: dt) else { throw fail("tensor \(name): unsupported dtype \(dt)") }
            var shape: [Int] = []
            var count = 1
            for s in shapeAny {
                guard let d = exactInt(s), d >= 0 else { throw fail("tensor \(name): bad shape \(shapeAny)") }
                // A zero dimension is a valid, empty tensor: only an overflow is refused here,
                // the size is checked against the offsets below.
                let (c, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw fail("tensor \(name): shape \(shapeAny) is larger than the file") }
                count = c
                shape.append(d)
            }
            guard offsetsAny.count == 2, let begin = exactInt(offsetsAny[0]), let end = exactInt(offsetsAny[1]),
                begin >= 0, begin <= end
            else {
                throw fail("tensor \(name): bad data_offsets \(offsetsAny)")
            }
            guard end <= dataLength else {
                throw fail(
                    "tensor \(name): data_offsets [\(begin), \(end)] point past the end of the data (\(dataLength) bytes)"
                )
            }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, end - begin == byteCount else {
                throw fail("tensor \(name): \(end - begin) bytes do not hold shape \(shape) of \(dtype.rawValue)")
            }
            ranges.append((begin, end, name))
            result.entries[name] = Entry(
                dtype: dtype, shape: shape, bytes: Array(bytes[(dataStart + begin)..<(dataStart + end)]))
        }
        // The safetensors spec: the data is indexed entirely, without holes (no polyglot files).
        ranges.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var covered = 0
        for (begin, end, name) in ranges {
            guard begin >= covered else { throw fail("tensor \(name) overlaps the tensor before it") }
            guard begin == covered else {
                throw fail("\(begin - covered) bytes before tensor \(name) belong to no tensor")
            }
            covered = end
        }
        guard covered == dataLength else {
            throw fail("\(dataLength - covered) bytes after the last tensor belong to no tensor")
        }
        return result
    }

    // MARK: Writing

    /// The file's bytes: tensors in name order, packed without gaps, header padded to 8 bytes.
    public func serialized() -> [UInt8] {
        var header = "{"
        var offset = 0
        var parts: [String] = []
        if !metadata.isEmpty {
            let meta = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(meta.joined(separator: ","))}")
        }
        let names = entries.keys.sorted()
        for name in names {
            let e = entries[name]!
            parts.append(
                "\(jsonString(name)):{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}"
            )
            offset += e.bytes.count
        }
        header += parts.joined(separator: ",") + "}"
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(32) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + h.count + offset)
        var n = UInt64(h.count)
        for _ in 0..<8 {
            out.append(UInt8(n & 0xFF))
            n >>= 8
        }
        out += h
        for name in names { out += entries[name]!.bytes }
        return out
    }

    /// Writes atomically: a temporary file, fsync, then rename over the destination.
    public func write(path: String) throws {
        try AtomicFile.write(serialized(), to: path)
    }
}

/// A JSON string literal.
func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
