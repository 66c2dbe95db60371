// Chunked-document training against PyTorch: 3 documents of 2, 1 and 3 windows through the
// tiny DistilBERT / BERT classifiers, window probabilities pooled per document (mean; max with
// class weights 0.5, 2, 1), loss = CE of the pooled probability, 3 Trainer steps (clip 1.0,
// AdamW, linear decay); every parameter compared by HF name with
// Scripts/fixtures/pooling_reference.py's window_pooled_loss (Scripts/fixtures/make_pooling_fixtures.py, chunk_*).
// Also: the pooled dev evaluation equals classify's pooling of the same window logits.
import Encoder
import Foundation
import Kernels
import SafeTensors
import TestSupport
@testable import Training
import XCTest

final class ChunkTrainingParityTests: XCTestCase {
    func testDistilBertMeanWindowPooling() throws { try check("distilbert", .mean) }
    func testDistilBertMaxWindowPoolingWithClassWeights() throws { try check("distilbert", .max) }
    func testBertMeanWindowPooling() throws { try check("bert", .mean) }
    func testBertMaxWindowPoolingWithClassWeights() throws { try check("bert", .max) }

    private func windows(_ ref: SafeTensorsFile) throws -> [TrainingExample] {
        let ids = try ref.floats("input_ids"), mask = try ref.floats("attention_mask"), types = try ref.floats("token_type_ids")
        let docs = try ref.floats("documents").map { Int($0) }, labels = try ref.floats("labels").map { Int($0) }
        let t = ids.count / docs.count
        return docs.indices.map { r in
            let n = Int(mask[(r * t)..<((r + 1) * t)].reduce(0, +))
            return TrainingExample(ids: ids[(r * t)..<(r * t + n)].map { Int32($0) }, typeIds: types[(r * t)..<(r * t + n)].map { Int32($0) },
                                   label: labels[docs[r]], document: docs[r])
        }
    }

    private func check(_ family: String, _ pooling: WindowPooling) throws {
        let ref = try trainingFixture("chunk_\(family)_\(pooling)")
        let model = try dropoutFreeModel("encoder/tiny-\(family)")
        var o = TrainingOptions()
        o.maxSteps = 3; o.batchSize = 3; o.shuffle = false; o.learningRate = 3e-3; o.weightDecay = 0.01
        o.warmupSteps = 0; o.gradClip = 1.0; o.schedule = .linear; o.windowPooling = pooling
        if pooling == .max { o.classWeights = .explicit(try ref.floats("class_weights").map(Double.init)) }
        let examples = try windows(ref)
        let trainer = try parityTrainer(model, o, examples)
        XCTAssertEqual(trainer.batchesPerEpoch, 1, "3 documents (6 windows) in one batch of 3 documents")
        let losses = try stepLosses(trainer)
        assertClose(losses, try ref.floats("losses"), atol: 1e-4, "\(family) \(pooling) window-pooled losses")
        let worst = try assertWeightsMatch(model.parameters, ref, "\(family) chunked \(pooling)")
        print("\(family) chunked training (\(pooling) window pooling): 3 steps; worst |Docket − torch| / f32-f64 gap = \(worst)")
    }

    /// Dev evaluation with window pooling: one result per document, its probability the mean
    /// (max renormalised) of the window softmaxes, as TextClassifier pools them.
    func testPooledEvaluationIsPerDocument() throws {
        let ref = try SafeTensorsFile(contentsOf: fixturesDirectory.appendingPathComponent("training/chunk_bert_mean.safetensors"))
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-bert"))
        let examples = try windows(ref), trainable = EncoderTrainable(model: model)
        let rows = try Evaluator.evaluate(model: trainable, examples: examples, labels: model.config.labels, batchSize: 4)
        for pooling in WindowPooling.allCases {
            let docs = try Evaluator.evaluate(model: trainable, examples: examples, labels: model.config.labels, batchSize: 4,
                                              windowPooling: pooling)
            XCTAssertEqual(docs.predictions.count, 3)
            XCTAssertEqual(docs.metrics?.confusion.counts.joined().reduce(0, +) ?? 0, 3)
            var start = 0
            for (d, n) in [2, 1, 3].enumerated() {
                let probs = rows.logits[start..<(start + n)].map { softmax($0) }
                var p = (0..<3).map { j in pooling == .mean ? probs.map { $0[j] }.reduce(0, +) / Double(n) : probs.map { $0[j] }.max()! }
                let total = p.reduce(0, +); p = p.map { $0 / total }
                XCTAssertEqual(docs.predictions[d], p.indices.max { p[$0] < p[$1] }!)
                start += n
            }
        }
    }

    private func softmax(_ x: [Float]) -> [Double] {
        let m = Double(x.max()!), e = x.map { Foundation.exp(Double($0) - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
