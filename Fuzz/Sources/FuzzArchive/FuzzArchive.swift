import FuzzSupport
import GoRecords

/// Any bytes as the decompressed stream of a `*.games.zst` archive: every record read and written to SGF.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let source = MemoryByteSource(Array(UnsafeBufferPointer(start: data, count: count)), name: "fuzz.games.zst")
    guard let reader = try? GameArchiveReader(source: source, path: "fuzz.games.zst") else { return 0 }
    while let record = try? reader.nextRecord() {
        _ = SGFWriter.sgf(record)
        _ = record.result.description
    }
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzArchive_main")
public func fuzzArchiveMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzArchive($0, $1) }
}
