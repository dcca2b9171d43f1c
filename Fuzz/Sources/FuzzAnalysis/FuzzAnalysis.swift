import Engine
import Foundation
import FuzzPlayers
import FuzzSupport

/// One analysis engine for every input, answering with the tiny player's policy (`tinyPlayer`):
/// the protocol's reading and answering is what is fuzzed, not the search.
let engine: AnalysisEngine = {
    let (player, net) = tinyPlayer()
    let engine = AnalysisEngine(
        workers: [AnalysisEngine.Worker(player: player, network: net)], version: "fuzz", write: { _ in })
    // Four ownership playouts instead of 128, as the judgement's.
    engine.ownershipPlayouts = 4
    return engine
}()

/// Any bytes as lines of queries and actions; every answer is built before the next input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnalysis(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    for line in bytes.split(separator: 10, omittingEmptySubsequences: false) { engine.handle(Data(line)) }
    engine.waitUntilIdle()
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzAnalysis_main")
public func fuzzAnalysisMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzAnalysis($0, $1) }
}
