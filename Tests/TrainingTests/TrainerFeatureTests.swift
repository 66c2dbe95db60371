// Trainer conveniences of the HF Trainer: --eval-steps, --save-total-limit (step-checkpoint
// callback and rotation), gradient accumulation and the cosine schedule under --resume
// (bit-identical), and a multi-label run with dev evaluation.
import Encoder
import Foundation
import Kernels
import TestSupport
@testable import Training
import XCTest

final class TrainerFeatureTests: XCTestCase {
    private func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("docket-trainer-features-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    private func weights(_ m: TrainableModel) -> [Float] { Array(UnsafeBufferPointer(start: m.parameters.baseAddress, count: m.parameters.count)) }

    private func trainer(_ o: TrainingOptions, dir: URL?, modelSeed: UInt64 = 7) throws -> (EncoderTrainable, Trainer) {
        let model = try TrainerTests.tinyModel(seed: modelSeed)
        let t = try Trainer(model: model, options: o, labels: TrainerTests.labels, train: TrainerTests.examples(37, seed: 1),
                            dev: TrainerTests.examples(12, seed: 2), stateDirectory: dir?.appendingPathComponent("state"),
                            logURL: dir?.appendingPathComponent("log.jsonl"))
        return (model, t)
    }

    private func logLines(_ dir: URL, type: String) throws -> [[String: Any]] {
        try String(contentsOf: dir.appendingPathComponent("log.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["type"] as? String == type }
    }

    /// 37 examples, batch 8: 5 steps per epoch, 10 in all; --eval-steps 3 evaluates at steps
    /// 3, 6, 9 and the last step 10 (not at epoch ends); --save-total-limit calls the
    /// step-checkpoint hook at each save step (3) and the last step, with the best step so far.
    func testEvalStepsAndStepCheckpoints() throws {
        let dir = try tempDir()
        var o = TrainerTests.options(); o.evalSteps = 3; o.saveTotalLimit = 2; o.metric = .loss
        let (_, t) = try trainer(o, dir: dir)
        var saved: [(Int, Int?)] = [], bestCalls = 0
        t.onStepCheckpoint = { saved.append(($0, $1)) }
        t.onCheckpoint = { _ in bestCalls += 1 }
        let summary = try t.run()
        XCTAssertEqual(summary.steps, 10)
        XCTAssertEqual(summary.evaluations.count, 4)
        let evals = try logLines(dir, type: "eval")
        XCTAssertEqual(evals.map { $0["step"] as? Int }, [3, 6, 9, 10])
        XCTAssertEqual(saved.map(\.0), [3, 6, 9, 10])
        XCTAssertGreaterThanOrEqual(bestCalls, 1)
        let bestStep = saved.last!.1
        XCTAssertNotNil(bestStep)
        XCTAssertTrue([3, 6, 9, 10].contains(bestStep!))
    }

    func testCheckpointRotationKeepsNewestAndBest() {
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [10, 20, 30], limit: 3, best: nil), [])
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [30, 10, 40, 20], limit: 2, best: nil), [10, 20])
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [10, 20, 30, 40], limit: 2, best: 10), [20, 30])
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [10, 20, 30, 40], limit: 2, best: 40), [10, 20])
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [10, 20, 30], limit: 1, best: 10), [20], "limit 1: best and newest")
        XCTAssertEqual(CheckpointRotation.stepsToDelete(steps: [10, 20, 30], limit: 2, best: 25), [10], "best without a directory")
    }

    /// Accumulation 2 + cosine schedule + eval steps, interrupted after step 3 (mid-epoch 2; a
    /// save at step 2) and resumed in a fresh model: weights and the log equal an
    /// uninterrupted run's.
    func testResumeWithAccumulationCosineAndEvalStepsIsExact() throws {
        var o = TrainerTests.options()
        o.gradientAccumulationSteps = 2; o.schedule = .cosine; o.evalSteps = 2; o.saveSteps = 2
        let full = try tempDir(), cut = try tempDir()
        let (reference, t1) = try trainer(o, dir: full)
        let s1 = try t1.run()
        XCTAssertEqual(s1.steps, 6, "5 micro-batches per epoch, 2 per step → 3 steps per epoch")
        let (_, t2) = try trainer(o, dir: cut)
        t2.stopAfterStep = 3
        XCTAssertTrue(try t2.run().interrupted)
        let (resumed, t3) = try trainer(o, dir: cut, modelSeed: 99)
        let s3 = try t3.run(resume: true)
        XCTAssertEqual(s3.steps, 6)
        XCTAssertEqual(weights(resumed), weights(reference), "resumed weights must equal the uninterrupted run's")
        XCTAssertEqual(s3.bestMetric, s1.bestMetric)
        func strip(_ d: URL) throws -> [String] {
            try logLines(d, type: "step").map { "\($0["step"]!) \($0["loss"]!) \($0["lr"]!)" }
        }
        XCTAssertEqual(try strip(cut), try strip(full))
        XCTAssertEqual(try logLines(cut, type: "eval").count, try logLines(full, type: "eval").count)
    }

    /// A multi-label run: labels as lists, BCE training, dev metrics from MultiLabelMetrics.
    func testMultiLabelRunEvaluatesWithMultiLabelMetrics() throws {
        func examples(_ n: Int, seed: UInt64) -> [TrainingExample] {
            TrainerTests.examples(n, seed: seed).map { e in
                // Label 0 when the second token is even, label 2 when the third is above 50 (both, one or none).
                TrainingExample(ids: e.ids, multiLabels: [0, 2].filter { $0 == 0 ? e.ids[1] % 2 == 0 : e.ids[2] > 50 })
            }
        }
        var o = TrainerTests.options(); o.problemType = .multiLabel; o.learningRate = 3e-3; o.epochs = 3
        let model = try TrainerTests.tinyModel()
        let t = try Trainer(model: model, options: o, labels: TrainerTests.labels, train: examples(37, seed: 1),
                            dev: examples(12, seed: 2), stateDirectory: nil, logURL: nil)
        let summary = try t.run()
        let e = try XCTUnwrap(summary.evaluations.last)
        XCTAssertNil(e.metrics)
        let m = try XCTUnwrap(e.multiLabelMetrics)
        XCTAssertEqual(m.perLabel.count, 3)
        XCTAssertEqual(m.perLabel[1].support, 0)
        XCTAssertEqual(e.predictedLabelSets?.count, 12)
        XCTAssertEqual(e.accuracy, m.subsetAccuracy)
        XCTAssertTrue(e.loss.isFinite && e.loss > 0)
        // Single-label examples in a multi-label run are refused.
        XCTAssertThrowsError(try Trainer(model: model, options: o, labels: TrainerTests.labels,
                                         train: TrainerTests.examples(5, seed: 1), dev: nil, stateDirectory: nil, logURL: nil))
        var bad = o; bad.classWeights = .balanced
        XCTAssertThrowsError(try Trainer(model: model, options: bad, labels: TrainerTests.labels, train: examples(5, seed: 1),
                                         dev: nil, stateDirectory: nil, logURL: nil).run())
    }
}
