// Multi-label classification through the built binary: `docket init` → `docket finetune` on
// JSONL "labels" lists (with gradient accumulation, the cosine schedule, --eval-steps and
// --save-total-limit) → config.json problem_type + tuned docket_decision_thresholds, checkpoint-STEP
// rotation → `docket classify` ("labels" per document) → `docket evaluate` (multi-label metrics,
// CSV gold with a `labels` column). Defect 4: a config.json with problem_type "regression" is
// refused by classify, evaluate and finetune with a clear message.
import Foundation
import TestSupport
import XCTest

final class MultiLabelCLITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-multilabel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let topics = [("contract", "agreement"), ("patent", "invention"), ("court", "appeal")]

    /// Seeded documents: each topic present with probability ½; its words appear in the text.
    private func documents(_ n: Int, seed: UInt64) -> [(text: String, labels: [String])] {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        return (0..<n).map { _ in
            let labels = Self.topics.indices.filter { _ in next() % 2 == 0 }
            var words = ["the", "parties", "signed", "this", "document"]
            for t in labels { words += [Self.topics[t].0, Self.topics[t].1] }
            var g = SeededGenerator(seed: next())
            return (words.shuffled(using: &g).joined(separator: " "), labels.map { ["A", "B", "C"][$0] })
        }
    }

    private func writeJSONL(_ docs: [(text: String, labels: [String])], _ name: String) throws -> String {
        let lines = try docs.map { d -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": d.text, "labels": d.labels], options: [.sortedKeys]), as: UTF8.self)
        }
        let url = dir.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    func testMultiLabelFinetuneClassifyEvaluate() throws {
        let config = dir.appendingPathComponent("tiny.json")
        try Data(#"{"model_type": "distilbert", "dim": 32, "n_layers": 1, "n_heads": 2, "hidden_dim": 64, "max_position_embeddings": 64}"#.utf8).write(to: config)
        let vocab = repositoryRoot.appendingPathComponent("Vocab/legal-wordpiece-4k.txt").path
        let initDir = dir.appendingPathComponent("init").path, modelDir = dir.appendingPathComponent("model").path
        var (code, out, err) = try runDocket(["init", "--config", config.path, "--tokenizer", vocab, "--output", initDir,
                                             "--labels", "A,B,C"])
        XCTAssertEqual(code, 0, err)
        let train = try writeJSONL(documents(48, seed: 1), "train.jsonl"), dev = try writeJSONL(documents(16, seed: 2), "dev.jsonl")
        (code, out, err) = try runDocket(["finetune", "--model", initDir, "--train", train, "--dev", dev, "--output", modelDir,
                                         "--epochs", "3", "--batch-size", "4", "--gradient-accumulation-steps", "2",
                                         "--lr-scheduler", "cosine", "--warmup-steps", "2", "--learning-rate", "3e-3",
                                         "--eval-steps", "4", "--save-steps", "4", "--save-total-limit", "2", "--max-length", "24"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.contains("trained 18 steps"), "48 / 4 = 12 micro-batches, 2 per step → 6 per epoch: \(out)")
        XCTAssertTrue(out.contains("subset accuracy"), out)

        let cfg = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: modelDir + "/config.json"))) as? [String: Any])
        XCTAssertEqual(cfg["problem_type"] as? String, "multi_label_classification")
        let thresholds = try XCTUnwrap(cfg["docket_decision_thresholds"] as? [String: Double], "thresholds tuned on dev and saved")
        XCTAssertEqual(Set(thresholds.keys), ["A", "B", "C"])
        let evals = try String(contentsOfFile: modelDir + "/training_log.jsonl", encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.filter { $0["type"] as? String == "eval" }
        XCTAssertEqual(evals.compactMap { $0["step"] as? Int }, [4, 8, 12, 16, 18], "--eval-steps 4 over 18 steps, and the last")
        // Rotation (HF): at most 2 checkpoint-STEP directories, the newest and the best kept.
        let best = try XCTUnwrap(evals.last { $0["best"] as? Bool == true }?["step"] as? Int)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: modelDir).filter { $0.hasPrefix("checkpoint-") }.sorted()
        XCTAssertEqual(checkpoints.count, 2, "\(checkpoints)")
        XCTAssertTrue(checkpoints.contains("checkpoint-18") && checkpoints.contains("checkpoint-\(best == 18 ? 16 : best)"), "best \(best): \(checkpoints)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: modelDir + "/checkpoint-18/model.safetensors"))
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: modelDir).contains { $0.hasPrefix(".") }, "no temporaries left")
        let pred = try String(contentsOfFile: modelDir + "/dev_predictions.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(pred.count, 16)
        XCTAssertTrue(pred[0].contains("\"labels\":[") && pred[0].contains("\"predicted\":["), String(pred[0]))

        // classify: "labels" (every label above its threshold) and independent sigmoid probabilities
        (code, out, err) = try runDocket(["classify", "--model", modelDir, "--input", dev])
        XCTAssertEqual(code, 0, err)
        let rows = try out.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(rows.count, 16)
        for r in rows {
            let probs = try XCTUnwrap(r["probabilities"] as? [String: Double]), chosen = try XCTUnwrap(r["labels"] as? [String])
            XCTAssertEqual(Set(chosen), Set(probs.filter { $0.value > thresholds[$0.key]! }.keys), "labels above their thresholds")
            XCTAssertEqual(r["gold_labels"] as? [String] != nil, true)
        }

        // evaluate: multi-label metrics, also from CSV with a `labels` column ("A|C")
        let csv = dir.appendingPathComponent("test.csv")
        let docs = documents(10, seed: 3)
        try Data(("text,labels\n" + docs.map { "\"\($0.text)\",\($0.labels.joined(separator: "|"))" }.joined(separator: "\n") + "\n").utf8).write(to: csv)
        for test in [dev, csv.path] {
            (code, out, err) = try runDocket(["evaluate", "--model", modelDir, "--test", test, "--json"])
            XCTAssertEqual(code, 0, err)
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], out)
            XCTAssertEqual(doc["problem_type"] as? String, "multi_label_classification")
            for key in ["subset_accuracy", "micro_f1", "macro_f1", "hamming_loss"] { XCTAssertNotNil(doc[key] as? Double, key) }
            XCTAssertEqual((doc["per_label"] as? [[String: Any]])?.count, 3)
        }
        (code, out, err) = try runDocket(["evaluate", "--model", modelDir, "--test", dev, "--report", dir.path])
        XCTAssertNotEqual(code, 0)
        XCTAssertTrue(err.contains("--report: not available for a multi-label model"), err)
    }

    /// Defect 4: "regression" (and any other unknown problem_type) is refused, naming the file.
    func testRegressionProblemTypeIsRefused() throws {
        let model = dir.appendingPathComponent("regression")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        let fixture = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
        for name in try FileManager.default.contentsOfDirectory(atPath: fixture.path) {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: model.appendingPathComponent(name))
        }
        let configURL = model.appendingPathComponent("config.json")
        var cfg = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        cfg["problem_type"] = "regression"
        try JSONSerialization.data(withJSONObject: cfg).write(to: configURL)
        let input = dir.appendingPathComponent("in.jsonl")
        try Data(#"{"text": "a contract", "label": "x"}"#.utf8 + Data("\n".utf8)).write(to: input)
        for args in [["classify", "--model", model.path, "--input", input.path],
                     ["evaluate", "--model", model.path, "--test", input.path],
                     ["finetune", "--model", model.path, "--train", input.path, "--output", dir.appendingPathComponent("out").path]] {
            let (code, out, err) = try runDocket(args)
            XCTAssertNotEqual(code, 0, "\(args[0]) must refuse a regression model")
            XCTAssertEqual(out, "", args[0])
            XCTAssertTrue(err.contains("problem_type 'regression' is not supported"), "\(args[0]): \(err)")
            XCTAssertTrue(err.contains("config.json"), "\(args[0]): \(err)")
        }
    }
}

/// A small seeded generator for shuffling test texts.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
}
