import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read in chunks: a file, or a decompressor over one.
public protocol ByteSource: AnyObject {
    /// The file this stream comes from, for error messages.
    var name: String { get }
    /// Fills the buffer from its start; returns the number of bytes read, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes of the underlying file consumed so far (compressed bytes for a decompressor), for progress.
    var position: Int { get }
}

/// A plain file read sequentially through a file descriptor.
public final class FileByteSource: ByteSource {
    /// The file's path.
    public let name: String
    let fd: Int32
    /// Bytes delivered so far.
    public private(set) var offset: Int = 0

    /// Opens a file for reading; a missing, unreadable or directory path throws a `RecordError`.
    public init(path: String) throws {
        name = path
        var st = stat()
        guard stat(path, &st) == 0 else { throw RecordError.system(path, "cannot open") }
        guard (st.st_mode & S_IFMT) != S_IFDIR else { throw RecordError(path: path, message: "is a directory") }
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RecordError.system(path, "cannot open") }
    }

    deinit { close(fd) }

    /// Bytes read so far.
    public var position: Int { offset }

    /// Reads up to `buffer.count` bytes (0 at the end of the file); a failed read throws.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = systemRead(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                offset += n
                return n
            }
            if errno != EINTR { throw RecordError.system(name, "read failed at byte \(offset)") }
        }
    }

    /// The first bytes of a file, without consuming them (to recognise a format by its magic number).
    static func peek(path: String, count: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RecordError.system(path, "cannot open") }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        guard n >= 0 else { throw RecordError.system(path, "cannot read") }
        return Array(bytes.prefix(n))
    }
}

/// Bytes from memory, for tests and for text already in hand.
public final class MemoryByteSource: ByteSource {
    /// What error messages call these bytes.
    public let name: String
    let bytes: [UInt8]
    /// Bytes delivered so far.
    public private(set) var position = 0

    /// A source of `bytes`, named `name` in errors.
    public init(_ bytes: [UInt8], name: String = "<memory>") {
        self.bytes = bytes
        self.name = name
    }

    /// Copies the next bytes into `buffer` (0 at the end).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// Opens a file for reading, decompressing it on the fly when it starts with zstd's magic number.
func openInput(path: String) throws -> ByteSource {
    let file = try FileByteSource(path: path)
    let head = try FileByteSource.peek(path: path, count: 4)
    return head == ZstdReader.magic ? try ZstdReader(file) : file
}

/// The C library's read(2), named apart from `FileByteSource.read` (and from any one platform's module).
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
