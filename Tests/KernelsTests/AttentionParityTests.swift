// Attention parity with HF DistilBERT eager attention (q/√HS, masked_fill with float32's
// lowest finite value, softmax, ·v): T = 7 with an all-padding sequence, and T = 13 with
// HS = 32 (large enough for the two-core path).
import DocketBase
import XCTest
@testable import Kernels

final class AttentionParityTests: XCTestCase {
    func testAttentionT7WithAllPaddingRow() throws { try check("t7", heads: 2) }
    func testAttentionT13TwoCorePath() throws { try check("t13", heads: 2) }

    private func check(_ prefix: String, heads: Int) throws {
        let f = try KernelFixture("attention")
        let q = try f.floats("\(prefix).in.q"), k = try f.floats("\(prefix).in.k")
        let v = try f.floats("\(prefix).in.v"), mask = try f.ints("\(prefix).in.mask")
        let up = try f.floats("\(prefix).up.out")
        let s = try f.shape("\(prefix).in.q"), (B, T, C) = (s[0], s[1], s[2])
        var out = [Float](repeating: 0, count: q.count), probs = [Float](repeating: 0, count: B * heads * T * T)
        var rng = SeededRNG(seed: 0)
        try attentionForward(out: &out, probs: &probs, q: q, k: k, v: v, keyMask: mask,
                             batch: B, seqLen: T, channels: C, heads: heads, rng: &rng)
        var dq = [Float](repeating: 0, count: q.count), dk = dq, dv = dq
        try attentionBackward(dq: &dq, dk: &dk, dv: &dv, dOut: up, q: q, k: k, v: v, probs: probs,
                              keyMask: mask, batch: B, seqLen: T, channels: C, heads: heads)
        // gaps (t7 / t13): out 2.2e-7 / 2.3e-7, probs 7.4e-8 / 8.9e-8, dq 2.0e-7 / 4.1e-7,
        // dk 1.3e-7 / 4.6e-7, dv 1.7e-7 / 3.6e-7
        try checkParity(out, f, "\(prefix).out.out", atol: 3e-6)
        try checkParity(probs, f, "\(prefix).out.probs", atol: 1e-6)
        try checkParity(dq, f, "\(prefix).grad.q", atol: 5e-6)
        try checkParity(dk, f, "\(prefix).grad.k", atol: 5e-6)
        try checkParity(dv, f, "\(prefix).grad.v", atol: 4e-6)
    }
}
