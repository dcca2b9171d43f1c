import Engine
import Foundation
import FuzzSupport
import GoNetwork

/// One analysis engine with a tiny network playing its policy: the protocol's reading and
/// answering is what is fuzzed, not the search.
let engine: AnalysisEngine = {
    let net = PolicyValueNetwork(
        Architecture(
            trunk: .resnet, blocks: 1, filters: 4, policyHead: .conv, policyFilters: 1,
            valueHead: .pool, valueFilters: 1, valueHidden: 2))
    net.initialize(seed: 1)
    let player = PolicyPlayer(network: net, symmetries: false)
    player.judgementPlayouts = 4
    let engine = AnalysisEngine(
        workers: [AnalysisEngine.Worker(player: player, network: net)], version: "fuzz", write: { _ in })
    // Four ownership playouts instead of 128: the code paths are the same, 30 times faster.
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
