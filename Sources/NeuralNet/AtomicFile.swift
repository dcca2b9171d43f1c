import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes whole files so a crash leaves either the old file or the new one, never half of one.
public enum AtomicFile {
    /// Writes `bytes` to `path` through a temporary file, synced and renamed into place.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw SafeTensorsError(path: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw SafeTensorsError(path: path, message: "cannot write: \(reason)")
        }
    }
}

/// The C library's write(2), named apart from `AtomicFile.write` (and from any one platform's module).
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(fd, bytes, count) }
