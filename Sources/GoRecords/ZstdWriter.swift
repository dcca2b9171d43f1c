import CZstd

#if canImport(Glibc)
    import Glibc
#endif

/// Streaming zstd compression into a file, written through a temporary name and renamed on `finish`.
public final class ZstdWriter {
    /// The final path of the file.
    public let path: String
    let temporaryPath: String
    let file: UnsafeMutablePointer<FILE>
    let context: OpaquePointer
    var output: UnsafeMutableRawBufferPointer
    var finished = false

    /// Creates the compressor; `level` is zstd's (1 fast … 19 small). With `append`, the new
    /// frame follows the existing file's frames (zstd readers read concatenated frames as one stream).
    public init(path: String, level: Int32 = 6, append: Bool = false) throws {
        self.path = path
        temporaryPath = append ? path : path + ".partial"
        guard let f = fopen(temporaryPath, append ? "ab" : "wb") else { throw RecordError.system(path, "cannot write") }
        file = f
        context = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
    }

    deinit {
        if !finished {
            fclose(file)
            if temporaryPath != path { unlink(temporaryPath) }
        }
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    /// Compresses and writes bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var inBuf = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while inBuf.pos < inBuf.size {
            try step(&inBuf, ZSTD_e_continue)
        }
    }

    /// Compresses and writes a string's UTF-8.
    public func write(_ text: String) throws {
        var t = text
        try t.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Ends the frame, flushes, syncs and moves the file into place.
    public func finish() throws {
        var inBuf = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&inBuf, ZSTD_e_end) != 0 {}
        guard fflush(file) == 0, fsync(fileno(file)) == 0 else { throw RecordError.system(path, "cannot write") }
        fclose(file)
        finished = true
        if temporaryPath != path, rename(temporaryPath, path) != 0 {
            throw RecordError.system(path, "cannot rename into place")
        }
    }

    @discardableResult
    func step(_ inBuf: inout ZSTD_inBuffer, _ mode: ZSTD_EndDirective) throws -> Int {
        var outBuf = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &outBuf, &inBuf, mode)
        if ZSTD_isError(remaining) != 0 {
            throw RecordError(path: path, message: "zstd: \(String(cString: ZSTD_getErrorName(remaining)))")
        }
        if outBuf.pos > 0, fwrite(output.baseAddress, 1, outBuf.pos, file) != outBuf.pos {
            throw RecordError.system(path, "cannot write")
        }
        return remaining
    }
}
