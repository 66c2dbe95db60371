// Multi-label training against PyTorch (Scripts/fixtures/make_trainer_feature_fixtures.py):
// BertForSequenceClassification(problem_type="multi_label_classification"), tiny seeded
// config (Tests/Fixtures/training/tiny-bert-multilabel), dropout off, one padded batch with
// multi-hot targets. The loss and logits of the first forward, every parameter's gradient
// (BCEWithLogitsLoss, mean over batch × labels) and the weights after 4 Trainer steps
// (clip 1.0, AdamW with HF decay groups, linear warmup 1) are compared by HF name; tolerances
// are 10 × torch's own float32-vs-float64 gap of each tensor.
import DocketBase
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class MultiLabelParityTests: XCTestCase {
    private func fixture() throws -> (SafeTensorsFile, EncoderModel, [TrainingExample]) {
        let ref = try trainingFixture("multilabel_steps")
        let model = try dropoutFreeModel("training/tiny-bert-multilabel")
        XCTAssertEqual(model.config.problemType, .multiLabel, "problem_type read from config.json")
        let ids = try ref.floats("input_ids"), mask = try ref.floats("attention_mask")
        let types = try ref.floats("token_type_ids"), targets = try ref.floats("targets")
        let k = model.config.numLabels, b = targets.count / k, t = ids.count / b
        let examples = (0..<b).map { row in
            let n = Int(mask[(row * t)..<((row + 1) * t)].reduce(0, +))
            return TrainingExample(ids: ids[(row * t)..<(row * t + n)].map { Int32($0) },
                                   typeIds: types[(row * t)..<(row * t + n)].map { Int32($0) },
                                   multiLabels: (0..<k).filter { targets[row * k + $0] == 1 })
        }
        return (ref, model, examples)
    }

    func testLossLogitsAndGradientsMatchPyTorch() throws {
        let (ref, model, examples) = try fixture()
        let trainable = EncoderTrainable(model: model)
        let batch = TokenBatch(examples: examples, indices: Array(examples.indices), padId: 0)
        let loss = try ClassificationLoss(problemType: .multiLabel, classes: model.config.numLabels)
        trainable.gradients.zero()
        var rng = SeededRNG(seed: 0)
        let logits = try trainable.forward(batch, training: true, rng: &rng)
        var probs: [Float] = [], dLogits = [Float](repeating: 0, count: logits.count)
        let value = try dLogits.withUnsafeMutableBufferPointer {
            try loss.evaluate(logits: logits, batch: batch, probabilities: &probs, dLogits: $0.baseAddress!)
        }
        try trainable.backward(dLogits: dLogits, batch: batch)

        let want = try ref.floats("logits"), want64 = try ref.floats("logits64")
        assertClose(logits, want, atol: 10 * max(maxAbsDiff(want, want64), 1e-6), "logits")
        XCTAssertEqual(value, Double(try ref.floats("losses")[0]), accuracy: 1e-6, "BCE-with-logits loss")
        for (p, l) in zip(probs, logits) { XCTAssertEqual(Double(p), 1 / (1 + exp(-Double(l))), accuracy: 1e-6) }
        let worst = try assertTensorsMatch(trainable.gradients, ref, tensor: "grad", gap: "gap.grad", floor: 1e-9, "gradient of")
        print("multi-label: \(model.parameters.entries.count) gradients; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }

    func testAdamWStepsMatchPyTorch() throws {
        let (ref, model, examples) = try fixture()
        var o = TrainingOptions()
        o.problemType = .multiLabel; o.maxSteps = 4; o.batchSize = examples.count; o.shuffle = false
        o.learningRate = 3e-3; o.weightDecay = 0.01; o.warmupSteps = 1; o.gradClip = 1.0; o.schedule = .linear
        let losses = try stepLosses(try parityTrainer(model, o, examples))
        assertClose(losses, try ref.floats("losses"), atol: 1e-5, "losses of the 4 steps")
        let worst = try assertTensorsMatch(model.parameters, ref, gap: "gap.after", "after 4 steps:")
        print("multi-label: weights after 4 AdamW steps; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }

    func testClassWeightsAreRefusedForMultiLabel() {
        XCTAssertThrowsError(try ClassificationLoss(problemType: .multiLabel, classes: 3, classWeights: [1, 2, 3]))
    }

    func testBinaryTargetOutsideUnitIntervalThrows() {
        var probs = [Float](repeating: 0, count: 2)
        let logits: [Float] = [0.3, -1], targets: [Float] = [1, 2]
        XCTAssertThrowsError(try sigmoidBinaryCrossEntropyForward(probs: &probs, logits: logits, targets: targets, batch: 1, classes: 2))
    }
}
