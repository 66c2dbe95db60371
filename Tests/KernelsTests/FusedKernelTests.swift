// The fused forward kernels (FusedBiasGELU.swift, FusedResidualLayerNorm.swift) against their
// unfused references: geluForward/geluBackward and residualAdd + layerNormForward.
@testable import Kernels
import CKernelsPointwise
import DocketBase
import Foundation
import TestSupport
import XCTest

final class FusedBiasGELUTests: XCTestCase {
    func testMatchesErffGELU() {
        let rows = 37, cols = 53  // not multiples of 16: exercises the scalar tails
        var pre = (0..<(rows * cols)).map { Float($0 % 997) / 997 * 16 - 8 }  // [-8, 8)
        let bias = (0..<cols).map { Float($0) / Float(cols) - 0.5 }
        var expectedPre = pre, expected = pre
        for r in 0..<rows {
            for c in 0..<cols {
                let v = pre[r * cols + c] + bias[c]
                expectedPre[r * cols + c] = v
                expected[r * cols + c] = 0.5 * v * (1 + erff(v * 0.70710678))
            }
        }
        var act = [Float](repeating: 0, count: rows * cols)
        biasGELUForward(pre: &pre, act: &act, bias: bias, rows: rows, cols: cols)
        XCTAssertEqual(pre, expectedPre, "pre-activation = x + bias exactly")
        // erf fit error ≤ 3.2e-7 (measured when fitted) ⇒ |ΔGELU| ≤ 0.5·|x|·3.2e-7 + rounding
        assertClose(act, expected, atol: 2e-6, rtol: 4e-7, "bias+GELU vs erff")
        var worst: Float = 0
        for i in 0..<20001 {
            let z = Float(i - 10000) / 2000
            worst = max(worst, abs(erf1(z) - erff(z)))
        }
        XCTAssertLessThan(worst, 4e-7, "erf fit over [-5, 5]")
        // backward: dInput += dOut · (Φ(x) + x·φ(x)) against the erff/expf form (accumulates)
        var dIn = [Float](repeating: 0.25, count: rows * cols)
        let dOut = (0..<(rows * cols)).map { Float($0 % 13) / 6 - 1 }
        geluBackwardFit(dInput: &dIn, dOut: dOut, input: expectedPre, count: rows * cols)
        let dRef = (0..<(rows * cols)).map { i -> Float in
            let x = expectedPre[i]
            return 0.25 + dOut[i] * (0.5 * (1 + erff(x * 0.70710678)) + x * 0.39894228 * expf(-0.5 * x * x))
        }
        assertClose(dIn, dRef, atol: 2e-6, rtol: 1e-6, "GELU backward vs erff/expf")
        // against the reference GELU (geluForward/geluBackward, parity-tested against PyTorch):
        // both are within ~3e-7 relative of erf, so they agree to a few float32 roundings
        var refAct = act, refD = [Float](repeating: 0.25, count: rows * cols), fitAct = act
        geluForward(out: &refAct, input: expectedPre, count: rows * cols)
        geluForwardFit(out: &fitAct, input: expectedPre, count: rows * cols)
        XCTAssertEqual(fitAct, act, "geluForwardFit rebuilds the fused forward's activation bit for bit")
        assertClose(act, refAct, atol: 2e-6, rtol: 4e-7, "fitted GELU vs the reference geluForward")
        geluBackward(dInput: &refD, dOut: dOut, input: expectedPre, count: rows * cols)
        assertClose(dIn, refD, atol: 2e-6, rtol: 1e-6, "fitted GELU backward vs the reference geluBackward")
        print("erf fit max |error| vs erff over [-5, 5]: \(worst)")
    }
}

final class FusedResidualLayerNormTests: XCTestCase {
    /// The fused add + LayerNorm equals its references residualAdd + layerNormForward (float32
    /// rounding of differently ordered sums: ≤ a few ulps of O(1) values).
    func testMatchesAddThenKernelsLayerNorm() {
        let rows = 67, dim = 45  // odd sizes: exercises the scalar tails and both row chunks
        var rng = SeededRNG(seed: 3)
        let x = (0..<(rows * dim)).map { _ in rng.nextGaussian() * 3 + 1 }
        let res = (0..<(rows * dim)).map { _ in rng.nextGaussian() }
        let gamma = (0..<dim).map { _ in 1 + 0.1 * rng.nextGaussian() }, beta = (0..<dim).map { _ in rng.nextGaussian() }
        var sum = x, out = [Float](repeating: 0, count: rows * dim)
        var mean = [Float](repeating: 0, count: rows), rstd = mean
        residualLayerNormForward(out: &out, mean: &mean, rstd: &rstd, x: &sum, residual: res, gamma: gamma,
                                 beta: beta, rows: rows, dim: dim, eps: 1e-12)
        var refSum = x, refOut = out, refMean = mean, refRstd = rstd
        residualAdd(out: &refSum, a: x, b: res, count: rows * dim)
        layerNormForward(out: &refOut, mean: &refMean, rstd: &refRstd, input: refSum, gamma: gamma, beta: beta,
                         rows: rows, dim: dim, eps: 1e-12)
        XCTAssertEqual(sum, refSum, "the residual sum is exact")
        assertClose(out, refOut, atol: 2e-6, "fused add+LN output")
        assertClose(mean, refMean, atol: 1e-6, "mean")
        assertClose(rstd, refRstd, atol: 0, rtol: 1e-6, "rstd")
    }
}

/// CKernelsPointwise's three builds (AVX-512, AVX2 + FMA, portable C), each forced in turn up to
/// what this CPU has: GELU against the reference geluForward and the unbiased GELU bit for bit
/// against the fused one; the masked softmax against a float64 softmax.
final class PointwiseKernelTests: XCTestCase {
    override func tearDown() { _ = docket_pointwise_limit_vector_bits(-1) }

    func testEveryVectorWidthMatchesTheReferences() {
        let rows = 5, cols = 1536 + 13  // a tail in every width
        let bias = (0..<cols).map { Float($0 % 29) / 29 - 0.5 }
        let input = (0..<(rows * cols)).map { Float(($0 * 7919) % 4001) / 4001 * 16 - 8 }  // [-8, 8)
        for bits in [512, 256, 0] {
            let used = docket_pointwise_limit_vector_bits(Int32(bits))
            XCTAssertLessThanOrEqual(used, Int32(bits), "the build forced is at most the one asked for")
            var pre = input, act = [Float](repeating: 0, count: rows * cols)
            biasGELUForward(pre: &pre, act: &act, bias: bias, rows: rows, cols: cols)
            let expectedPre = (0..<(rows * cols)).map { input[$0] + bias[$0 % cols] }
            XCTAssertEqual(pre, expectedPre, "\(used) bits: pre-activation = x + bias exactly")
            var ref = act, fit = act, inPlace = expectedPre
            geluForward(out: &ref, input: expectedPre, count: rows * cols)
            assertClose(act, ref, atol: 2e-6, rtol: 4e-7, "\(used) bits: GELU vs the reference geluForward")
            geluForwardFit(out: &fit, input: expectedPre, count: rows * cols)
            XCTAssertEqual(fit, act, "\(used) bits: recomputed GELU equals the fused forward bit for bit")
            inPlace.withUnsafeMutableBufferPointer { b in
                biasGELUForward(pre: b.baseAddress!, act: b.baseAddress!, bias: [Float](repeating: 0, count: cols), rows: rows, cols: cols)
            }
            XCTAssertEqual(inPlace, act, "\(used) bits: in-place GELU equals the two-buffer one")
            checkSoftmax(bits: used)
        }
    }

    private func checkSoftmax(bits: Int32) {
        for n in [1, 7, 8, 16, 37, 128] {
            let rows = 3, stride = n + 2
            var scores = (0..<(rows * stride)).map { Float(($0 * 31) % 97) / 97 * 40 - 20 }
            let original = scores
            let mask = (0..<n).map { Int32($0 % 5 == 3 ? 0 : 1) }
            docket_masked_softmax_rows(&scores, Int64(rows), Int64(n), Int64(stride), mask)
            for r in 0..<rows {
                let row = (0..<n).map { Double(original[r * stride + $0]) }
                let live = (0..<n).filter { mask[$0] != 0 }
                let m = live.map { row[$0] }.max() ?? 0
                let total = live.reduce(0.0) { $0 + Foundation.exp(row[$1] - m) }
                for j in 0..<n {
                    let want = mask[j] == 0 ? 0 : Foundation.exp(row[j] - m) / total
                    XCTAssertEqual(Double(scores[r * stride + j]), want, accuracy: 1e-6 * max(want, 1e-3),
                                   "\(bits) bits: n \(n) row \(r) col \(j)")
                }
                for j in n..<stride { XCTAssertEqual(scores[r * stride + j], original[r * stride + j], "padding untouched") }
            }
        }
    }
}
