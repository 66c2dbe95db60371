// Finite-difference check of attentionBackward (dq, dk, dv) with a key-padding mask that
// includes an all-padding sequence, odd T, and attention dropout with a fixed mask.
import DocketBase
import XCTest
@testable import Kernels

final class AttentionGradientCheckTests: XCTestCase {
    func testAttentionGradients() throws {
        for dropoutP: Float in [0, 0.25] {
            try checkAttention(dropoutP: dropoutP)
        }
    }

    private func checkAttention(dropoutP: Float) throws {
        var rng = SeededRNG(seed: 9)
        let B = 3, T = 5, C = 6, NH = 2, n = B * T * C
        // Sequence 0 has 3 real tokens, sequence 1 none (all padding), sequence 2 all five.
        let keyMask: [Int32] = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        var q = randomArray(n, &rng), k = randomArray(n, &rng), v = randomArray(n, &rng)
        let up = randomArray(n, &rng)
        let maskCount = B * NH * T * T
        func run(_ q: [Float], _ k: [Float], _ v: [Float], probs: inout [Float], mask: inout [UInt8]) -> [Float] {
            var out = [Float](repeating: 0, count: n)
            var r = SeededRNG(seed: 99)  // same dropout mask on every call
            try? attentionForward(out: &out, probs: &probs, q: q, k: k, v: v, keyMask: keyMask,
                                  batch: B, seqLen: T, channels: C, heads: NH,
                                  dropoutP: dropoutP, dropoutMask: &mask, rng: &r)
            return out
        }
        func loss(_ q: [Float], _ k: [Float], _ v: [Float]) -> Double {
            var p = [Float](repeating: 0, count: maskCount), m = [UInt8](repeating: 0, count: maskCount)
            return weightedSum(run(q, k, v, probs: &p, mask: &m), up)
        }
        var probs = [Float](repeating: 0, count: maskCount), mask = [UInt8](repeating: 0, count: maskCount)
        let out = run(q, k, v, probs: &probs, mask: &mask)
        XCTAssert(out.allSatisfy { $0.isFinite })
        // The all-padding sequence attends uniformly.
        for i in (NH * T * T)..<(2 * NH * T * T) { XCTAssertEqual(probs[i], 0.2, accuracy: 1e-6) }
        var dq = [Float](repeating: 0.5, count: n), dk = dq, dv = dq
        try attentionBackward(dq: &dq, dk: &dk, dv: &dv, dOut: up, q: q, k: k, v: v, probs: probs,
                              keyMask: keyMask, batch: B, seqLen: T, channels: C, heads: NH,
                              dropoutP: dropoutP, dropoutMask: mask)
        let (q0, k0, v0) = (q, k, v)
        let tag = "p=\(dropoutP)"
        assertGradient(minus(dq, 0.5), finiteDifference(&q, h: 1e-2) { loss($0, k0, v0) }, threshold: 2e-3, "attention dq \(tag)")
        assertGradient(minus(dk, 0.5), finiteDifference(&k, h: 1e-2) { loss(q0, $0, v0) }, threshold: 2e-3, "attention dk \(tag)")
        assertGradient(minus(dv, 0.5), finiteDifference(&v, h: 1e-2) { loss(q0, k0, $0) }, threshold: 2e-3, "attention dv \(tag)")
    }
}
