import FuzzSupport
import GoNetwork
import NeuralNet

/// Any bytes as a safetensors network file: the header parsed, the network checked and loaded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetwork(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard
        let file = try? SafeTensors.parse(
            Array(UnsafeBufferPointer(start: data, count: count)), path: "fuzz.safetensors")
    else { return 0 }
    _ = file.serialized()
    _ = try? NetworkFile.load(file, path: "fuzz.safetensors")
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzNetwork_main")
public func fuzzNetworkMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzNetwork($0, $1) }
}
