import FuzzSupport
import GoRecords

/// Any bytes as an SGF file or collection: every game read, written back and read again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSGF(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let reader = SGFReader(MemoryByteSource(Array(UnsafeBufferPointer(start: data, count: count)), name: "fuzz.sgf"))
    for entry in reader {
        guard case .success(let record) = entry.record else { continue }
        let text = SGFWriter.sgf(record)
        // What gonet writes, gonet reads: a record that reads back differently is a bug.
        guard let again = try? SGFReader.records(text: text).first else {
            fatalError("written SGF does not read back:\n\(text)")
        }
        // Setup stones are written grouped by colour, so their order may change; the set may not.
        if again.moves != record.moves || Set(again.setup) != Set(record.setup) || again.komi != record.komi
            || again.result != record.result
        {
            fatalError("round trip changed the game:\n\(text)")
        }
    }
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzSGF_main")
public func fuzzSGFMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzSGF($0, $1) }
}
