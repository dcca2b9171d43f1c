import NeuralNet
import XCTest

final class WinogradTests: XCTestCase {
    func testMatchesDirectConvolution() {
        compareToDirect(cin: 5, cout: 7, batch: 3, h: 19, w: 19)
        compareToDirect(cin: 2, cout: 3, batch: 2, h: 7, w: 9)
    }

    /// Workers take whole boards, or parts of boards (tile ranges that cut rows of tiles) when
    /// the batch would leave one idle: every split gives the direct result. (Channel counts are
    /// large enough for the layers to be spread at all.)
    func testBoardsSplitAcrossWorkersMatchDirect() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for threads in [2, 3] {
            Parallel.threads = threads
            for batch in [1, 2, 3, 5] { compareToDirect(cin: 48, cout: 56, batch: batch, h: 19, w: 19) }
            compareToDirect(cin: 96, cout: 104, batch: 1, h: 7, w: 9, tolerance: 1e-4)
            compareToDirect(cin: 136, cout: 144, batch: 3, h: 4, w: 4, tolerance: 1e-4)
            compareWeightGradient(cin: 48, cout: 17, batch: 3, h: 19, w: 19)
            // Workers with unequal numbers of boards.
            compareWeightGradient(cin: 16, cout: 24, batch: 11, h: 19, w: 19)
        }
    }

    func testFlippedFiltersGiveTheTransposedConvolution() {
        // dx of a convolution equals the convolution of dy with flipped, transposed filters.
        let cin = 4
        let cout = 6
        let batch = 2
        let n = batch * 361
        let conv = Conv2D("c", in: cin, out: cout, kernel: 3)
        conv.useWinograd = false
        conv.weight.value = noise(conv.weight.count, seed: 41)
        let x = noise(cin * n, seed: 42)
        let dy = noise(cout * n, seed: 43)
        var dx = [Float](repeating: 0, count: cin * n)
        let cols = Buffer()
        x.withUnsafeBufferPointer { xp in
            dy.withUnsafeBufferPointer { dp in
                dx.withUnsafeMutableBufferPointer {
                    conv.backward(xp.baseAddress!, dp.baseAddress!, $0.baseAddress!, batch: batch, columns: cols)
                }
            }
        }
        let wino = Winograd(inChannels: cout, outChannels: cin)
        conv.weight.value.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!, flipped: true) }
        var fast = [Float](repeating: 0, count: cin * n)
        let ws = Buffer()
        dy.withUnsafeBufferPointer { dp in
            fast.withUnsafeMutableBufferPointer {
                wino.forward(dp.baseAddress!, $0.baseAddress!, batch: batch, workspace: ws)
            }
        }
        let scale = dx.map { abs($0) }.max()!
        for i in dx.indices where abs(fast[i] - dx[i]) > 1e-5 * scale {
            XCTFail("element \(i): \(fast[i]) vs \(dx[i])")
            return
        }
    }

    /// The filter gradient through the transforms against the direct (im2col) one.
    func compareWeightGradient(cin: Int, cout: Int, batch: Int, h: Int, w: Int) {
        let conv = Conv2D("c", in: cin, out: cout, kernel: 3, height: h, width: w)
        let n = batch * h * w
        let x = noise(cin * n, seed: 51)
        let dy = noise(cout * n, seed: 52)
        func gradient(winograd: Bool, kept: Bool = false) -> [Float] {
            conv.useWinograd = winograd
            let cols = Buffer()
            x.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer { dp in
                    if kept {
                        // Training's forward keeps the transformed input for this backward.
                        var y = [Float](repeating: 0, count: cout * n)
                        y.withUnsafeMutableBufferPointer {
                            conv.forward(
                                xp.baseAddress!, $0.baseAddress!, batch: batch, columns: cols, keepForBackward: true)
                        }
                        cols.zero(cols.capacity)
                    }
                    conv.backward(xp.baseAddress!, dp.baseAddress!, nil, batch: batch, columns: cols)
                }
            }
            return conv.weight.grad
        }
        let direct = gradient(winograd: false)
        let fast = gradient(winograd: true)
        XCTAssertEqual(gradient(winograd: true, kept: true), fast, "the kept transformed input gives the same gradient")
        let scale = direct.map { abs($0) }.max()!
        XCTAssertGreaterThan(scale, 0)
        for i in direct.indices where abs(fast[i] - direct[i]) > 1e-5 * scale {
            XCTFail("\(cin)→\(cout) on \(h)x\(w), weight gradient \(i): \(fast[i]) vs \(direct[i])")
            return
        }
    }

    func testWeightGradientMatchesDirect() {
        compareWeightGradient(cin: 5, cout: 11, batch: 3, h: 19, w: 19)
        compareWeightGradient(cin: 9, cout: 2, batch: 2, h: 7, w: 9)
        compareWeightGradient(cin: 16, cout: 16, batch: 1, h: 4, w: 4)
    }

    /// A kept transformed input is used only by the backward of the input it came from.
    func testKeptTransformIsNotUsedForAnotherInput() {
        let conv = Conv2D("c", in: 3, out: 4, kernel: 3)
        let n = 2 * 361
        let x1 = noise(3 * n, seed: 61)
        let x2 = noise(3 * n, seed: 62)
        let dy = noise(4 * n, seed: 63)
        let cols = Buffer()
        var y = [Float](repeating: 0, count: 4 * n)
        func backward(_ x: [Float]) -> [Float] {
            x.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer {
                    conv.backward(xp.baseAddress!, $0.baseAddress!, nil, batch: 2, columns: cols)
                }
            }
            return conv.weight.grad
        }
        let expected = backward(x2)
        x1.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer {
                conv.forward(xp.baseAddress!, $0.baseAddress!, batch: 2, columns: cols, keepForBackward: true)
            }
        }
        XCTAssertEqual(backward(x2), expected)
    }

    /// Random shapes, among them 1, 3 and 17 channels, batch 65 and boards from 1x1 to 21x21:
    /// the forward pass with bias, residual and ReLU fused, and the filter gradient, against the
    /// direct convolution with bias, residual and ReLU applied after it.
    func testRandomShapesMatchDirect() {
        var s: UInt64 = 0x5DEE_CE66
        func below(_ n: Int) -> Int {
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((s >> 33) % UInt64(n))
        }
        let channels = [1, 3, 17]
        for round in 0..<10 {
            let cin = round < 3 ? channels[round] : 1 + below(40)
            let cout = round < 3 ? channels[2 - round] : 1 + below(40)
            let batch = round == 0 ? 65 : 1 + below(3)
            let h = round == 0 ? 19 : 1 + below(21)
            let w = round == 0 ? 19 : 1 + below(21)
            let conv = Conv2D("c", in: cin, out: cout, kernel: 3, height: h, width: w)
            conv.useWinograd = false
            conv.weight.value = noise(conv.weight.count, seed: UInt64(40 + round))
            let n = batch * h * w
            let x = noise(cin * n, seed: UInt64(60 + round))
            let residual = noise(cout * n, seed: UInt64(80 + round))
            let bias = noise(cout, seed: UInt64(100 + round))
            var direct = [Float](repeating: 0, count: cout * n)
            x.withUnsafeBufferPointer { xp in
                direct.withUnsafeMutableBufferPointer {
                    conv.forward(xp.baseAddress!, $0.baseAddress!, batch: batch, columns: Buffer())
                }
            }
            let expected = direct.indices.map { max(direct[$0] + bias[$0 / n] + residual[$0], 0) }
            let wino = Winograd(inChannels: cin, outChannels: cout, height: h, width: w)
            conv.weight.value.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
            var fast = [Float](repeating: 9, count: cout * n)
            x.withUnsafeBufferPointer { xp in
                fast.withUnsafeMutableBufferPointer {
                    wino.forward(
                        xp.baseAddress!, $0.baseAddress!, batch: batch, workspace: Buffer(), bias: bias,
                        residual: residual, relu: true)
                }
            }
            let scale = expected.map { abs($0) }.max()!
            for i in expected.indices where abs(fast[i] - expected[i]) > 1e-5 * max(scale, 1) {
                XCTFail("\(cin)→\(cout), batch \(batch), \(h)x\(w): element \(i) \(fast[i]) vs \(expected[i])")
                break
            }
            compareWeightGradient(cin: cin, cout: cout, batch: batch, h: h, w: w)
        }
    }

    func testBiasResidualAndReLUAreFused() {
        let wino = Winograd(inChannels: 1, outChannels: 2, height: 5, width: 5)
        let w = [Float](repeating: 0, count: 18)
        w.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
        let x = [Float](repeating: 1, count: 25)
        let residual = (0..<50).map { Float($0 % 3) - 1 }
        var y = [Float](repeating: 9, count: 50)
        let bias: [Float] = [0.5, -2]
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                wino.forward(
                    xp.baseAddress!, yp.baseAddress!, batch: 1, workspace: Buffer(), bias: bias, residual: residual,
                    relu: true)
            }
        }
        XCTAssertEqual(y, (0..<50).map { max(bias[$0 / 25] + residual[$0], 0) })
    }
}

extension XCTestCase {
    /// Winograd against im2col for the same weights, on a 19x19 board and a ragged 7x9 one.
    /// `tolerance` is relative to the largest output: Winograd's rounding grows with the channels.
    func compareToDirect(cin: Int, cout: Int, batch: Int, h: Int, w: Int, tolerance: Float = 1e-5) {
        let conv = Conv2D("c", in: cin, out: cout, kernel: 3, height: h, width: w)
        conv.useWinograd = false
        conv.weight.value = noise(conv.weight.count, seed: 31)
        let x = noise(cin * batch * h * w, seed: 32)
        let n = batch * h * w
        var direct = [Float](repeating: 0, count: cout * n)
        let cols = Buffer()
        x.withUnsafeBufferPointer { xp in
            direct.withUnsafeMutableBufferPointer {
                conv.forward(xp.baseAddress!, $0.baseAddress!, batch: batch, columns: cols)
            }
        }
        let wino = Winograd(inChannels: cin, outChannels: cout, height: h, width: w)
        conv.weight.value.withUnsafeBufferPointer { wino.setWeights($0.baseAddress!) }
        var fast = [Float](repeating: 0, count: cout * n)
        let ws = Buffer()
        x.withUnsafeBufferPointer { xp in
            fast.withUnsafeMutableBufferPointer {
                wino.forward(xp.baseAddress!, $0.baseAddress!, batch: batch, workspace: ws)
            }
        }
        let scale = direct.map { abs($0) }.max()!
        for i in direct.indices {
            XCTAssertEqual(
                fast[i], direct[i], accuracy: tolerance * scale,
                "\(cin)→\(cout), batch \(batch), \(h)x\(w): element \(i)")
            if abs(fast[i] - direct[i]) > tolerance * scale { return }
        }
    }
}
