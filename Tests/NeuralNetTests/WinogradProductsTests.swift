import NeuralNet
import XCTest

/// Both product kernels of Winograd's convolution against the direct (im2col) convolution, and the
/// plan that picks one per shape.
final class WinogradProductsTests: XCTestCase {
    override func tearDown() {
        WinogradProducts.forced = nil
        super.tearDown()
    }

    /// The kernels this CPU runs (the blocked ones need AVX2 and FMA, or AVX-512).
    var kernels: [WinogradProducts.Kernel] { WinogradProducts.Kernel.allCases.filter(\.available) }

    /// Odd channel counts (1, 3, 17: padded to 8, 8, 24), the small networks' 32 and 64, a batch of
    /// 1 and of 65, and a ragged board whose 6 tiles leave the register block's rows part-filled.
    func testEachKernelMatchesTheDirectConvolutionOnOddShapes() {
        for kernel in kernels {
            WinogradProducts.forced = kernel
            compareToDirect(cin: 1, cout: 3, batch: 1, h: 19, w: 19)
            compareToDirect(cin: 3, cout: 17, batch: 2, h: 19, w: 19)
            compareToDirect(cin: 17, cout: 1, batch: 1, h: 19, w: 19)
            compareToDirect(cin: 32, cout: 32, batch: 65, h: 19, w: 19)
            compareToDirect(cin: 64, cout: 40, batch: 1, h: 19, w: 19)
            compareToDirect(cin: 24, cout: 72, batch: 3, h: 5, w: 9)
            // AVX-512's tails: 40 and 56 outputs leave 8 and 24 lanes of a row's second 32.
            compareToDirect(cin: 32, cout: 56, batch: 2, h: 19, w: 19)
            compareToDirect(cin: 8, cout: 8, batch: 1, h: 19, w: 19)
        }
    }

    /// Random shapes (channels 1–80, boards 1x1 to 19x19, batches 1–4), each kernel against direct.
    func testFuzzedShapesMatchTheDirectConvolution() {
        var s: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(s >> 33) % n
        }
        for _ in 0..<24 {
            let (cin, cout) = (1 + next(80), 1 + next(80))
            let (h, w, batch) = (1 + next(19), 1 + next(19), 1 + next(4))
            for kernel in kernels {
                WinogradProducts.forced = kernel
                compareToDirect(cin: cin, cout: cout, batch: batch, h: h, w: w, tolerance: 2e-5)
            }
        }
    }

    /// Unforced, a shape runs once to be measured and then keeps its kernel; where the CPU lacks
    /// AVX2, every shape is OpenBLAS's.
    func testAShapeIsMeasuredOnceAndKept() {
        WinogradProducts.forced = nil
        compareToDirect(cin: 9, cout: 11, batch: 1, h: 19, w: 19)
        let shape = WinogradProducts.plans.keys.first { $0.rows == 25 && $0.inChannels == 16 && $0.outChannels == 16 }
        XCTAssertNotNil(shape, "the 25-tile, 16→16 product shape has a plan")
        guard let shape else { return }
        let chosen = WinogradProducts.plans[shape]
        XCTAssertTrue(chosen?.available ?? false)
        if !WinogradProducts.blockedAvailable && !WinogradProducts.blocked512Available { XCTAssertEqual(chosen, .blas) }
        compareToDirect(cin: 9, cout: 11, batch: 2, h: 19, w: 19)
        XCTAssertEqual(WinogradProducts.plans[shape], chosen, "the plan is kept")
    }
}
