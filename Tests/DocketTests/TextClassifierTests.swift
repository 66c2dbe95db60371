// TextClassifier end to end against transformers (Scripts/fixtures/make_classifier_fixtures.py): a
// tiny seeded BERT checkpoint directory with a vocab.txt, texts classified by HF's
// BertTokenizerFast + BertForSequenceClassification (eval), truncated and chunked with
// overlapping windows; plus batching/order invariance and concurrent use.
import Encoder
import Foundation
import Tokenizers
import XCTest
@testable import Docket
import TestSupport

final class TextClassifierTests: XCTestCase {
    private struct Record: Decodable {
        let text: String
        let ids: [Int32]
        let logits: [Double]
        let probabilities: [Double]
        let windows: Int
        let window_ids: [[Int32]]
        let mean_probabilities: [Double]
        let max_probabilities: [Double]
    }

    private struct Expected: Decodable {
        let labels: [String]
        let max_length: Int
        let stride: Int
        let f32_f64_gap: Double
        let logits_f32_f64_gap: Double
        let records: [Record]
    }

    private let modelDir = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")

    private func expected() throws -> Expected {
        let data = try Data(contentsOf: fixturesDirectory.appendingPathComponent("classifier/expected.json"))
        return try JSONDecoder().decode(Expected.self, from: data)
    }

    private func probabilities(_ p: Prediction, _ labels: [String]) -> [Float] { labels.map { p.probabilities[$0] ?? -1 } }

    func testTruncatedClassificationMatchesTransformers() throws {
        let e = try expected()
        let c = try TextClassifier(directory: modelDir, options: .init(maxLength: e.max_length, topK: 3))
        XCTAssertEqual(c.labels, e.labels)
        XCTAssertEqual(c.notices, [])
        // Tokenization feeding the model is HF's.
        for r in e.records { XCTAssertEqual(try XCTUnwrap(c.tokenizer).encode(r.text, maxLength: e.max_length).ids, r.ids, r.text) }
        // One mixed-length batch: padding must not change anything. Tolerance: 10× the
        // float32-vs-float64 gap PyTorch itself shows on these inputs.
        let preds = try c.classify(e.records.map(\.text), batchSize: 8)
        for (p, r) in zip(preds, e.records) {
            assertClose(probabilities(p, e.labels), r.probabilities, atol: 10 * e.f32_f64_gap, "probabilities \(r.text)")
            assertClose(p.logits, r.logits, atol: 10 * e.logits_f32_f64_gap, "logits \(r.text)")
            let best = r.probabilities.indices.max { r.probabilities[$0] < r.probabilities[$1] }!
            XCTAssertEqual(p.label, e.labels[best])
            XCTAssertEqual(p.score, p.probabilities[p.label])
            XCTAssertEqual(p.topK.map(\.label).first, p.label)
            XCTAssertEqual(p.topK.count, 3)
            XCTAssertTrue(zip(p.topK, p.topK.dropFirst()).allSatisfy { $0.score >= $1.score })
            XCTAssertEqual(p.windows, 1)
        }
    }

    func testChunkedClassificationMatchesTransformersWindows() throws {
        let e = try expected()
        for pooling in [LongDocumentMode.Pooling.mean, .max] {
            let c = try TextClassifier(directory: modelDir, options: .init(
                maxLength: e.max_length, longDocuments: .chunk(stride: e.stride, pooling: pooling)))
            let preds = try c.classify(e.records.map(\.text), batchSize: 4)
            for (p, r) in zip(preds, e.records) {
                XCTAssertEqual(p.windows, r.windows, r.text)
                let enc = try XCTUnwrap(c.tokenizer).encode(r.text, maxLength: e.max_length, stride: e.stride)
                XCTAssertEqual([enc.ids] + enc.overflowing.map(\.ids), r.window_ids, "windows of \(r.text)")
                let want = pooling == .mean ? r.mean_probabilities : r.max_probabilities
                assertClose(probabilities(p, e.labels), want, atol: 10 * e.f32_f64_gap, "\(pooling) \(r.text)")
            }
            XCTAssertGreaterThan(preds.map(\.windows).max() ?? 0, 1, "the fixture has multi-window documents")
        }
    }

    func testBatchSizeDoesNotChangeResultsOrOrder() throws {
        let e = try expected()
        let c = try TextClassifier(directory: modelDir, options: .init(maxLength: e.max_length))
        let texts = e.records.map(\.text).reversed() + e.records.map(\.text)
        let one = try texts.map { try c.classify($0) }
        for batch in [1, 3, 16] {
            let many = try c.classify(Array(texts), batchSize: batch)
            XCTAssertEqual(many.map(\.label), one.map(\.label))
            // Different batch compositions change only GEMM shapes: float32 rounding, ~1e-7.
            for (a, b) in zip(many, one) { assertClose(a.logits, b.logits, atol: 1e-5, "batch \(batch)") }
        }
    }

    func testConcurrentTasksEqualSequentialResults() async throws {
        let e = try expected()
        let texts = e.records.map(\.text)
        for concurrency in [1, 2] {
            let c = try TextClassifier(directory: modelDir, options: .init(maxLength: e.max_length, concurrency: concurrency))
            let sequential = try c.classify(texts, batchSize: 4)
            let results = try await withThrowingTaskGroup(of: (Int, [Prediction]).self) { group in
                for task in 0..<6 {
                    group.addTask {
                        // Odd tasks classify one at a time, even tasks in batches.
                        (task, task % 2 == 0 ? try c.classify(texts, batchSize: 4) : try texts.map { try c.classify($0) })
                    }
                }
                var out: [(Int, [Prediction])] = []
                for try await r in group { out.append(r) }
                return out
            }
            XCTAssertEqual(results.count, 6)
            for (task, preds) in results {
                XCTAssertEqual(preds.map(\.label), sequential.map(\.label), "task \(task)")
                for (a, b) in zip(preds, sequential) {
                    // Same inputs, same kernels: equal up to BLAS thread-count rounding.
                    assertClose(a.logits, b.logits, atol: 1e-5, "task \(task), concurrency \(concurrency)")
                }
            }
        }
    }

    /// A model made with the encoder API, saved with a tokenizer (Docket's own writers), loads
    /// back as a classifier directory and predicts exactly what the in-memory pair predicts.
    func testSavedModelDirectoryLoadsBackWithIdenticalPredictions() throws {
        let tokenizer = try Tokenizer.load(from: modelDir.appendingPathComponent("vocab.txt"))
        let config = ModelConfig(family: .distilbert, hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32,
                                 vocabSize: tokenizer.vocabSize, maxPositions: 40, labels: ["No", "Yes", "Maybe"])
        let model = try EncoderModel(config: config, seed: 11)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        try tokenizer.save(to: dir)
        let texts = try expected().records.map(\.text)
        let inMemory = try TextClassifier(model: model, tokenizer: tokenizer, options: .init(maxLength: 40))
        let loaded = try TextClassifier(directory: dir, options: .init(maxLength: 40))
        XCTAssertEqual(loaded.labels, ["No", "Yes", "Maybe"])
        XCTAssertEqual(loaded.notices, [])
        let a = try inMemory.classify(texts, batchSize: 4), b = try loaded.classify(texts, batchSize: 4)
        // F32 weights round-trip bit for bit and the same kernels run: identical logits.
        XCTAssertEqual(a.map(\.logits), b.map(\.logits))
        XCTAssertEqual(a.map(\.label), b.map(\.label))
    }

    /// Workspaces are reused while big enough; growth follows the batch length and keeps the
    /// token capacity, so a long batch after wide short ones does not allocate rows × max².
    func testWorkspacePoolSizing() throws {
        let c = try TextClassifier(directory: modelDir)  // max_position_embeddings 64
        func shape(_ b: Int, _ t: Int) throws -> [Int] { try XCTUnwrap(c.pool).withWorkspace(batch: b, seqLen: t) { [$0.maxBatch, $0.maxSeqLen] } }
        XCTAssertEqual(try shape(32, 10), [32, 32])
        XCTAssertEqual(try shape(8, 20), [32, 32])    // reused
        XCTAssertEqual(try shape(4, 60), [16, 64])    // 32·32 tokens kept: 16 rows of 64
        XCTAssertEqual(try shape(2, 20), [16, 64])    // reused
    }

    func testInvalidArgumentsAreTypedErrors() throws {
        XCTAssertThrowsError(try TextClassifier(directory: modelDir, options: .init(maxLength: 1000))) {
            guard case .invalidArgument? = $0 as? ClassifierError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try TextClassifier(directory: modelDir, options: .init(maxLength: 24, longDocuments: .chunk(stride: 30, pooling: .mean))))
        XCTAssertThrowsError(try TextClassifier(directory: modelDir, options: .init(topK: 0)))
        let c = try TextClassifier(directory: modelDir)
        XCTAssertThrowsError(try c.classify(["a"], batchSize: 0))
        XCTAssertThrowsError(try c.classify(["a", "b"], pairs: ["x"]))
        XCTAssertThrowsError(try TextClassifier(directory: fixturesDirectory.appendingPathComponent("nope")))
    }
}
