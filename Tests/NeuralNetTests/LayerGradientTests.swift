import NeuralNet
import XCTest

/// Every layer's backward against finite differences, on small 5x5 boards.
final class LayerGradientTests: XCTestCase {
    let batch = 2, h = 5, w = 5

    func testConv3x3() { checkConv(kernel: 3, bias: false) }
    func testConv1x1WithBias() { checkConv(kernel: 1, bias: true) }

    func checkConv(kernel: Int, bias: Bool) {
        let cin = 3
        let cout = 4
        let n = batch * h * w
        let conv = Conv2D("c", in: cin, out: cout, kernel: kernel, bias: bias, height: h, width: w)
        conv.weight.value = noise(conv.weight.count, seed: 1)
        conv.bias?.value = noise(cout, seed: 2)
        var x = noise(cin * n, seed: 3)
        let r = noise(cout * n, seed: 4)
        let cols = Buffer()
        let y = Buffer(cout * n)
        func loss() -> Double {
            x.withUnsafeBufferPointer { conv.forward($0.baseAddress!, y.pointer, batch: batch, columns: cols) }
            return dot(y.pointer, r)
        }
        _ = loss()
        var dx = [Float](repeating: 0, count: cin * n)
        x.withUnsafeBufferPointer { xp in
            r.withUnsafeBufferPointer { rp in
                dx.withUnsafeMutableBufferPointer {
                    conv.backward(xp.baseAddress!, rp.baseAddress!, $0.baseAddress!, batch: batch, columns: cols)
                }
            }
        }
        checkGradient(
            "conv\(kernel) weight", count: conv.weight.count, analytic: conv.weight.grad,
            get: { conv.weight.value[$0] }, set: { conv.weight.value[$0] = $1 }, loss: loss)
        if let b = conv.bias {
            checkGradient(
                "conv bias", count: cout, analytic: b.grad, get: { b.value[$0] }, set: { b.value[$0] = $1 }, loss: loss)
        }
        checkGradient(
            "conv\(kernel) input", count: x.count, analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: loss)
    }

    /// One 3x3 group, one 5x5 group, and MixConv's 3x3 then 5x5 groups over 5 channels (3 and 2).
    func testDepthwise() {
        for kernels in [[3], [5], [3, 5]] {
            let c = 5
            let n = batch * h * w
            let d = DepthwiseConv2D("d", channels: c, kernels: kernels, height: h, width: w)
            for (i, p) in d.weights.enumerated() { p.value = noise(p.count, seed: 5 + UInt64(i)) }
            var x = noise(c * n, seed: 6)
            let r = noise(c * n, seed: 7)
            let y = Buffer(c * n)
            func loss() -> Double {
                x.withUnsafeBufferPointer { d.forward($0.baseAddress!, y.pointer, batch: batch) }
                return dot(y.pointer, r)
            }
            _ = loss()
            var dx = [Float](repeating: 0, count: c * n)
            x.withUnsafeBufferPointer { xp in
                r.withUnsafeBufferPointer { rp in
                    dx.withUnsafeMutableBufferPointer {
                        d.backward(xp.baseAddress!, rp.baseAddress!, $0.baseAddress!, batch: batch)
                    }
                }
            }
            for p in d.weights {
                checkGradient(
                    "depthwise \(kernels) \(p.name)", count: p.count, analytic: p.grad,
                    get: { p.value[$0] }, set: { p.value[$0] = $1 }, loss: loss)
            }
            checkGradient(
                "depthwise \(kernels) input", count: x.count, analytic: dx, get: { x[$0] }, set: { x[$0] = $1 },
                loss: loss)
        }
    }

    /// MixConv's groups: channels split evenly with the remainder first, named as a PyTorch
    /// ModuleList names them, each channel convolved by its own group's filter.
    func testMixedDepthwiseGroups() {
        let d = DepthwiseConv2D("m", channels: 7, kernels: [3, 5], height: h, width: w)
        XCTAssertEqual(d.groups.map(\.channels), [0..<4, 4..<7])
        XCTAssertEqual(d.weights.map(\.name), ["m.0.weight", "m.1.weight"])
        XCTAssertEqual(d.weights.map(\.shape), [[4, 1, 3, 3], [3, 1, 5, 5]])
        XCTAssertEqual(d.weightCount, 4 * 9 + 3 * 25)
        XCTAssertEqual(DepthwiseConv2D("one", channels: 7).weights.map(\.name), ["one.weight"])
        // A unit impulse at the centre: each channel's output is its own filter, mirrored.
        d.weights[0].value = (0..<36).map { Float($0) }
        d.weights[1].value = (0..<75).map { Float(100 + $0) }
        let hw = h * w
        var x = [Float](repeating: 0, count: 7 * hw)
        let (cy, cx) = (h / 2, w / 2)
        for c in 0..<7 { x[c * hw + cy * w + cx] = 1 }
        let y = Buffer(7 * hw)
        x.withUnsafeBufferPointer { d.forward($0.baseAddress!, y.pointer, batch: 1) }
        for c in 0..<7 {
            let (offset, k) = d.filter(of: c)
            XCTAssertEqual(k, c < 4 ? 3 : 5)
            let flat = d.flatWeights
            for t in 0..<k * k {
                let (dy, dx) = (t / k - k / 2, t % k - k / 2)
                XCTAssertEqual(y.pointer[c * hw + (cy - dy) * w + (cx - dx)], flat[offset + t], "channel \(c) tap \(t)")
            }
        }
    }

    func testBatchNormTrainingWithResidualAndReLU() {
        for relu in [false, true] {
            let c = 3
            let n = batch * h * w
            let bn = BatchNorm("bn", channels: c)
            bn.weight.value = noise(c, seed: 8).map { $0 + 1.5 }
            bn.bias.value = noise(c, seed: 9)
            var x = noise(c * n, seed: 10)
            var res = noise(c * n, seed: 11)
            let r = noise(c * n, seed: 12)
            let xhat = Buffer(c * n)
            let y = Buffer(c * n)
            func loss() -> Double {
                xhat.pointer.update(from: x, count: c * n)
                res.withUnsafeBufferPointer {
                    bn.forwardTraining(xhat.pointer, y.pointer, n: n, residual: $0.baseAddress!, relu: relu)
                }
                return dot(y.pointer, r)
            }
            _ = loss()
            var dx = [Float](repeating: 0, count: c * n)
            var dres = [Float](repeating: 0, count: c * n)
            r.withUnsafeBufferPointer { rp in
                dx.withUnsafeMutableBufferPointer { dxp in
                    dres.withUnsafeMutableBufferPointer { drp in
                        bn.backward(
                            xhat.pointer, y.pointer, rp.baseAddress!, dxp.baseAddress!, n: n, relu: relu,
                            dResidual: relu ? drp.baseAddress! : nil)
                    }
                }
            }
            if !relu { dres = r }
            checkGradient(
                "bn weight relu=\(relu)", count: c, analytic: bn.weight.grad, get: { bn.weight.value[$0] },
                set: { bn.weight.value[$0] = $1 }, loss: loss, h: 1e-3)
            checkGradient(
                "bn bias relu=\(relu)", count: c, analytic: bn.bias.grad, get: { bn.bias.value[$0] },
                set: { bn.bias.value[$0] = $1 }, loss: loss, h: 1e-3)
            checkGradient(
                "bn input relu=\(relu)", count: x.count, analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: loss,
                h: 1e-3)
            checkGradient(
                "bn residual relu=\(relu)", count: res.count, analytic: dres, get: { res[$0] }, set: { res[$0] = $1 },
                loss: loss, h: 1e-3)
        }
    }

    func testBatchNormRunningStatisticsFollowPyTorch() {
        let bn = BatchNorm("bn", channels: 1)
        var x: [Float] = [1, 2, 3, 6]
        let y = Buffer(4)
        x.withUnsafeMutableBufferPointer { bn.forwardTraining($0.baseAddress!, y.pointer, n: 4, relu: false) }
        // mean 3, biased variance 3.5, unbiased 14/3.
        XCTAssertEqual(bn.runningMean.value[0], 0.9 * 0 + 0.1 * 3, accuracy: 1e-6)
        XCTAssertEqual(bn.runningVar.value[0], 0.9 * 1 + 0.1 * (14.0 / 3.0), accuracy: 1e-6)
        XCTAssertEqual(y.pointer[0], (1 - 3) / (3.5 + 1e-5).squareRoot(), accuracy: 1e-5)
    }

    func testDense() {
        let d = Dense("fc", in: 7, out: 5)
        d.weight.value = noise(35, seed: 13)
        d.bias.value = noise(5, seed: 14)
        var x = noise(batch * 7, seed: 15)
        let r = noise(batch * 5, seed: 16)
        let y = Buffer(batch * 5)
        func loss() -> Double {
            x.withUnsafeBufferPointer { d.forward($0.baseAddress!, y.pointer, batch: batch) }
            return dot(y.pointer, r)
        }
        _ = loss()
        var dx = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            r.withUnsafeBufferPointer { rp in
                dx.withUnsafeMutableBufferPointer {
                    d.backward(xp.baseAddress!, rp.baseAddress!, $0.baseAddress!, batch: batch)
                }
            }
        }
        checkGradient(
            "dense weight", count: 35, analytic: d.weight.grad, get: { d.weight.value[$0] },
            set: { d.weight.value[$0] = $1 }, loss: loss)
        checkGradient(
            "dense bias", count: 5, analytic: d.bias.grad, get: { d.bias.value[$0] }, set: { d.bias.value[$0] = $1 },
            loss: loss)
        checkGradient("dense input", count: x.count, analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: loss)
    }

    func testActivationsAndPooling() {
        var x = noise(2 * 3 * 4, seed: 17)
        let r = noise(2 * 3, seed: 18)
        let y = Buffer(6)
        func poolLoss() -> Double {
            x.withUnsafeBufferPointer { Reshape.meanPool($0.baseAddress!, y.pointer, channels: 3, batch: 2, points: 4) }
            return dot(y.pointer, r)
        }
        var dx = [Float](repeating: 0, count: x.count)
        r.withUnsafeBufferPointer { rp in
            dx.withUnsafeMutableBufferPointer {
                Reshape.meanPoolBackward(rp.baseAddress!, $0.baseAddress!, channels: 3, batch: 2, points: 4)
            }
        }
        checkGradient("mean pool", count: x.count, analytic: dx, get: { x[$0] }, set: { x[$0] = $1 }, loss: poolLoss)

        var t = noise(6, seed: 19)
        let ty = Buffer(6)
        func tanhLoss() -> Double {
            t.withUnsafeBufferPointer { Activations.tanh($0.baseAddress!, ty.pointer, count: 6) }
            return dot(ty.pointer, r)
        }
        _ = tanhLoss()
        var dt = [Float](repeating: 0, count: 6)
        r.withUnsafeBufferPointer { rp in
            dt.withUnsafeMutableBufferPointer {
                Activations.tanhBackward(ty.pointer, rp.baseAddress!, $0.baseAddress!, count: 6)
            }
        }
        checkGradient("tanh", count: 6, analytic: dt, get: { t[$0] }, set: { t[$0] = $1 }, loss: tanhLoss, h: 1e-3)
    }

    func testLosses() {
        let b = 3
        let k = 362
        var z = noise(b * k, seed: 20).map { $0 * 3 }
        let targets: [Int32] = [0, 361, 100]
        let dz = Buffer(b * k)
        func ce() -> Double {
            z.withUnsafeBufferPointer { zp in
                targets.withUnsafeBufferPointer {
                    Loss.softmaxCrossEntropy(
                        logits: zp.baseAddress!, batch: b, classes: k, targetIndices: $0.baseAddress!, scale: 0.7,
                        dLogits: dz.pointer) * 0.7
                }
            }
        }
        _ = ce()
        let analytic = Array(UnsafeBufferPointer(start: dz.pointer, count: b * k))
        checkGradient(
            "cross-entropy", count: b * k, analytic: analytic, get: { z[$0] }, set: { z[$0] = $1 }, loss: ce, h: 1e-2,
            samples: 200)

        // A distribution target equal to a one-hot gives the same loss as the index.
        var dist = [Float](repeating: 0, count: b * k)
        for (i, t) in targets.enumerated() { dist[i * k + Int(t)] = 1 }
        let d2 = Buffer(b * k)
        let a = z.withUnsafeBufferPointer { zp in
            targets.withUnsafeBufferPointer {
                Loss.softmaxCrossEntropy(
                    logits: zp.baseAddress!, batch: b, classes: k, targetIndices: $0.baseAddress!, scale: 1,
                    dLogits: dz.pointer)
            }
        }
        let c = z.withUnsafeBufferPointer { zp in
            dist.withUnsafeBufferPointer {
                Loss.softmaxCrossEntropy(
                    logits: zp.baseAddress!, batch: b, classes: k, targetIndices: nil, distribution: $0.baseAddress!,
                    scale: 1, dLogits: d2.pointer)
            }
        }
        XCTAssertEqual(a, c, accuracy: 1e-9)

        var v: [Float] = [0.5, -0.2, 0.9]
        let t: [Float] = [1, -1, 0]
        let m: [Float] = [1, 0, 1]
        let dv = Buffer(3)
        func mse() -> Double {
            v.withUnsafeBufferPointer {
                Loss.maskedSquaredError($0.baseAddress!, targets: t, mask: m, batch: 3, scale: 2, dy: dv.pointer) * 2
            }
        }
        XCTAssertEqual(mse(), 2 * (0.25 + 0.81) / 3, accuracy: 1e-6)
        let dmse = Array(UnsafeBufferPointer(start: dv.pointer, count: 3))
        XCTAssertEqual(dmse[1], 0, "masked sample has no gradient")
        checkGradient("masked MSE", count: 3, analytic: dmse, get: { v[$0] }, set: { v[$0] = $1 }, loss: mse, h: 1e-3)
    }
}
