// The class-token-only last block (EncoderModel+ClassToken.swift) against the full block:
// same logits on padded batches of both tiny models, and the one-query attention against
// row 0 of every sequence of `inferenceAttention`.
@testable import Encoder
import Foundation
import Kernels
import TestSupport
import XCTest

final class ClassTokenBlockTests: XCTestCase {
    /// forward (class-token last block) vs run with a layer observer (full last block).
    func checkLogits(_ family: String) throws {
        let dir = fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)")
        let (model, _) = try EncoderModel.load(directory: dir)
        let ref = try TinyReference("tiny-\(family)-ref.safetensors")
        XCTAssertGreaterThan(ref.mask.filter { $0 == 0 }.count, 0, "the fixture batch has padding")
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: false)
        var rng = SeededRNG(seed: 1)
        let fast = Array(try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                           seqLen: ref.seqLen, workspace: ws, rng: &rng))
        XCTAssertTrue(model.lastBlockReadsClassTokenOnly(ws, observed: false), "forward took the class-token block")
        let full = Array(try model.run(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                       seqLen: ref.seqLen, workspace: ws, training: false, rng: &rng) { _, _ in })
        XCTAssertEqual(fast.count, ref.batch * model.config.numLabels)
        // float32 rounding of products of another height; the logits are O(0.1)
        assertClose(fast, full, atol: 1e-6, rtol: 1e-5, "\(family) class-token vs full last block")
    }

    func testDistilBERTLogitsMatchFullBlock() throws { try checkLogits("distilbert") }
    func testBERTLogitsMatchFullBlock() throws { try checkLogits("bert") }

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
        var scratch = [Float](repeating: 0, count: encoderWorkerCount * t * t)
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
