import Foundation
import FuzzSupport
import ONNX

/// Any bytes as an ONNX model to import: protobuf decoding, graph reading and the family match.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    _ = try? ONNXImport.network(data: Data(bytes: data, count: count), path: "fuzz.onnx")
    return 0
}

/// The executable's entry point (SwiftPM's `TARGET_main`): runs libFuzzer on this target.
@_cdecl("FuzzONNX_main")
public func fuzzONNXMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv) { fuzzONNX($0, $1) }
}
