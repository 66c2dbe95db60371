// finetune --long-documents chunk end to end on a tiny synthetic task: every window is trained
// with its document's label, the dev metrics are per document, docket.json records chunk mode,
// and the checkpoint's own inference (TextClassifier defaults) reproduces the dev predictions
// the trainer selected it by — training and inference pool windows the same way.
import Docket
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
import Training
import XCTest

final class ChunkFineTuneTests: XCTestCase {
    func testChunkTrainingAgreesWithChunkInference() throws {
        let scratch = try ScratchDirectory(prefix: "docket-chunk")
        defer { scratch.remove() }
        let dir = scratch.url
        let topics = ["lease": "rent tenant landlord premises", "patent": "claim invention device method"]
        let words = topics.values.flatMap { $0.split(separator: " ").map(String.init) }.sorted()
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words).joined(separator: "\n")
            .write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"model_type":"distilbert","dim":16,"n_layers":1,"n_heads":2,"hidden_dim":32,"max_position_embeddings":32}"#
            .write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var rng = SeededRNG(seed: 3)
        func lines(_ n: Int) -> String {
            (0..<n).map { i in
                let label = i % 2 == 0 ? "lease" : "patent"
                let ws = topics[label]!.split(separator: " ")
                let text = (0..<(6 + Int(rng.next() % 14))).map { _ in String(ws[Int(rng.next() % 4)]) }.joined(separator: " ")
                return "{\"text\":\"\(text)\",\"label\":\"\(label)\"}\n"
            }.joined()
        }
        try lines(16).write(to: dir.appendingPathComponent("train.jsonl"), atomically: true, encoding: .utf8)
        try lines(6).write(to: dir.appendingPathComponent("dev.jsonl"), atomically: true, encoding: .utf8)
        var o = TrainingOptions()
        o.epochs = 2; o.batchSize = 4; o.learningRate = 1e-2; o.seed = 2
        var request = FineTuneRequest(start: .config(dir.appendingPathComponent("config.json"), tokenizer: dir.appendingPathComponent("vocab.txt")),
                                      trainPath: dir.appendingPathComponent("train.jsonl").path,
                                      devPath: dir.appendingPathComponent("dev.jsonl").path,
                                      outputDirectory: dir.appendingPathComponent("out"), options: o, maxLength: 8)
        request.longDocuments = .chunk(stride: 2, pooling: .max)
        let result = try FineTuner.run(request)
        XCTAssertEqual(result.summary.steps, 8, "2 epochs × 16 documents / 4 per batch")
        XCTAssertTrue(result.notices.contains { $0.contains("16 documents →") }, "\(result.notices)")
        let dev = try XCTUnwrap(result.summary.evaluations.last)
        XCTAssertEqual(dev.predictions.count, 6, "dev metrics per document")

        let out = dir.appendingPathComponent("out")
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("docket.json"))) as? [String: Any]
        XCTAssertEqual(metadata?["long_documents"] as? String, "chunk")
        XCTAssertEqual(metadata?["window_pooling"] as? String, "max")
        let classifier = try TextClassifier(directory: out)
        XCTAssertEqual(classifier.longDocuments, .chunk(stride: 2, pooling: .max), "docket.json's mode is the default")
        let texts = try LabeledExample.load(from: dir.appendingPathComponent("dev.jsonl").path).map(\.text)
        let predictions = try classifier.classify(texts)
        let saved = try String(contentsOf: out.appendingPathComponent("dev_predictions.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertGreaterThan(predictions.map(\.windows).max() ?? 0, 1, "dev documents span several windows")
        for (p, s) in zip(predictions, saved) {
            XCTAssertEqual(p.label, s["predicted"] as? String)
            assertClose(p.logits, (s["logits"] as! [Double]), atol: 1e-5, "pooled logits")
        }
    }
}
