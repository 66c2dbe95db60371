// `classTokenAttention` (one query per sequence, the class-token last block) against row 0 of
// every sequence of the full `inferenceAttention`.
import Kernels
import TestSupport
import XCTest

final class ClassTokenAttentionTests: XCTestCase {
    func testAttentionMatchesRowZeroOfFullAttention() {
        let b = 3, t = 7, c = 16, heads = 4
        let q = (0..<(b * t * c)).map { Float(($0 * 37) % 101) / 50 - 1 }
        let k = (0..<(b * t * c)).map { Float(($0 * 53) % 89) / 44 - 1 }
        let v = (0..<(b * t * c)).map { Float(($0 * 29) % 97) / 48 - 1 }
        // sequence 0 full, 1 padded after 4 tokens, 2 all padding (uniform weights in HF)
        var mask = [Int32](repeating: 1, count: b * t)
        for j in 4..<t { mask[t + j] = 0 }
        for j in 0..<t { mask[2 * t + j] = 0 }
        var full = [Float](repeating: 0, count: b * t * c)
        var scratch = [Float](repeating: 0, count: kernelWorkerCount * t * t)
        inferenceAttention(out: &full, q: q, k: k, v: v, keyMask: mask, scratch: &scratch,
                           batch: b, seqLen: t, channels: c, heads: heads)
        var q0 = [Float](repeating: 0, count: b * c)
        for s in 0..<b { for d in 0..<c { q0[s * c + d] = q[s * t * c + d] } }
        var out = [Float](repeating: 0, count: b * c), scores = [Float](repeating: 0, count: t)
        classTokenAttention(out: &out, q: q0, k: k, v: v, keyMask: mask, scores: &scores,
                            batch: b, seqLen: t, channels: c, heads: heads)
        let rowZero = (0..<b).flatMap { s in full[(s * t * c)..<(s * t * c + c)] }
        assertClose(out, Array(rowZero), atol: 1e-6, rtol: 1e-6, "one-query attention vs row 0")
    }
}
