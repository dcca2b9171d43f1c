import Engine
import FuzzSupport
import GoNetwork

/// A tiny network: the engine's logic is what is fuzzed, not the network's speed.
let engine: GTPEngine = {
    let net = PolicyValueNetwork(
        Architecture(
            trunk: .resnet, blocks: 1, filters: 4, policyHead: .conv, policyFilters: 1,
            valueHead: .pool, valueFilters: 1, valueHidden: 2))
    net.initialize(seed: 1)
    // Four judgement playouts instead of 128: the code paths are the same, 30 times faster.
    let player = PolicyPlayer(network: net, symmetries: false)
    player.judgementPlayouts = 4
    let engine = GTPEngine(player: player)
    engine.judgementPlayouts = 4
    return engine
}()

/// Any bytes as a stream of GTP command lines to one engine (state carries over between inputs,
/// as in a long game). `loadsgf` is left out: its argument is a path, and reading arbitrary
/// files (a FIFO, /dev/zero) is the operating system's business, not the parser's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGTP(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.contains("loadsgf") {
        _ = engine.handle(String(line))
        engine.stopAnalysis()
    }
    // A fresh game now and then, so inputs do not pile up moves forever.
    if engine.game.moves.count > 400 { _ = engine.handle("clear_board") }
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzGTP_main")
public func fuzzGTPMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzGTP($0, $1) }
}
