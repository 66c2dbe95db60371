// Attention (two-core path, odd T, tail and interior padding, an all-padding sequence, dropout) against a
// plain Double-precision implementation written out loop by loop.
import DocketBase
import XCTest
@testable import Kernels
import TestSupport

final class AttentionReferenceTests: XCTestCase {
    func testAgainstDoubleReferenceWithDropout() throws {
        let B = 3, T = 37, NH = 3, HS = 24, C = NH * HS, p: Float = 0.1
        var rng = SeededRNG(seed: 13)
        let q = randomArray(B * T * C, &rng), k = randomArray(B * T * C, &rng)
        let v = randomArray(B * T * C, &rng), up = randomArray(B * T * C, &rng)
        let lens = [37, 20, 0]
        // Sequence 1 also masks an interior key (5), not only the tail after its last token.
        var keyMask = [Int32](repeating: 0, count: B * T)
        for b in 0..<B { for t in 0..<lens[b] where !(b == 1 && t == 5) { keyMask[b * T + t] = 1 } }
        var out = [Float](repeating: 0, count: B * T * C), probs = [Float](repeating: 0, count: B * NH * T * T)
        var mask = [UInt8](repeating: 0, count: B * NH * T * T), drng = SeededRNG(seed: 5)
        try attentionForward(out: &out, probs: &probs, q: q, k: k, v: v, keyMask: keyMask, batch: B, seqLen: T,
                             channels: C, heads: NH, dropoutP: p, dropoutMask: &mask, rng: &drng)
        var dq = [Float](repeating: 0, count: q.count), dk = dq, dv = dq
        try attentionBackward(dq: &dq, dk: &dk, dv: &dv, dOut: up, q: q, k: k, v: v, probs: probs, keyMask: keyMask,
                              batch: B, seqLen: T, channels: C, heads: NH, dropoutP: p, dropoutMask: mask)

        var rOut = [Double](repeating: 0, count: q.count), rdq = rOut, rdk = rOut, rdv = rOut
        let scale = 1 / Double(HS).squareRoot(), keep = 1 / Double(1 - p)
        for b in 0..<B {
            for h in 0..<NH {
                func at(_ a: [Float], _ t: Int, _ d: Int) -> Double { Double(a[(b * T + t) * C + h * HS + d]) }
                func idx(_ t: Int, _ d: Int) -> Int { (b * T + t) * C + h * HS + d }
                for i in 0..<T {
                    // scores, mask, softmax
                    var s = (0..<T).map { j in (0..<HS).reduce(0.0) { $0 + at(q, i, $1) * scale * at(k, j, $1) } }
                    for j in 0..<T where keyMask[b * T + j] == 0 { s[j] = -Double(Float.greatestFiniteMagnitude) }
                    let m = s.max()!
                    let e = s.map { exp($0 - m) }, z = e.reduce(0, +)
                    let P = e.map { $0 / z }
                    let drop = (0..<T).map { j in Double(mask[((b * NH + h) * T + i) * T + j]) * keep }
                    let W = (0..<T).map { P[$0] * drop[$0] }
                    for d in 0..<HS { rOut[idx(i, d)] = (0..<T).reduce(0.0) { $0 + W[$1] * at(v, $1, d) } }
                    // backward
                    for j in 0..<T { for d in 0..<HS { rdv[idx(j, d)] += W[j] * at(up, i, d) } }
                    let dW = (0..<T).map { j in (0..<HS).reduce(0.0) { $0 + at(up, i, $1) * at(v, j, $1) } }
                    let dP = (0..<T).map { dW[$0] * drop[$0] }
                    let dot = (0..<T).reduce(0.0) { $0 + P[$1] * dP[$1] }
                    let dS = (0..<T).map { j in keyMask[b * T + j] == 0 ? 0 : P[j] * (dP[j] - dot) }
                    for j in 0..<T {
                        for d in 0..<HS {
                            rdq[idx(i, d)] += dS[j] * scale * at(k, j, d)
                            rdk[idx(j, d)] += dS[j] * scale * at(q, i, d)
                        }
                    }
                }
            }
        }
        // Float32 vs Double on O(1) data, T = 37 terms per sum: measured max 4.7e-7 (printed
        // below); 5e-6 ≈ 10× that, while indexing or masking mistakes give O(0.1) errors.
        assertClose(out, rOut, atol: 5e-6, "attention out")
        assertClose(dq, rdq, atol: 5e-6, "attention dq")
        assertClose(dk, rdk, atol: 5e-6, "attention dk")
        assertClose(dv, rdv, atol: 5e-6, "attention dv")
        print("attention vs Double reference: out \(maxAbsDiff(out, rOut)), dq \(maxAbsDiff(dq, rdq)), dk \(maxAbsDiff(dk, rdk)), dv \(maxAbsDiff(dv, rdv))")
        let kept = mask.filter { $0 != 0 }.count
        XCTAssertEqual(Double(kept) / Double(mask.count), 0.9, accuracy: 0.02, "dropout keep rate")
    }
}
