// Parity with PyTorch/transformers on the tiny seeded DistilBERT and BERT classifiers made by
// Scripts/fixtures/make_encoder_fixtures.py: per-layer hidden states, logits, loss and the gradient of
// every parameter by HF name (eval mode, dropout off). Tolerances are 10× the float32-vs-float64
// gap the script measured for the same tensor (stored in the fixture's __metadata__ as
// "gap.<name>"), with a floor of 2e-6 absolute (float32 rounding of O(1) values that PyTorch
// and oneDNN sum in different orders).
import DocketBase
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
import XCTest

/// The fixture batch and PyTorch's results for one tiny model.
struct TinyReference {
    let file: SafeTensorsFile
    let batch: Int, seqLen: Int
    let ids: [Int32], mask: [Int32], typeIds: [Int32], labels: [Int32]

    init(_ name: String) throws {
        file = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/\(name)"))
        let shape = try file.info("input_ids").shape
        batch = shape[0]; seqLen = shape[1]
        ids = try file.floats("input_ids").map { Int32($0) }
        mask = try file.floats("attention_mask").map { Int32($0) }
        typeIds = try file.floats("token_type_ids").map { Int32($0) }
        labels = try file.floats("labels").map { Int32($0) }
    }

    /// 10 × the measured float32-vs-float64 gap of `name`, at least `floor`.
    func tolerance(_ name: String, floor: Double = 2e-6) -> Double {
        max(floor, 10 * (Double(file.metadata["gap.\(name)"] ?? "") ?? 0))
    }
}

final class EncoderParityTests: XCTestCase {
    func loadTiny(_ family: String) throws -> (EncoderModel, TinyReference) {
        let dir = fixturesDirectory.appendingPathComponent("encoder/tiny-\(family)")
        let (model, notices) = try EncoderModel.load(directory: dir)
        XCTAssertEqual(notices, [], "the tiny checkpoints hold every tensor")
        return (model, try TinyReference("tiny-\(family)-ref.safetensors"))
    }

    func checkForward(_ family: String) throws {
        let (model, ref) = try loadTiny(family)
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: false)
        let states = try model.hiddenStates(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask,
                                            batch: ref.batch, seqLen: ref.seqLen, workspace: ws)
        XCTAssertEqual(states.count, model.config.numLayers + 1)
        for (i, h) in states.enumerated() {
            // measured gaps: ≤ 2.0e-6 on every hidden state of both tiny models
            assertClose(h, try ref.file.floats("hidden.\(i)"), atol: ref.tolerance("hidden.\(i)"), "\(family) hidden.\(i)")
        }
        var rng = SeededRNG(seed: 1)
        let logits = try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                       seqLen: ref.seqLen, workspace: ws, rng: &rng)
        // measured gap 1.3e-6 (DistilBERT) / 1.8e-6 (BERT): tolerance ≈ 2e-5, target was 1e-4
        let expected = try ref.file.floats("logits")
        assertClose(Array(logits), expected, atol: ref.tolerance("logits"), "\(family) logits")
        print("\(family) logits max |diff| vs PyTorch: \(maxAbsDiff(Array(logits), expected))")
    }

    func testDistilBertForwardMatchesPyTorch() throws { try checkForward("distilbert") }
    func testBertForwardMatchesPyTorch() throws { try checkForward("bert") }

    func checkGradients(_ family: String) throws {
        let (model, ref) = try loadTiny(family)
        let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: true)
        var rng = SeededRNG(seed: 1)
        let logits = try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                       seqLen: ref.seqLen, workspace: ws, training: false, rng: &rng)
        let k = model.config.numLabels
        var probs = [Float](repeating: 0, count: ref.batch * k), dLogits = probs
        let loss = try softmaxCrossEntropyForward(probs: &probs, logits: logits.baseAddress!, labels: ref.labels,
                                                  classWeights: nil, batch: ref.batch, classes: k)
        assertClose([loss], try ref.file.floats("loss"), atol: ref.tolerance("loss"), "\(family) loss")
        try softmaxCrossEntropyBackward(dLogits: &dLogits, probs: probs, labels: ref.labels, classWeights: nil,
                                        batch: ref.batch, classes: k)
        let grads = model.makeGradientBuffer()
        try dLogits.withUnsafeBufferPointer { try model.backward(dLogits: $0.baseAddress!, workspace: ws, gradients: grads) }
        var worst = 0.0
        for spec in model.layout {
            let name = "grads.\(spec.name)"
            let actual = Array(try grads.buffer(spec.name)), expected = try ref.file.floats(name)
            // measured gaps ≤ 7.2e-7 over all parameters of both tiny models
            assertClose(actual, expected, atol: ref.tolerance(name), name)
            worst = max(worst, maxAbsDiff(actual, expected))
        }
        print("\(family) gradients: \(model.layout.count) tensors, max |diff| vs PyTorch \(worst)")
    }

    func testDistilBertGradientsMatchPyTorch() throws { try checkGradients("distilbert") }
    func testBertGradientsMatchPyTorch() throws { try checkGradients("bert") }

    /// F16 and BF16 copies of tiny BERT give PyTorch's logits for the rounded weights.
    func testLowPrecisionCheckpointsLoadAndMatch() throws {
        let ref = try TinyReference("tiny-bert-ref.safetensors")
        let lowp = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("encoder/tiny-bert-lowp-ref.safetensors"))
        for tag in ["f16", "bf16"] {
            let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-bert-\(tag)"))
            let ws = try model.makeWorkspace(maxBatch: ref.batch, maxSeqLen: ref.seqLen, training: false)
            var rng = SeededRNG(seed: 0)
            let logits = try model.forward(ids: ref.ids, typeIds: ref.typeIds, mask: ref.mask, batch: ref.batch,
                                           seqLen: ref.seqLen, workspace: ws, rng: &rng)
            // same float32 computation as the F32 test on exactly representable weights: the
            // F32 logits tolerance applies (measured gap 1.8e-6)
            assertClose(Array(logits), try lowp.floats("logits_\(tag)"), atol: ref.tolerance("logits"), "\(tag) logits")
        }
    }
}
