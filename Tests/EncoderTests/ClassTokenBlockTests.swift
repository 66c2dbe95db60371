// The class-token-only last block (EncoderModel+ClassToken.swift) against the full block:
// same logits on padded batches of both tiny models.
import DocketBase
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
}
