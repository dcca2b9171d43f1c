import Engine
import FuzzPlayers
import FuzzSupport

/// One engine for every input, playing the tiny player (`tinyPlayer`).
let engine: GTPEngine = {
    let engine = GTPEngine(player: tinyPlayer().player)
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
