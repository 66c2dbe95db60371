// FineTuner end to end on a tiny synthetic task (made here, no real text): fresh model from a
// config + vocab.txt, checkpoint contents, label-set rules, data errors with file:line, resume.
import Docket
import DocketBase
import Encoder
import Foundation
import Kernels
import TestSupport
import Tokenizers
import Training
import XCTest

final class FineTuneTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-finetune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let topics = ["lease": "rent tenant landlord premises", "patent": "claim invention device method",
                      "court": "plaintiff defendant motion appeal"]
        let words = topics.values.flatMap { $0.split(separator: " ").map(String.init) }.sorted()
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words).joined(separator: "\n")
            .write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"model_type":"distilbert","dim":16,"n_layers":1,"n_heads":2,"hidden_dim":32,"vocab_size":5,"max_position_embeddings":32}"#
            .write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var rng = SeededRNG(seed: 9)
        let labels = topics.keys.sorted()
        func lines(_ n: Int) -> String {
            var out = ""
            for i in 0..<n {
                let label = labels[i % 3]
                let ws = topics[label]!.split(separator: " ").map(String.init)
                let count = 3 + Int(rng.next() % 6)
                var picked: [String] = []
                for _ in 0..<count { picked.append(ws[Int(rng.next() % UInt64(ws.count))]) }
                out += "{\"text\":\"\(picked.joined(separator: " "))\",\"label\":\"\(label)\"}\n"
            }
            return out
        }
        try lines(30).write(to: dir.appendingPathComponent("train.jsonl"), atomically: true, encoding: .utf8)
        try lines(9).write(to: dir.appendingPathComponent("dev.jsonl"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func request(_ out: String, start: FineTuneStart? = nil, dev: String? = "dev.jsonl") -> FineTuneRequest {
        var o = TrainingOptions()
        o.epochs = 2; o.batchSize = 8; o.learningRate = 1e-2; o.seed = 4; o.saveSteps = 2
        return FineTuneRequest(start: start ?? .config(dir.appendingPathComponent("config.json"), tokenizer: dir.appendingPathComponent("vocab.txt")),
                               trainPath: dir.appendingPathComponent("train.jsonl").path,
                               devPath: dev.map { dir.appendingPathComponent($0).path },
                               outputDirectory: dir.appendingPathComponent(out), options: o, maxLength: 16)
    }

    func testFreshModelWritesALoadableCheckpoint() throws {
        let r = try FineTuner.run(request("out"))
        XCTAssertEqual(r.labels, ["court", "lease", "patent"], "sorted data labels")
        XCTAssertEqual(r.summary.steps, 8)
        XCTAssertEqual(r.summary.evaluations.count, 2)
        let out = dir.appendingPathComponent("out")
        let (model, notices) = try EncoderModel.load(directory: out)
        XCTAssertEqual(notices, [])
        XCTAssertEqual(model.config.labels, ["court", "lease", "patent"])
        XCTAssertEqual(model.config.vocabSize, 17, "vocab size from the tokenizer")
        XCTAssertNoThrow(try Tokenizer.load(from: out))
        let preds = try String(contentsOf: out.appendingPathComponent("dev_predictions.jsonl"), encoding: .utf8)
        XCTAssertEqual(preds.split(separator: "\n").count, 9)
        // docket.json records what serving monitors against: training label counts (10 each of
        // the 30 lines) and the dev accuracy of the saved checkpoint (= its dev predictions').
        let metadata = try XCTUnwrap(try CheckpointMetadata.load(directory: out))
        XCTAssertEqual(metadata.trainLabelCounts, [.init(label: "court", count: 10), .init(label: "lease", count: 10),
                                                   .init(label: "patent", count: 10)])
        let rows = preds.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let correct = rows.filter { $0["label"] as? String == $0["predicted"] as? String }.count
        XCTAssertEqual(try XCTUnwrap(metadata.evalAccuracy), Double(correct) / 9, accuracy: 1e-12)
        let log = try String(contentsOf: out.appendingPathComponent("training_log.jsonl"), encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").filter { $0.contains(#""type":"step""#) }.count, 8)
    }

    /// A fresh model over a SentencePiece vocabulary (the project's Vocab/legal-unigram-4k.model):
    /// vocab_size comes from the tokenizer and the .model file travels with the checkpoint.
    func testFreshModelWithSentencePieceVocabulary() throws {
        let sp = repositoryRoot.appendingPathComponent("Vocab/legal-unigram-4k.model")
        guard FileManager.default.fileExists(atPath: sp.path) else { throw XCTSkip("Vocab/legal-unigram-4k.model not present") }
        var r = request("sp")
        r.start = .config(dir.appendingPathComponent("config.json"), tokenizer: sp)
        r.options.epochs = 1
        _ = try FineTuner.run(r)
        let out = dir.appendingPathComponent("sp")
        let (model, _) = try EncoderModel.load(directory: out)
        XCTAssertEqual(model.config.vocabSize, 4096)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("legal-unigram-4k.model").path))
        XCTAssertEqual(try Tokenizer.load(from: out).vocabSize, 4096)
    }

    func testCheckpointLabelsKeptWhenSameSetElseNewHead() throws {
        _ = try FineTuner.run(request("first"))
        // Same label set: id2label kept, no new-head notice.
        let again = try FineTuner.run(request("second", start: .checkpoint(dir.appendingPathComponent("first"))))
        XCTAssertEqual(again.labels, ["court", "lease", "patent"])
        XCTAssertFalse(again.notices.contains { $0.contains("new classification head") })
        // A checkpoint whose labels differ: the data's labels and a new head, with a notice.
        let cfgURL = dir.appendingPathComponent("first/config.json")
        var cfg = try ModelConfig.load(from: cfgURL)
        cfg.labels = ["x", "y"]
        try cfg.write(to: cfgURL)
        let relabelled = try FineTuner.run(request("third", start: .checkpoint(dir.appendingPathComponent("first"))))
        XCTAssertEqual(relabelled.labels, ["court", "lease", "patent"])
        XCTAssertTrue(relabelled.notices.contains { $0.contains("new classification head") }, "\(relabelled.notices)")
    }

    func testUnknownDevLabelNamesFileAndLine() throws {
        try "{\"text\":\"rent tenant\",\"label\":\"lease\"}\n{\"text\":\"claim\",\"label\":\"tax\"}\n"
            .write(to: dir.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FineTuner.run(request("bad", dev: "bad.jsonl"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("bad.jsonl") && message.contains("2"), message)
        }
    }

    func testResumeAfterStopGivesTheSameCheckpoint() throws {
        _ = try FineTuner.run(request("whole"))
        var first = request("cut")
        first.stopAfterStep = 5  // mid-epoch 2 (4 steps per epoch), after the save at step 4
        let stopped = try FineTuner.run(first)
        XCTAssertTrue(stopped.summary.interrupted)
        var second = request("cut")
        second.resume = true
        let resumed = try FineTuner.run(second)
        XCTAssertEqual(resumed.summary.steps, 8)
        let name = "model.safetensors"
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("cut/\(name)")),
                       try Data(contentsOf: dir.appendingPathComponent("whole/\(name)")), "resumed checkpoint is bit-identical")
    }

    /// Issue #13 defect 1: a second run into the same directory is refused (it used to overwrite
    /// the model and leave the first run's dev_predictions.jsonl beside it); with
    /// overwriteOutput the earlier run's files are removed first; resume is still allowed.
    func testNonEmptyOutputIsRefusedUnlessOverwriteOrResume() throws {
        _ = try FineTuner.run(request("same"))
        let out = dir.appendingPathComponent("same")
        XCTAssertThrowsError(try FineTuner.run(request("same", dev: nil))) { error in
            XCTAssertEqual(error as? FineTuneOutputError, .notEmpty(directory: out.path, resumable: true))
            XCTAssertTrue(error.localizedDescription.contains("--overwrite-output"), error.localizedDescription)
        }
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        var again = request("same", dev: nil)
        again.overwriteOutput = true
        _ = try FineTuner.run(again)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("dev_predictions.jsonl").path),
                       "the first run's dev predictions are not left beside the second run's model")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("notes.txt").path), "other files are kept")
        var resume = request("same", dev: nil)
        resume.resume = true
        XCTAssertNoThrow(try FineTuner.run(resume), "a finished run can be resumed (nothing left to do)")
        XCTAssertThrowsError(try FineTuner.run(request("fresh", start: .checkpoint(out)).with { $0.outputDirectory = out }))
    }
}

private extension FineTuneRequest {
    func with(_ change: (inout FineTuneRequest) -> Void) -> FineTuneRequest {
        var copy = self
        change(&copy)
        return copy
    }
}
