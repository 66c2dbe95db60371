// Trainer behaviour on a tiny seeded DistilBERT (hidden 32, 2 layers, dropout on):
// determinism, exact resume after an interruption, early stopping, the log and the plans.
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
@testable import Training
import XCTest

final class TrainerTests: XCTestCase {
    static let labels = ["a", "b", "c"]

    static func tinyModel(seed: UInt64 = 7) throws -> EncoderTrainable {
        let config = ModelConfig(family: .distilbert, hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64,
                                 vocabSize: 100, maxPositions: 64, hiddenDropout: 0.1, attentionDropout: 0.1, labels: labels)
        return EncoderTrainable(model: try EncoderModel(config: config, seed: seed))
    }

    /// Seeded synthetic data: random ids (lengths 3–14), label = a function of the second token.
    static func examples(_ n: Int, seed: UInt64) -> [TrainingExample] {
        var rng = SeededRNG(seed: seed)
        return (0..<n).map { _ in
            let len = 3 + Int(rng.next() % 12)
            let ids = [Int32(1)] + (1..<len).map { _ in Int32(2 + rng.next() % 98) }
            return TrainingExample(ids: ids, label: Int(ids[1]) % 3)
        }
    }

    static func options() -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = 2; o.batchSize = 8; o.learningRate = 1e-3; o.warmupRatio = 0.2; o.seed = 11; o.saveSteps = 3
        return o
    }

    private func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("docket-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    private func weights(_ m: TrainableModel) -> [Float] { Array(UnsafeBufferPointer(start: m.parameters.baseAddress, count: m.parameters.count)) }

    private func train(options: TrainingOptions, dir: URL?, stopAfter: Int? = nil, resume: Bool = false,
                       modelSeed: UInt64 = 7) throws -> (EncoderTrainable, TrainingSummary) {
        let model = try Self.tinyModel(seed: modelSeed)
        let trainer = try Trainer(model: model, options: options, labels: Self.labels, train: Self.examples(37, seed: 1),
                                  dev: Self.examples(12, seed: 2), stateDirectory: dir?.appendingPathComponent("state"),
                                  logURL: dir?.appendingPathComponent("log.jsonl"))
        trainer.stopAfterStep = stopAfter
        return (model, try trainer.run(resume: resume))
    }

    func testSameSeedGivesBitIdenticalWeights() throws {
        let (a, sa) = try train(options: Self.options(), dir: nil)
        let (b, _) = try train(options: Self.options(), dir: nil)
        XCTAssertEqual(sa.steps, 10)  // 37 examples, batch 8 → 5 batches × 2 epochs
        XCTAssertEqual(weights(a), weights(b), "same seed must give bit-identical weights")
        var other = Self.options(); other.seed = 12
        let (c, _) = try train(options: other, dir: nil)
        XCTAssertNotEqual(weights(a), weights(c), "another seed changes the data order and dropout")
        XCTAssertNotEqual(weights(a), weights(try Self.tinyModel()), "training changed the weights")
    }

    /// Stop after step 7 (mid-epoch 2, after a save at step 6, so steps 7's replay is exercised
    /// too), resume in a fresh model and trainer: the final weights equal an uninterrupted run's
    /// bit for bit, and the log has each step once.
    func testResumeAfterInterruptionIsExact() throws {
        let full = try tempDir(), cut = try tempDir()
        let (reference, _) = try train(options: Self.options(), dir: full)
        let (_, partial) = try train(options: Self.options(), dir: cut, stopAfter: 7)
        XCTAssertTrue(partial.interrupted)
        XCTAssertEqual(partial.steps, 7)
        // A different initial model proves the weights come from the saved state.
        let (resumed, summary) = try train(options: Self.options(), dir: cut, resume: true, modelSeed: 99)
        XCTAssertFalse(summary.interrupted)
        XCTAssertEqual(summary.steps, 10)
        XCTAssertEqual(weights(resumed), weights(reference), "resumed weights must equal the uninterrupted run's")
        let strip = { (url: URL) -> [String] in
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
                $0.replacingOccurrences(of: #""seq_per_s":[^,}]*"#, with: "", options: .regularExpression)
            }
        }
        let logA = try strip(full.appendingPathComponent("log.jsonl")), logB = try strip(cut.appendingPathComponent("log.jsonl"))
        XCTAssertEqual(logA, logB, "the resumed log equals the uninterrupted one (throughput aside)")
        XCTAssertEqual(logA.filter { $0.contains("\"type\":\"step\"") }.count, 10)
        XCTAssertEqual(logA.filter { $0.contains("\"type\":\"eval\"") }.count, 2)
    }

    func testResumeRefusesChangedOptions() throws {
        let dir = try tempDir()
        _ = try train(options: Self.options(), dir: dir, stopAfter: 3)
        var changed = Self.options(); changed.learningRate = 2e-3
        XCTAssertThrowsError(try train(options: changed, dir: dir, resume: true)) {
            guard case TrainingError.stateMismatch = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try train(options: Self.options(), dir: try tempDir(), resume: true))
    }

    func testMaxStepsAndBestCheckpointCallback() throws {
        var o = Self.options(); o.maxSteps = 12; o.metric = .loss
        let model = try Self.tinyModel()
        let trainer = try Trainer(model: model, options: o, labels: Self.labels, train: Self.examples(37, seed: 1),
                                  dev: Self.examples(12, seed: 2), stateDirectory: nil, logURL: nil)
        var saved: [Double] = []
        trainer.onCheckpoint = { saved.append($0!.loss) }
        let s = try trainer.run()
        XCTAssertEqual(s.steps, 12)
        XCTAssertEqual(s.evaluations.count, 3, "12 steps of 5 per epoch: 2 full epochs and a partial one")
        XCTAssertEqual(saved.first, s.evaluations.first?.loss)
        XCTAssertEqual(saved.last, s.bestMetric)
        XCTAssertEqual(s.bestMetric, s.evaluations.map(\.loss).min())
    }

    func testNoShuffleKeepsFileOrder() {
        var rng = SeededRNG(seed: 1)
        let b = EpochPlanner.batches(lengths: [5, 1, 9, 3, 7], batchSize: 2, shuffle: false, rng: &rng)
        XCTAssertEqual(b, [[0, 1], [2, 3], [4]])
    }

    func testBucketedShuffleCoversEveryExampleOnceAndGroupsLengths() {
        var rng = SeededRNG(seed: 3), lengthRNG = SeededRNG(seed: 4)
        let lengths = (0..<1000).map { _ in 1 + Int(lengthRNG.next() % 128) }
        let b = EpochPlanner.batches(lengths: lengths, batchSize: 16, shuffle: true, bucketBatches: 50, rng: &rng)
        XCTAssertEqual(b.flatMap { $0 }.sorted(), Array(0..<1000))
        // Within a batch lengths are sorted (one length-sorted chunk cut in order) …
        for batch in b { XCTAssertEqual(batch.map { lengths[$0] }, batch.map { lengths[$0] }.sorted()) }
        // … so padding is far below a random batching's (mean max−min spread).
        let spread = b.map { bt in Double(bt.map { lengths[$0] }.max()! - bt.map { lengths[$0] }.min()!) }.reduce(0, +) / Double(b.count)
        XCTAssertLessThan(spread, 20)
        var rng2 = SeededRNG(seed: 3)
        XCTAssertEqual(EpochPlanner.batches(lengths: lengths, batchSize: 16, shuffle: true, rng: &rng2), b)
    }

    func testEarlyStoppingWithPatience() throws {
        // A constant-logit model whose predictions cannot change at this learning rate:
        // accuracy never improves after epoch 1, so patience 2 stops after epoch 3 of 10.
        var o = TrainingOptions(); o.epochs = 10; o.batchSize = 4; o.learningRate = 1e-9
        o.earlyStoppingPatience = 2; o.metric = .accuracy
        let model = try BiasOnlyModel(classes: 3)
        let trainer = try Trainer(model: model, options: o, labels: Self.labels, train: Self.examples(8, seed: 1),
                                  dev: Self.examples(8, seed: 2), stateDirectory: nil, logURL: nil)
        let s = try trainer.run()
        XCTAssertTrue(s.stoppedEarly)
        XCTAssertEqual(s.evaluations.count, 3)
        XCTAssertEqual(s.epochsCompleted, 3)
        XCTAssertEqual(s.bestEpoch, 0)
    }

    func testRejectsBadOptionsAndData() throws {
        var o = TrainingOptions(); o.warmupSteps = 2; o.warmupRatio = 0.1
        XCTAssertThrowsError(try o.validate())
        o = TrainingOptions(); o.batchSize = 0
        XCTAssertThrowsError(try o.validate())
        let model = try BiasOnlyModel(classes: 3)
        XCTAssertThrowsError(try Trainer(model: model, options: .init(), labels: Self.labels, train: [],
                                         dev: nil, stateDirectory: nil, logURL: nil))
        XCTAssertThrowsError(try Trainer(model: model, options: .init(), labels: ["x", "y"], train: Self.examples(4, seed: 1),
                                         dev: nil, stateDirectory: nil, logURL: nil))
    }
}

/// logits = bias (the same for every example): the smallest TrainableModel.
final class BiasOnlyModel: TrainableModel {
    let numLabels: Int
    let parameters: ParameterBuffer
    let gradients: ParameterBuffer
    var padTokenId: Int32 { 0 }

    init(classes: Int) throws {
        numLabels = classes
        parameters = try ParameterBuffer(layout: [(name: "classifier.bias", shape: [classes])])
        parameters.baseAddress[0] = 0.5  // predicts class 0
        gradients = parameters.makeZeroedLike()
    }

    func prepare(maxBatch: Int, maxSeqLen: Int, training: Bool) throws {}
    func forward(_ batch: TokenBatch, training: Bool, rng: inout SeededRNG) throws -> [Float] {
        (0..<batch.batch).flatMap { _ in (0..<numLabels).map { parameters.baseAddress[$0] } }
    }
    func backward(dLogits: [Float], batch: TokenBatch) throws {
        for (i, d) in dLogits.enumerated() { gradients.baseAddress[i % numLabels] += d }
    }
}
