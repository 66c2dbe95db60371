// The packed BF16 GEMM against a float64 reference computed from the same bf16-rounded
// inputs and weights: what remains is FP32 accumulation error only. Shapes cover every tail:
// odd in-features (the zero-padded last pair), out-features not a multiple of 16 or 32, rows
// not a multiple of the 12-row micro-panel or of the 120-row block, and in-features past one
// 384-value K block.
import DocketBase
import XCTest
import TestSupport
@testable import Kernels

final class BF16LinearTests: XCTestCase {
    override func setUpWithError() throws {
        guard BF16Support.isAvailable else {
            throw XCTSkip("this CPU (or DOCKET_DISABLE_BF16=1) has no AVX512_BF16: the bf16 path cannot run here")
        }
    }

    /// (rows, in, out)
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (3, 2, 1), (5, 3, 7), (12, 16, 32), (13, 31, 33), (37, 91, 45), (25, 385, 17),
        (121, 64, 64), (130, 800, 70), (7, 1537, 50),
    ]

    func testMatchesFloat64ReferenceOverTails() throws {
        var rng = SeededRNG(seed: 5)
        for (rows, inF, outF) in Self.shapes {
            for withBias in [true, false] {
                let x = randomArray(rows * inF, &rng, scale: 2), w = randomArray(outF * inF, &rng, scale: 0.5)
                let b = randomArray(outF, &rng)
                let weight = try BF16Weight(weight: w, outFeatures: outF, inFeatures: inF)
                var out = [Float](repeating: .nan, count: rows * outF)
                try bf16LinearForward(out: &out, input: x, weight: weight, bias: withBias ? b : nil, rows: rows)
                let (expected, tolerance) = reference(x, w, withBias ? b : nil, rows, inF, outF)
                let label = "bf16 linear \(rows)×\(inF)→\(outF)\(withBias ? " +bias" : "")"
                for i in 0..<out.count where !(abs(Double(out[i]) - expected[i]) <= tolerance[i]) {
                    XCTFail("\(label): [\(i)] \(out[i]) vs \(expected[i]) (bound \(tolerance[i]))"); break
                }
            }
        }
    }

    /// float64 Σ bf16(x)·bf16(w) + b, and per output the FP32-accumulation bound
    /// (K + 2)·2⁻²⁴·(Σ|bf16(x)·bf16(w)| + |b|): each of the ≤ K/2 + 1 vdpbf16ps steps adds at
    /// most two roundings of relative size 2⁻²⁴ to a partial sum bounded by that total
    /// (bf16 × bf16 products are exact in FP32).
    private func reference(_ x: [Float], _ w: [Float], _ b: [Float]?, _ rows: Int, _ inF: Int, _ outF: Int)
        -> (value: [Double], bound: [Double]) {
        let xr = x.map { Double(BF16Support.round($0)) }, wr = w.map { Double(BF16Support.round($0)) }
        var value = [Double](repeating: 0, count: rows * outF), bound = value
        for r in 0..<rows {
            for n in 0..<outF {
                var s = Double(b?[n] ?? 0), a = abs(s)
                for k in 0..<inF { let p = xr[r * inF + k] * wr[n * inF + k]; s += p; a += abs(p) }
                value[r * outF + n] = s
                bound[r * outF + n] = Double(inF + 2) * 0x1p-24 * a + 1e-30
            }
        }
        return (value, bound)
    }

    /// W = identity: out = bf16(x) exactly, so the GEMM's activation rounding (vcvtne2ps2bf16)
    /// must equal BF16Support.round, including ties to even, subnormals and signed zeros.
    func testActivationRoundingMatchesScalarRounding() throws {
        let ulp: Float = 0x1p-7  // bf16 spacing at 1
        let specials: [Float] = [1, 1 + ulp / 2, 1 + 3 * ulp / 2, -1 - ulp / 2, 1 + ulp / 2 + 0x1p-20, 0, -0.0,
                                 Float.leastNormalMagnitude / 4, -Float.leastNormalMagnitude / 4, 3.0e38, 65504,
                                 0.1, -0.3333, 1e-20, 123_456.7]
        let n = 33  // two full 16-lane halves plus a tail
        let x = (0..<(2 * n)).map { specials[$0 % specials.count] * ($0 < n ? 1 : -1) }
        var identity = [Float](repeating: 0, count: n * n)
        for i in 0..<n { identity[i * n + i] = 1 }
        let weight = try BF16Weight(weight: identity, outFeatures: n, inFeatures: n)
        var out = [Float](repeating: .nan, count: 2 * n)
        try bf16LinearForward(out: &out, input: x, weight: weight, bias: nil, rows: 2)
        for i in 0..<(2 * n) {
            let want = BF16Support.round(x[i])
            XCTAssertEqual(out[i].bitPattern == want.bitPattern || (out[i] == 0 && want == 0), true,
                           "x = \(x[i]): GEMM gave \(out[i]), scalar rounding \(want)")
        }
        XCTAssertEqual(BF16Support.round(1 + ulp / 2), 1, "tie rounds to even (down)")
        XCTAssertEqual(BF16Support.round(1 + 3 * ulp / 2), 1 + 2 * ulp, "tie rounds to even (up)")
        XCTAssertEqual(BF16Support.round(Float.leastNormalMagnitude / 4), 0, "subnormal flushes to zero")
    }

    /// The two-core split equals row-by-row calls bit for bit (RowSplitSupport.swift).
    func testRowSplitIsBitIdentical() throws {
        try assertRowSplitIsBitIdentical { w, b in
            let weight = try BF16Weight(weight: w, outFeatures: 96, inFeatures: 200)
            return { out, input, rows in try bf16LinearForward(out: out, input: input, weight: weight, bias: b, rows: rows) }
        }
    }

    func testRefusesEmptyShapes() {
        let w: [Float] = [1]
        XCTAssertThrowsError(try BF16Weight(weight: w, outFeatures: 0, inFeatures: 1))
        XCTAssertThrowsError(try BF16Weight(weight: w, outFeatures: 1, inFeatures: 0))
    }
}
