import CZstd
import Foundation

/// Streaming zstd decompression over a `FileByteSource` (any number of concatenated frames).
public final class ZstdReader: ByteSource {
    /// The four bytes every zstd frame starts with.
    static let magic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// The compressed file's path.
    public var name: String { source.name }
    let source: FileByteSource
    let context: OpaquePointer
    var input: UnsafeMutableRawBufferPointer
    var inputStart = 0
    var inputEnd = 0
    var sourceDone = false
    /// Whether the last frame is complete (nothing is owed at the end of the input).
    var frameComplete = true

    /// A decompressor reading `source`.
    public init(_ source: FileByteSource) throws {
        self.source = source
        guard let ctx = ZSTD_createDCtx() else {
            throw RecordError(path: source.name, place: .compressed(0), message: "out of memory")
        }
        context = ctx
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
    }

    deinit {
        ZSTD_freeDCtx(context)
        input.deallocate()
    }

    /// Compressed bytes consumed so far.
    public var position: Int { source.offset }

    /// Compressed bytes consumed so far.
    var compressedOffset: Int { source.offset - (inputEnd - inputStart) }

    /// Decompresses into `buffer` (0 at the end); corrupt or truncated data throws a `RecordError`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            if inputStart == inputEnd && !sourceDone {
                inputEnd = try source.read(into: input)
                inputStart = 0
                if inputEnd == 0 { sourceDone = true }
            }
            if inputStart == inputEnd && sourceDone {
                if !frameComplete {
                    throw RecordError(
                        path: name, place: .compressed(compressedOffset),
                        message: "truncated zstd stream (the last frame is incomplete)")
                }
                return 0
            }
            var inBuf = ZSTD_inBuffer(src: input.baseAddress! + inputStart, size: inputEnd - inputStart, pos: 0)
            var outBuf = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let ret = ZSTD_decompressStream(context, &outBuf, &inBuf)
            if ZSTD_isError(ret) != 0 {
                let reason = String(cString: ZSTD_getErrorName(ret))
                throw RecordError(
                    path: name, place: .compressed(compressedOffset + inBuf.pos),
                    message: "corrupt zstd data (\(reason))")
            }
            inputStart += inBuf.pos
            frameComplete = ret == 0
            if outBuf.pos > 0 { return outBuf.pos }
        }
    }
}
