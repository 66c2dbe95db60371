// Finite-difference checks (no Python) of every backward kernel. Gradient buffers start at
// 0.5 to check that backward accumulates. Thresholds: norm-wise relative error 2e-3 for
// smooth kernels on O(1) inputs with h = 1e-2 (central-difference truncation ~h²·f'''/6 plus
// float32 forward noise ~6e-8·|L|/h). Measured (printed by each check): 2e-8 (ReLU) to
// 9e-5 (cross-entropy), so thresholds of 1e-4 (piecewise-linear kernels) to 2e-3 leave >=10x room.
import DocketBase
import XCTest
@testable import Kernels

final class GradientCheckTests: XCTestCase {
    func testLinearGradients() {
        var rng = SeededRNG(seed: 1)
        let rows = 5, inF = 7, outF = 6
        var x = randomArray(rows * inF, &rng), w = randomArray(outF * inF, &rng)
        var b = randomArray(outF, &rng)
        let up = randomArray(rows * outF, &rng)
        func loss(_ x: [Float], _ w: [Float], _ b: [Float]) -> Double {
            var y = [Float](repeating: 0, count: rows * outF)
            linearForward(out: &y, input: x, weight: w, bias: b, rows: rows, inFeatures: inF, outFeatures: outF)
            return weightedSum(y, up)
        }
        var dx = [Float](repeating: 0.5, count: x.count), dw = [Float](repeating: 0.5, count: w.count)
        var db = [Float](repeating: 0.5, count: b.count)
        linearBackward(dInput: &dx, dWeight: &dw, dBias: &db, dOut: up, input: x, weight: w,
                       rows: rows, inFeatures: inF, outFeatures: outF)
        let (w0, b0, x0) = (w, b, x)
        assertGradient(minus(dx, 0.5), finiteDifference(&x, h: 1e-2) { loss($0, w0, b0) }, threshold: 1e-3, "linear dInput")
        assertGradient(minus(dw, 0.5), finiteDifference(&w, h: 1e-2) { loss(x0, $0, b0) }, threshold: 1e-3, "linear dWeight")
        assertGradient(minus(db, 0.5), finiteDifference(&b, h: 1e-2) { loss(x0, w0, $0) }, threshold: 1e-3, "linear dBias")
    }

    func testLayerNormGradients() {
        var rng = SeededRNG(seed: 2)
        let rows = 4, dim = 19
        var x = randomArray(rows * dim, &rng), g = randomArray(dim, &rng), bt = randomArray(dim, &rng)
        let up = randomArray(rows * dim, &rng)
        func loss(_ x: [Float], _ g: [Float], _ bt: [Float]) -> Double {
            var y = [Float](repeating: 0, count: rows * dim)
            var m = [Float](repeating: 0, count: rows), s = m
            layerNormForward(out: &y, mean: &m, rstd: &s, input: x, gamma: g, beta: bt, rows: rows, dim: dim, eps: 1e-5)
            return weightedSum(y, up)
        }
        var y = [Float](repeating: 0, count: rows * dim), m = [Float](repeating: 0, count: rows), s = m
        layerNormForward(out: &y, mean: &m, rstd: &s, input: x, gamma: g, beta: bt, rows: rows, dim: dim, eps: 1e-5)
        var dx = [Float](repeating: 0.5, count: x.count), dg = [Float](repeating: 0.5, count: dim), db = dg
        layerNormBackward(dInput: &dx, dGamma: &dg, dBeta: &db, dOut: up, input: x, mean: m, rstd: s,
                          gamma: g, rows: rows, dim: dim)
        let (x0, g0, b0) = (x, g, bt)
        assertGradient(minus(dx, 0.5), finiteDifference(&x, h: 1e-2) { loss($0, g0, b0) }, threshold: 2e-3, "layerNorm dInput")
        assertGradient(minus(dg, 0.5), finiteDifference(&g, h: 1e-2) { loss(x0, $0, b0) }, threshold: 2e-3, "layerNorm dGamma")
        assertGradient(minus(db, 0.5), finiteDifference(&bt, h: 1e-2) { loss(x0, g0, $0) }, threshold: 2e-3, "layerNorm dBeta")
    }

    /// Shared check for y = f(x) elementwise kernels.
    private func checkElementwise(_ label: String, seed: UInt64, threshold: Double,
                                  forward: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void,
                                  backward: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, Int) -> Void) {
        var rng = SeededRNG(seed: seed)
        let n = 67
        // Keep |x| ≥ 0.05 so ReLU's kink is never inside the ±h stencil.
        var x = randomArray(n, &rng, scale: 2).map { abs($0) < 0.05 ? $0 + 0.1 : $0 }
        let up = randomArray(n, &rng)
        var y = [Float](repeating: 0, count: n)
        forward(&y, x, n)
        var dx = [Float](repeating: 0.5, count: n)
        backward(&dx, up, x, y, n)
        let fd = finiteDifference(&x, h: 1e-2) { x in
            var y = [Float](repeating: 0, count: n); forward(&y, x, n); return weightedSum(y, up)
        }
        assertGradient(minus(dx, 0.5), fd, threshold: threshold, label)
    }

    func testActivationGradients() {
        checkElementwise("gelu", seed: 3, threshold: 1e-3,
                         forward: { geluForward(out: $0, input: $1, count: $2) },
                         backward: { geluBackward(dInput: $0, dOut: $1, input: $2, count: $4) })
        checkElementwise("relu", seed: 4, threshold: 1e-4,
                         forward: { reluForward(out: $0, input: $1, count: $2) },
                         backward: { reluBackward(dInput: $0, dOut: $1, input: $2, count: $4) })
        checkElementwise("tanh", seed: 5, threshold: 1e-3,
                         forward: { tanhForward(out: $0, input: $1, count: $2) },
                         backward: { tanhBackward(dInput: $0, dOut: $1, output: $3, count: $4) })
    }

    func testDropoutAndResidualGradients() throws {
        var rng = SeededRNG(seed: 6)
        let n = 200, p: Float = 0.3
        var x = randomArray(n, &rng)
        let up = randomArray(n, &rng)
        var y = [Float](repeating: 0, count: n), mask = [UInt8](repeating: 0, count: n)
        var dropRNG = SeededRNG(seed: 60)
        try dropoutForward(out: &y, mask: &mask, input: x, count: n, p: p, rng: &dropRNG)
        let kept = mask.filter { $0 != 0 }.count
        XCTAssert(kept > 100 && kept < 180, "keep rate \(kept)/\(n) far from 0.7")
        var dx = [Float](repeating: 0.5, count: n)
        dropoutBackward(dInput: &dx, dOut: up, mask: mask, count: n, p: p)
        let m0 = mask
        let fd = finiteDifference(&x, h: 1e-2) { x in
            var y = [Float](repeating: 0, count: n)
            applyDropoutMask(out: &y, input: x, mask: m0, count: n, p: p)
            return weightedSum(y, up)
        }
        assertGradient(minus(dx, 0.5), fd, threshold: 1e-4, "dropout dInput")
        // Residual: out = a + b; the backward is accumulate(into:) on each branch.
        let a = randomArray(n, &rng)
        var r = [Float](repeating: 0, count: n)
        residualAdd(out: &r, a: a, b: x, count: n)
        var db = [Float](repeating: 0.5, count: n)
        accumulate(into: &db, from: up, count: n)
        let fdr = finiteDifference(&x, h: 1e-2) { x in
            var r = [Float](repeating: 0, count: n); residualAdd(out: &r, a: a, b: x, count: n)
            return weightedSum(r, up)
        }
        assertGradient(minus(db, 0.5), fdr, threshold: 1e-4, "residual dB")
    }

    func testEmbeddingGradient() throws {
        var rng = SeededRNG(seed: 7)
        let vocab = 6, dim = 5, ids: [Int32] = [1, 3, 1, 0, 5, 1]
        var table = randomArray(vocab * dim, &rng)
        let up = randomArray(ids.count * dim, &rng)
        var dt = [Float](repeating: 0.5, count: table.count)
        try embeddingBackward(dTable: &dt, dOut: up, ids: ids, vocab: vocab, rows: ids.count, dim: dim)
        let fd = finiteDifference(&table, h: 1e-2) { t in
            var y = [Float](repeating: 0, count: ids.count * dim)
            try? embeddingForward(out: &y, ids: ids, table: t, vocab: vocab, rows: ids.count, dim: dim)
            return weightedSum(y, up)
        }
        assertGradient(minus(dt, 0.5), fd, threshold: 1e-4, "embedding dTable")
    }

    func testCrossEntropyGradients() throws {
        var rng = SeededRNG(seed: 8)
        let batch = 5, classes = 4, labels: [Int32] = [0, 3, 1, 1, 2]
        let weights: [Float] = [0.5, 2, 1, 3]
        for useWeights in [false, true] {
            var logits = randomArray(batch * classes, &rng, scale: 2)
            var probs = [Float](repeating: 0, count: logits.count)
            let cw: [Float]? = useWeights ? weights : nil
            _ = try softmaxCrossEntropyForward(probs: &probs, logits: logits, labels: labels,
                                               classWeights: cw, batch: batch, classes: classes)
            var d = [Float](repeating: 0.5, count: logits.count)
            try softmaxCrossEntropyBackward(dLogits: &d, probs: probs, labels: labels, classWeights: cw,
                                            batch: batch, classes: classes)
            let fd = finiteDifference(&logits, h: 1e-2) { x in
                var p = [Float](repeating: 0, count: x.count)
                return Double((try? softmaxCrossEntropyForward(probs: &p, logits: x, labels: labels, classWeights: cw,
                                                              batch: batch, classes: classes)) ?? .nan)
            }
            assertGradient(minus(d, 0.5), fd, threshold: 2e-3, "cross-entropy dLogits weights=\(useWeights)")
        }
    }
}
