// The encoder's inference attention (Kernels' inferenceAttention) against the training
// attention path on a real model, and Kernels' expNeg against expf.
@testable import Encoder
import DocketBase
import Foundation
import Kernels
import TestSupport
import XCTest

final class InferenceAttentionTests: XCTestCase {
    func testExpNegMatchesExpf() {
        var worst: Float = 0
        for i in 0..<200_000 {
            let x = -Float(i) / 2300  // [0, −87)
            let e = expf(x)
            if e >= 1e-30 { worst = max(worst, abs(expNeg(x) - e) / e) }
        }
        XCTAssertLessThan(worst, 3e-7, "relative error against expf")  // measured 2.5e-7 (degree 6); degree 7 here
    }

    /// The inference attention (no probabilities kept) against the Kernels training attention
    /// on the same model, including interior padding and an all-padding sequence.
    func testInferenceMatchesTrainingPathWithOddPadding() throws {
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-bert"))
        let (b, t) = (3, 6)
        let ids: [Int32] = [5, 9, 0, 7, 3, 0, /**/ 0, 0, 0, 0, 0, 0, /**/ 11, 12, 13, 14, 15, 16]
        let mask: [Int32] = [1, 1, 0, 1, 1, 0, /**/ 0, 0, 0, 0, 0, 0, /**/ 1, 1, 1, 1, 1, 1]
        var rng = SeededRNG(seed: 0)
        let inf = try model.makeWorkspace(maxBatch: b, maxSeqLen: t, training: false)
        let tr = try model.makeWorkspace(maxBatch: b, maxSeqLen: t, training: true)
        let a = Array(try model.forward(ids: ids, mask: mask, batch: b, seqLen: t, workspace: inf, rng: &rng))
        let e = Array(try model.forward(ids: ids, mask: mask, batch: b, seqLen: t, workspace: tr, training: false, rng: &rng))
        XCTAssertTrue(a.allSatisfy(\.isFinite))
        // same maths, different exp and summation order: float32 rounding only
        assertClose(a, e, atol: 2e-6, "inference vs training attention path")
    }
}
