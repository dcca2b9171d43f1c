import Foundation
import FuzzSupport
import Tournament

/// Any bytes as `tournament.json`: decoded and checked, never trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    if let config = try? JSONDecoder().decode(TournamentConfig.self, from: Data(bytes: data, count: count)) {
        try? config.validate()
    }
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzConfig_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzConfig($0, $1) }
}
