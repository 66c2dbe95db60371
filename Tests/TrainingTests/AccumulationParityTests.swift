// Gradient accumulation and the cosine schedule against PyTorch / transformers
// (Scripts/fixtures/make_trainer_feature_fixtures.py). Accumulation: the tiny single-label BERT on 8
// examples of different lengths, micro-batches of 4 with --gradient-accumulation-steps 2,
// against torch's one batch of 8 (HF Trainer divides each micro-batch loss by 2, the same
// here since both halves are full). The first step's gradient and the weights after 3 steps
// are compared within 10 × torch's float32-vs-float64 gap of each tensor.
import DocketBase
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class AccumulationParityTests: XCTestCase {
    private func fixture() throws -> (SafeTensorsFile, EncoderModel, [TrainingExample]) {
        let ref = try trainingFixture("accumulation")
        let model = try dropoutFreeModel("encoder/tiny-bert"), examples = try stepExamples(ref)
        return (ref, model, examples)
    }

    private func options(accumulation: Int, batch: Int, steps: Int) -> TrainingOptions {
        var o = TrainingOptions()
        o.batchSize = batch; o.gradientAccumulationSteps = accumulation; o.epochs = steps; o.shuffle = false
        o.learningRate = 3e-3; o.weightDecay = 0.01; o.warmupSteps = 1; o.gradClip = 1.0; o.schedule = .linear
        return o
    }

    func testAccumulatedGradientEqualsTheLargerBatch() throws {
        let (ref, model, examples) = try fixture()
        let trainable = EncoderTrainable(model: model)
        let trainer = try Trainer(model: trainable, options: options(accumulation: 2, batch: 4, steps: 1),
                                  labels: model.config.labels, train: examples, dev: nil, stateDirectory: nil, logURL: nil)
        let loss = try ClassificationLoss(problemType: .singleLabel, classes: 3)
        let micro = [TokenBatch(examples: examples, indices: Array(0..<4), padId: 0),
                     TokenBatch(examples: examples, indices: Array(4..<8), padId: 0)]
        trainable.gradients.zero()
        var rng = SeededRNG(seed: 0)
        _ = try trainer.accumulateGradients(micro, loss: loss, rng: &rng)
        var worst = 0.0
        for e in model.parameters.entries {
            let got = Array(try trainable.gradients.buffer(e.name)), want = try ref.floats("grad.\(e.name)")
            let gap = Double(ref.metadata["gap.grad.\(e.name)"] ?? "") ?? 0
            assertClose(got, want, atol: 10 * max(gap, 1e-9), "accumulated gradient of \(e.name)")
            worst = max(worst, maxAbsDiff(got, want))
        }
        print("accumulation 2 × 4 vs torch's batch of 8: first gradient max |diff| = \(worst) "
              + "(torch's own 2 × 4 vs 8: \(ref.metadata["torch_one_vs_accumulated_grad"] ?? "?"))")
    }

    func testAccumulatedStepsMatchTheLargerBatchInPyTorch() throws {
        let (ref, model, examples) = try fixture()
        let trainer = try parityTrainer(model, options(accumulation: 2, batch: 4, steps: 3), examples)
        let summary = try trainer.run()
        XCTAssertEqual(summary.steps, 3, "8 examples, micro-batches of 4, 2 per step: 1 optimizer step per epoch")
        let worst = try assertWeightsMatch(model.parameters, ref, "after 3 accumulated steps:")
        print("accumulation: weights after 3 steps vs torch's batch of 8; worst diff/gap = \(worst)")
    }

    /// Unequal micro-batches (5 examples, micro-batch 2, accumulation 3 → 2 + 2 + 1): each is
    /// weighted by its share, so the step equals one batch of 5 (up to float rounding).
    func testUnequalMicroBatchesAreWeightedBySize() throws {
        let (_, model, examples) = try fixture()
        let five = Array(examples.prefix(5))
        func gradient(batch: Int, accumulation: Int) throws -> [Float] {
            let copy = try EncoderModel(config: model.config, seed: 0)
            try copy.parameters.copy(from: model.parameters)
            let trainable = EncoderTrainable(model: copy)
            let trainer = try Trainer(model: trainable, options: options(accumulation: accumulation, batch: batch, steps: 1),
                                      labels: copy.config.labels, train: five, dev: nil, stateDirectory: nil, logURL: nil)
            let batches = stride(from: 0, to: 5, by: batch).map { TokenBatch(examples: five, indices: Array($0..<min(5, $0 + batch)), padId: 0) }
            trainable.gradients.zero()
            var rng = SeededRNG(seed: 0)
            _ = try trainer.accumulateGradients(batches, loss: try ClassificationLoss(problemType: .singleLabel, classes: 3), rng: &rng)
            return Array(UnsafeBufferPointer(start: trainable.gradients.baseAddress, count: trainable.gradients.count))
        }
        let whole = try gradient(batch: 5, accumulation: 1), parts = try gradient(batch: 2, accumulation: 3)
        assertClose(parts, whole, atol: 1e-6, "2 + 2 + 1 accumulated vs one batch of 5")
    }

    func testCosineScheduleMatchesTransformers() throws {
        struct Case: Decodable { let lr: Double; let warmup: Int; let total: Int; let lrs: [Double] }
        struct File: Decodable { let cases: [Case] }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: fixturesDirectory.appendingPathComponent("training/cosine_schedule.json")))
        XCTAssertEqual(file.cases.count, 4)
        for c in file.cases {
            let s = LearningRateSchedule(kind: .cosine, baseLearningRate: c.lr, warmupSteps: c.warmup, totalSteps: c.total)
            for (step, want) in c.lrs.enumerated() {
                XCTAssertEqual(s.learningRate(atStep: step), want, accuracy: 1e-15 + 1e-12 * c.lr,
                               "cosine lr at step \(step) of (\(c.warmup), \(c.total))")
            }
        }
    }

    func testStepCountsWithAccumulation() {
        var o = TrainingOptions()
        o.epochs = 2; o.gradientAccumulationSteps = 3
        XCTAssertEqual(o.stepsPerEpoch(batchesPerEpoch: 7), 3, "⌈7 / 3⌉: the last group of an epoch still steps")
        XCTAssertEqual(o.totalSteps(batchesPerEpoch: 7), 6)
        o.maxSteps = 7
        XCTAssertEqual(o.epochCount(batchesPerEpoch: 7), 3)
        o.gradientAccumulationSteps = 0
        XCTAssertThrowsError(try o.validate())
    }
}
