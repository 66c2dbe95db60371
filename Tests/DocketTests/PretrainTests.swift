// Pretrainer end to end on a tiny fresh BERT (made here, no real text): masked-LM training
// writes a *ForMaskedLM checkpoint, an interrupted run resumes to the same weights byte for
// byte, and fine-tuning starts from the output (encoder kept, classification head created).
import Docket
import Encoder
import Foundation
import TestSupport
import Training
import XCTest

final class PretrainTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-pretrain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let words = ["rent", "tenant", "landlord", "premises", "claim", "invention", "device", "plaintiff", "motion", "appeal"]
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words).joined(separator: "\n")
            .write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"model_type":"bert","hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":32}"#
            .write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let text = (0..<24).map { i in
            "{\"text\": \"" + (0..<(4 + i % 9)).map { words[($0 * 3 + i) % words.count] }.joined(separator: " ") + "\"}"
        }
        try (text.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("text.jsonl"), atomically: true, encoding: .utf8)
        _ = try CheckpointWriter.initialize(config: dir.appendingPathComponent("config.json"), tokenizer: dir.appendingPathComponent("vocab.txt"),
                                           output: dir.appendingPathComponent("start"), labels: nil, seed: 3)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func request(_ out: String) -> PretrainRequest {
        var o = TrainingOptions()
        o.maxSteps = 6; o.batchSize = 8; o.learningRate = 1e-2; o.seed = 5; o.saveSteps = 2
        return PretrainRequest(model: dir.appendingPathComponent("start"), textPath: dir.appendingPathComponent("text.jsonl").path,
                               outputDirectory: dir.appendingPathComponent(out), options: o, maxLength: 8)
    }

    func testPretrainResumesExactlyAndFineTuningStartsFromIt() throws {
        let full = try Pretrainer.run(request("full"))
        XCTAssertEqual(full.summary.steps, 6)
        XCTAssertGreaterThan(full.windows, 24, "long texts give several windows of 8 tokens")
        XCTAssertEqual(full.notices.count, 5, "the masked-LM head is created: \(full.notices)")
        let weights = try Data(contentsOf: dir.appendingPathComponent("full/model.safetensors"))

        var first = request("resumed")
        first.stopAfterStep = 3
        XCTAssertTrue(try Pretrainer.run(first).summary.interrupted)
        var second = request("resumed")
        second.resume = true
        _ = try Pretrainer.run(second)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("resumed/model.safetensors")), weights,
                       "an interrupted and resumed run gives the uninterrupted run's weights")

        let (mlm, notices) = try EncoderModel.load(directory: dir.appendingPathComponent("full"), objective: .maskedLM)
        XCTAssertEqual(notices, [])
        let (start, _) = try EncoderModel.load(directory: dir.appendingPathComponent("start"))
        let word = start.config.parameterName(.wordEmbeddings)
        XCTAssertNotEqual(Array(try mlm.parameters.buffer(word)), Array(try start.parameters.buffer(word)), "pretraining moved the embeddings")

        let labelled = (0..<8).map { "{\"text\": \"\($0 % 2 == 0 ? "rent tenant" : "claim device")\", \"label\": \"\($0 % 2 == 0 ? "lease" : "patent")\"}" }
        try (labelled.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("train.jsonl"), atomically: true, encoding: .utf8)
        var o = TrainingOptions()
        o.maxSteps = 2; o.batchSize = 4
        let tuned = try FineTuner.run(FineTuneRequest(start: .checkpoint(dir.appendingPathComponent("full")),
                                                      trainPath: dir.appendingPathComponent("train.jsonl").path,
                                                      outputDirectory: dir.appendingPathComponent("tuned"), options: o, maxLength: 8))
        XCTAssertEqual(tuned.labels, ["lease", "patent"])
        XCTAssertTrue(tuned.notices.contains { $0.contains("classifier.weight") }, "\(tuned.notices)")
    }

    func testTextWithoutAMaskTokenIsRefused() throws {
        let vocab = dir.appendingPathComponent("nomask.txt")
        try "[PAD]\n[UNK]\n[CLS]\n[SEP]\nrent\n".write(to: vocab, atomically: true, encoding: .utf8)
        _ = try CheckpointWriter.initialize(config: dir.appendingPathComponent("config.json"), tokenizer: vocab,
                                           output: dir.appendingPathComponent("nomask"), labels: nil, seed: 3)
        var r = request("out")
        r.model = dir.appendingPathComponent("nomask")
        XCTAssertThrowsError(try Pretrainer.run(r)) { XCTAssertTrue("\($0)".contains("[MASK]"), "\($0)") }
    }
}
