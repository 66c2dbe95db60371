// The packed INT8 GEMM against float64 references computed from the same quantized values
// (Int8Support.quantizeActivations, the scalar twin of the GEMM's vectorised activation
// quantizer, and Int8Support.quantizeWeights, the packing's): the integer sums must be exact
// and what remains is the FP32 scaling's rounding. Shapes cover every tail: in-features not a multiple of 4 (zero
// padded group), of 16 (the quantizer's vector chunk) or past one 768-input K block (int32
// partial sums parked between K blocks), out-features not a multiple of 16 or 32, rows not a
// multiple of the 12-row micro-panel or of the 120-row block. Then the quantization error
// against FP32, with a derived worst-case bound.
import DocketBase
import XCTest
import TestSupport
@testable import Kernels

final class Int8LinearTests: XCTestCase {
    override func setUpWithError() throws {
        guard Int8Support.isAvailable else {
            throw XCTSkip("this CPU (or DOCKET_DISABLE_INT8=1) has no AVX512_VNNI: the int8 path cannot run here")
        }
    }

    /// (rows, in, out)
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (3, 2, 1), (5, 3, 7), (12, 16, 32), (13, 31, 33), (37, 91, 45), (25, 385, 17),
        (121, 64, 64), (130, 800, 70), (7, 1537, 50), (250, 3073, 40),
    ]

    /// Quantized rows: integer codes (u − zero for activations, q for weights) and scales.
    struct Quantized { let q: [Int]; let scales: [Float] }

    /// Row-by-row quantization of a (rows, cols) activation matrix, as the GEMM does it.
    func quantizeActivations(_ m: [Float], rows: Int, cols: Int) -> Quantized {
        var q: [Int] = [], scales: [Float] = []
        for r in 0..<rows {
            let (u, zero, s) = Int8Support.quantizeActivations(Array(m[(r * cols)..<((r + 1) * cols)]))
            q += u.map { Int($0) - Int(zero) }; scales.append(s)
        }
        return Quantized(q: q, scales: scales)
    }

    /// Row-by-row quantization of a (out, in) weight, as the packing does it.
    func quantizeWeights(_ m: [Float], rows: Int, cols: Int) -> Quantized {
        var q: [Int] = [], scales: [Float] = []
        for r in 0..<rows {
            let (qr, s) = Int8Support.quantizeWeights(Array(m[(r * cols)..<((r + 1) * cols)]))
            q += qr.map { Int($0) }; scales.append(s)
        }
        return Quantized(q: q, scales: scales)
    }

    /// Exact Σ_k (u[r][k] − z_r)·q_w[n][k] for every (r, n).
    func integerSums(_ x: Quantized, _ w: Quantized, _ rows: Int, _ inF: Int, _ outF: Int) -> [Int] {
        var acc = [Int](repeating: 0, count: rows * outF)
        for r in 0..<rows {
            for n in 0..<outF {
                var s = 0
                for k in 0..<inF { s += x.q[r * inF + k] * w.q[n * inF + k] }
                acc[r * outF + n] = s
            }
        }
        return acc
    }

    func forward(_ x: [Float], _ w: [Float], _ b: [Float]?, _ rows: Int, _ inF: Int, _ outF: Int) throws -> [Float] {
        let weight = try Int8Weight(weight: w, outFeatures: outF, inFeatures: inF)
        var out = [Float](repeating: .nan, count: rows * outF)
        try int8LinearForward(out: &out, input: x, weight: weight, bias: b, rows: rows)
        return out
    }

    /// Without bias the GEMM returns fl((float)acc · fl(s_r·s_n)): dividing by the same FP32
    /// scale product gives acc within |acc|·2⁻²⁴ < 0.5 for |acc| < 2²³, so rounding recovers
    /// the integer sum, which must equal the exact one.
    func testIntegerSumsAreExact() throws {
        var rng = SeededRNG(seed: 3)
        for (rows, inF, outF) in Self.shapes {
            let x = randomArray(rows * inF, &rng, scale: 2), w = randomArray(outF * inF, &rng, scale: 0.5)
            let out = try forward(x, w, nil, rows, inF, outF)
            let qx = quantizeActivations(x, rows: rows, cols: inF), qw = quantizeWeights(w, rows: outF, cols: inF)
            let exact = integerSums(qx, qw, rows, inF, outF)
            let weight = try Int8Weight(weight: w, outFeatures: outF, inFeatures: inF)
            XCTAssertEqual(weight.channelScales, qw.scales, "packed scales are the scalar quantizer's")
            var checked = 0
            for r in 0..<rows {
                for n in 0..<outF {
                    let s = qx.scales[r] * qw.scales[n], e = exact[r * outF + n]
                    guard s > 0, abs(e) < 1 << 23 else { continue }
                    let recovered = (Double(out[r * outF + n]) / Double(s)).rounded()
                    if recovered != Double(e) {
                        XCTFail("\(rows)×\(inF)→\(outF) [\(r), \(n)]: sum \(recovered), exact \(e)"); return
                    }
                    checked += 1
                }
            }
            XCTAssertEqual(checked, rows * outF, "every output checked")
        }
    }

    /// With bias: s·acc + b in float64 from the same quantized values; the FP32 epilogue
    /// (acc → float, one rounding; fma, one rounding) stays within 2⁻²³·(|s·acc| + |b|).
    func testMatchesFloat64ReferenceOverTails() throws {
        var rng = SeededRNG(seed: 5)
        for (rows, inF, outF) in Self.shapes {
            let x = randomArray(rows * inF, &rng, scale: 2), w = randomArray(outF * inF, &rng, scale: 0.5)
            let b = randomArray(outF, &rng)
            let out = try forward(x, w, b, rows, inF, outF)
            let qx = quantizeActivations(x, rows: rows, cols: inF), qw = quantizeWeights(w, rows: outF, cols: inF)
            let exact = integerSums(qx, qw, rows, inF, outF)
            for r in 0..<rows {
                for n in 0..<outF {
                    let sa = Double(qx.scales[r] * qw.scales[n]) * Double(exact[r * outF + n])
                    let want = sa + Double(b[n]), bound = 0x1p-23 * (abs(sa) + abs(Double(b[n]))) + 1e-30
                    let got = Double(out[r * outF + n])
                    if !(abs(got - want) <= bound) {
                        XCTFail("\(rows)×\(inF)→\(outF) +bias [\(r), \(n)]: \(got) vs \(want) (bound \(bound))"); return
                    }
                }
            }
        }
    }

    /// W = 127·identity (per-channel scale 1, q_w = 127 on the diagonal, column sums 127):
    /// the output holds 127·(u − z)·s_r, so the vectorised activation quantizer can be read back
    /// and compared with the scalar one, ties (x·multiplier exactly k + ½) included.
    func testActivationQuantizationMatchesScalar() throws {
        let n = 37  // two 16-value chunks and a tail of 5
        var x = (0..<n).map { Float($0) - 18.5 }  // every value a tie: −18.5 … 17.5
        x[35] = -100; x[36] = 155  // range 255: multiplier 1, zero point 100, u = round_half_even(x) + 100
        var w = [Float](repeating: 0, count: n * n)
        for i in 0..<n { w[i * n + i] = 127 }
        let out = try forward(x, w, nil, 1, n, n)
        let (u, zero, scale) = Int8Support.quantizeActivations(x)
        XCTAssertEqual(scale, 1); XCTAssertEqual(zero, 100)
        for i in 0..<n {
            XCTAssertEqual(Double(out[i]) / 127, Double(Int(u[i]) - 100), "x = \(x[i])")
            XCTAssertEqual(Float(Int(u[i]) - 100), x[i].rounded(.toNearestOrEven), "x = \(x[i]): ties to even")
        }
        // A non-negative row (GELU-like): zero point 0, all 255 levels above zero.
        let (pu, pz, ps) = Int8Support.quantizeActivations([0, 0.5, 1, 2.55])
        XCTAssertEqual(pz, 0); XCTAssertEqual(ps, 0.01, accuracy: 1e-7); XCTAssertEqual(pu, [0, 50, 100, 255])
    }

    /// Quantization error against FP32. With x = s_x·(u − z) + e_x, |e_x| ≤ s_x/2
    /// (s_x = range/255), and w = s_w·q_w + e_w, |e_w| ≤ s_w/2 (s_w = max|row|/127), writing
    /// q_x = u − z (round to nearest, nothing clipped):
    ///   x·w − (s_x q_x)(s_w q_w) = e_x·(s_w q_w) + (s_x q_x)·e_w + e_x·e_w, and |s q| ≤ |v| + s/2, so
    ///   |Σ_k| ≤ (s_x/2)·Σ|w| + (s_w/2)·Σ|x| + 3K·s_x·s_w/4,
    /// plus the FP32 rounding of both results (≤ 2⁻²²·Σ|x·w| + 2⁻²³·|y|). The worst case needs
    /// every rounding error at ½ with aligned signs; random rows measured at most 0.45 of it.
    func testQuantizationErrorWithinDerivedBound() throws {
        var rng = SeededRNG(seed: 11)
        var worst = 0.0
        for (rows, inF, outF) in [(40, 384, 96), (24, 1536, 40), (13, 3072, 33), (5, 7, 5)] {
            let x = randomArray(rows * inF, &rng), w = randomArray(outF * inF, &rng, scale: 0.05)
            let b = randomArray(outF, &rng, scale: 0.1)
            let out = try forward(x, w, b, rows, inF, outF)
            let sx = quantizeActivations(x, rows: rows, cols: inF).scales, sw = quantizeWeights(w, rows: outF, cols: inF).scales
            for r in 0..<rows {
                for n in 0..<outF {
                    var y = Double(b[n]), absX = 0.0, absW = 0.0, absXW = 0.0
                    for k in 0..<inF {
                        let (a, c) = (Double(x[r * inF + k]), Double(w[n * inF + k]))
                        y += a * c; absX += abs(a); absW += abs(c); absXW += abs(a * c)
                    }
                    let (qx, qw) = (Double(sx[r]), Double(sw[n]))
                    let bound = qx / 2 * absW + qw / 2 * absX + 3 * Double(inF) * qx * qw / 4
                        + 0x1p-22 * absXW + 0x1p-23 * abs(y) + 1e-30
                    let err = abs(Double(out[r * outF + n]) - y)
                    worst = max(worst, err / bound)
                    if !(err <= bound) { XCTFail("\(rows)×\(inF)→\(outF) [\(r), \(n)]: |Δ| \(err) > bound \(bound)"); return }
                }
            }
        }
        print("int8 linear: worst |int8 − fp64| / derived bound = \(worst)")
    }

    /// The GELU epilogue (the FFN input projection) equals GELU of the plain output: the same
    /// FP32 y = fma((float)acc, s, b) goes through 0.5·y·(1 + erf(y/√2)) with the rational erf
    /// fit (|error| ≤ 3.2e-7), so against float64 erf the result is within
    /// 0.5·|y|·3.2e-7 + a few FP32 roundings of |y| — bounded here by 6e-7·max(1, |y|).
    func testGELUEpilogueMatchesGELUOfPlainOutput() throws {
        var rng = SeededRNG(seed: 17)
        for (rows, inF, outF) in [(13, 31, 33), (121, 384, 96), (7, 1537, 50)] {
            let x = randomArray(rows * inF, &rng, scale: 2), w = randomArray(outF * inF, &rng, scale: 0.1)
            let b = randomArray(outF, &rng)
            let weight = try Int8Weight(weight: w, outFeatures: outF, inFeatures: inF)
            var plain = [Float](repeating: .nan, count: rows * outF), fused = plain
            try int8LinearForward(out: &plain, input: x, weight: weight, bias: b, rows: rows)
            try int8LinearForward(out: &fused, input: x, weight: weight, bias: b, rows: rows, gelu: true)
            for i in 0..<plain.count {
                let y = Double(plain[i]), want = 0.5 * y * (1 + erf(y / 2.0.squareRoot()))
                let bound = 6e-7 * max(1, abs(y))
                if !(abs(Double(fused[i]) - want) <= bound) {
                    XCTFail("\(rows)×\(inF)→\(outF) [\(i)]: GELU epilogue \(fused[i]), GELU(\(y)) = \(want)"); return
                }
            }
            // and against the reference GELU (Activations.swift, parity-tested against PyTorch)
            var reference = plain
            geluForward(out: &reference, input: plain, count: plain.count)
            assertClose(fused, reference, atol: 2e-6, rtol: 1e-6, "int8 GELU epilogue vs the reference geluForward")
        }
    }

    /// The two-core split equals row-by-row calls bit for bit (RowSplitSupport.swift).
    func testRowSplitIsBitIdentical() throws {
        try assertRowSplitIsBitIdentical { w, b in
            let weight = try Int8Weight(weight: w, outFeatures: 96, inFeatures: 200)
            return { out, input, rows in try int8LinearForward(out: out, input: input, weight: weight, bias: b, rows: rows) }
        }
    }

    /// A zero input row gives the bias; a row holding NaN or Inf gives NaN (as FP32 would
    /// propagate it) without disturbing the other rows.
    func testZeroAndNonFiniteRows() throws {
        var rng = SeededRNG(seed: 13)
        let (inF, outF) = (20, 9)
        var x = randomArray(4 * inF, &rng)
        for k in 0..<inF { x[k] = 0 }
        x[inF + 3] = .nan
        x[2 * inF + 7] = .infinity
        let w = randomArray(outF * inF, &rng), b = randomArray(outF, &rng)
        let out = try forward(x, w, b, 4, inF, outF)
        XCTAssertEqual(Array(out[0..<outF]), b, "zero row → bias")
        XCTAssertTrue(out[outF..<(3 * outF)].allSatisfy(\.isNaN), "NaN / Inf rows → NaN")
        XCTAssertTrue(out[(3 * outF)...].allSatisfy(\.isFinite), "other rows unaffected")
    }

    func testRefusesEmptyShapes() {
        let w: [Float] = [1]
        XCTAssertThrowsError(try Int8Weight(weight: w, outFeatures: 0, inFeatures: 1))
        XCTAssertThrowsError(try Int8Weight(weight: w, outFeatures: 1, inFeatures: 0))
    }
}
