// Backward with dropout active (training mode) has no PyTorch reference (different random
// streams), so it is checked by a central finite difference of the loss along a random
// direction d over ALL parameters: (L(θ+εd) − L(θ−εd)) / 2ε ≈ ∇L·d, with the same seed (hence
// the same dropout masks) in every forward.
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
import XCTest

final class DropoutGradientTests: XCTestCase {
    func check(_ family: String) throws {
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        XCTAssertGreaterThan(model.config.hiddenDropout, 0)
        let ref = try TinyReference("tiny-\(family)-ref.safetensors")
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: true)
        let k = model.config.numLabels
        var probs = [Float](repeating: 0, count: ref.batch * k)
        func loss() throws -> Float {
            var rng = SeededRNG(seed: 42)
            let logits = try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                           seqLen: ref.seqLen, workspace: ws, training: true, rng: &rng)
            return try softmaxCrossEntropyForward(probs: &probs, logits: logits.baseAddress!, labels: ref.labels,
                                                  classWeights: nil, batch: ref.batch, classes: k)
        }
        _ = try loss()
        var dLogits = [Float](repeating: 0, count: ref.batch * k)
        try softmaxCrossEntropyBackward(dLogits: &dLogits, probs: probs, labels: ref.labels, classWeights: nil,
                                        batch: ref.batch, classes: k)
        let grads = model.makeGradientBuffer()
        try model.backward(dLogits: dLogits, workspace: ws, gradients: grads)

        let n = model.parameters.count, theta = model.parameters.baseAddress
        var dirRNG = SeededRNG(seed: 5)
        let d = (0..<n).map { _ in dirRNG.nextGaussian() }
        let original = Array(UnsafeBufferPointer(start: theta, count: n))
        var analytic = 0.0
        for i in 0..<n { analytic += Double(grads.baseAddress[i]) * Double(d[i]) }
        let eps: Float = 3e-4  // at 1e-3 curvature (ReLU/GELU) already shows at 0.4% even in eval mode
        for i in 0..<n { theta[i] = original[i] + eps * d[i] }
        let plus = try loss()
        for i in 0..<n { theta[i] = original[i] - eps * d[i] }
        let minus = try loss()
        for i in 0..<n { theta[i] = original[i] }
        let numeric = Double(plus - minus) / Double(2 * eps)
        // float32 loss rounding (~1e-7) / 2ε ≈ 5e-4 absolute, plus O(ε²) curvature: 1% relative
        XCTAssertEqual(numeric, analytic, accuracy: 0.01 * abs(analytic) + 1e-3, "\(family): directional derivative")
        print("\(family) dropout-on directional derivative: analytic \(analytic), numeric \(numeric)")
    }

    /// Gradients (dropout on) are bit-identical at every ActivationRecompute level:
    /// recomputation repeats forward's own arithmetic on forward's own inputs (and draws the
    /// attention dropout mask again from the same RNG state).
    func checkRecomputeLevels(_ family: String) throws {
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)"))
        XCTAssertGreaterThan(model.config.numLayers, 1, "needs several layers to rebuild layer inputs")
        let ref = try TinyReference("tiny-\(family)-ref.safetensors")
        let k = model.config.numLabels
        func gradients(recompute: ActivationRecompute) throws -> [Float] {
            let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: true,
                                             recompute: recompute)
            XCTAssertEqual(ws.recompute, recompute)
            var rng = SeededRNG(seed: 7)
            let logits = try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                           seqLen: ref.seqLen, workspace: ws, training: true, rng: &rng)
            var probs = [Float](repeating: 0, count: ref.batch * k), dLogits = probs
            _ = try softmaxCrossEntropyForward(probs: &probs, logits: logits.baseAddress!, labels: ref.labels,
                                               classWeights: nil, batch: ref.batch, classes: k)
            try softmaxCrossEntropyBackward(dLogits: &dLogits, probs: probs, labels: ref.labels, classWeights: nil,
                                            batch: ref.batch, classes: k)
            let grads = model.makeGradientBuffer()
            try model.backward(dLogits: dLogits, workspace: ws, gradients: grads)
            return Array(UnsafeBufferPointer(start: grads.baseAddress, count: grads.count))
        }
        let kept = try gradients(recompute: .none)
        XCTAssertTrue(kept.contains { $0 != 0 })
        for level in [ActivationRecompute.attention, .all] {
            XCTAssertEqual(try gradients(recompute: level), kept, "\(family): gradients with recompute \(level)")
        }
    }

    func testDistilBertBackwardWithDropout() throws { try check("distilbert") }
    func testRecomputeLevelsGiveIdenticalGradients() throws {
        try checkRecomputeLevels("distilbert")
        try checkRecomputeLevels("bert")
    }
    func testBertBackwardWithDropout() throws { try check("bert") }
}
