// The whole workflow through the built binary on a tiny model: `docket init` (fresh
// DistilBERT-style model with Docket's own vocabulary), `docket finetune` for a few steps,
// `docket evaluate --json` (also in chunk mode for long documents), and `docket classify` of
// JSONL, CSV and a folder of .txt files with the fine-tuned checkpoint.
import Foundation
import TestSupport
import XCTest

final class FinetuneEvaluateCLITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-workflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    struct Line: Decodable { var text: String; var label: String }

    /// The first `perClass` documents of each class from a committed corpus split, as JSONL.
    private func subset(_ split: String, perClass: Int) throws -> (String, [Line]) {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Corpora/\(split).jsonl"), encoding: .utf8)
        var seen: [String: Int] = [:], keptLines: [String] = [], kept: [Line] = []
        for raw in text.split(separator: "\n") {
            let line = try JSONDecoder().decode(Line.self, from: Data(raw.utf8))
            guard seen[line.label, default: 0] < perClass else { continue }
            seen[line.label, default: 0] += 1
            keptLines.append(String(raw)); kept.append(line)
        }
        let url = dir.appendingPathComponent("\(split).jsonl")
        try Data((keptLines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return (url.path, kept)
    }

    func testInitFinetuneEvaluateClassify() throws {
        let config = dir.appendingPathComponent("tiny.json")
        try Data(#"{"model_type": "distilbert", "dim": 32, "n_layers": 1, "n_heads": 2, "hidden_dim": 64, "max_position_embeddings": 64, "activation": "gelu"}"#.utf8).write(to: config)
        let vocab = repositoryRoot.appendingPathComponent("Vocab/legal-wordpiece-4k.txt").path
        let initDir = dir.appendingPathComponent("init").path, modelDir = dir.appendingPathComponent("model").path
        var (code, out, err) = try runDocket(["init", "--config", config.path, "--tokenizer", vocab, "--output", initDir,
                                             "--labels", "Contract,Patent,Litigation,Compliance,Corporate"])
        XCTAssertEqual(code, 0, err)
        let (train, _) = try subset("train", perClass: 4), (test, testLines) = try subset("test", perClass: 2)
        (code, out, err) = try runDocket(["finetune", "--model", initDir, "--train", train, "--dev", test, "--output", modelDir,
                                         "--max-steps", "3", "--batch-size", "8", "--max-length", "32", "--learning-rate", "1e-3"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: modelDir + "/model.safetensors"), out + err)
        // --recompute none (everything kept: more memory, less compute) must not change a single weight
        let recomputedDir = dir.appendingPathComponent("model-recomputed").path
        (code, out, err) = try runDocket(["finetune", "--model", initDir, "--train", train, "--dev", test, "--output", recomputedDir, "--recompute", "none",
                                         "--max-steps", "3", "--batch-size", "8", "--max-length", "32", "--learning-rate", "1e-3"])
        XCTAssertEqual(code, 0, err)
        (code, _, err) = try runDocket(["finetune", "--model", initDir, "--train", train, "--output", recomputedDir, "--recompute", "some"])
        XCTAssertEqual(code, 64, "an unknown --recompute level is a usage error")
        XCTAssertTrue(err.contains("--recompute must be none, attention or all"), err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: recomputedDir + "/model.safetensors")),
                       try Data(contentsOf: URL(fileURLWithPath: modelDir + "/model.safetensors")), "same weights with --recompute none")

        for mode in [["--long-documents", "truncate"], ["--long-documents", "chunk", "--stride", "8", "--pooling", "max"]] {
            (code, out, err) = try runDocket(["evaluate", "--model", modelDir, "--test", test, "--max-length", "32", "--json",
                                             "--report", dir.appendingPathComponent("report").path] + mode)
            XCTAssertEqual(code, 0, "\(mode): \(err)")
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], out)
            XCTAssertEqual(doc["test_documents"] as? Int, testLines.count)
            XCTAssertEqual((doc["inputs"] as? [String: Any])?["long_documents"] as? String, mode[1])
            let curve = try XCTUnwrap(doc["training_curve"] as? [String: Any], "training_log.jsonl beside the model is read")
            XCTAssertEqual(curve["steps"] as? Int, 3)
            let counts = try XCTUnwrap((doc["metrics"] as? [String: Any])?["confusion"] as? [String: Any])["counts"] as? [[Int]]
            XCTAssertEqual(counts?.joined().reduce(0, +), testLines.count)
        }

        // classify the same documents as JSONL, CSV and a folder of .txt files.
        let csv = dir.appendingPathComponent("docs.csv")
        try Data(("text\n" + testLines.map { "\"\($0.text.replacingOccurrences(of: "\"", with: "\"\""))\"\n" }.joined()).utf8).write(to: csv)
        let folder = dir.appendingPathComponent("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (i, line) in testLines.enumerated() { try Data(line.text.utf8).write(to: folder.appendingPathComponent("doc\(i).txt")) }
        var labelsByInput: [[String]] = []
        for input in [test, csv.path, folder.path] {
            (code, out, err) = try runDocket(["classify", "--model", modelDir, "--input", input, "--max-length", "32"])
            XCTAssertEqual(code, 0, "\(input): \(err)")
            let rows = try out.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            XCTAssertEqual(rows.count, testLines.count, input)
            labelsByInput.append(rows.compactMap { $0["label"] as? String })
        }
        XCTAssertEqual(labelsByInput[0], labelsByInput[1], "JSONL and CSV inputs give the same predictions")
        // Without --max-length, classify and evaluate use the training max length (32, recorded in
        // docket.json), not max_position_embeddings (64).
        let metadata = try String(contentsOf: URL(fileURLWithPath: modelDir + "/docket.json"), encoding: .utf8)
        XCTAssertTrue(metadata.contains(#""max_length" : 32"#), metadata)
        let (_, withLength, _) = try runDocket(["classify", "--model", modelDir, "--input", test, "--max-length", "32"])
        (code, out, err) = try runDocket(["classify", "--model", modelDir, "--input", test])
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(out, withLength, "the default max length is the training one")
        (code, out, err) = try runDocket(["evaluate", "--model", modelDir, "--test", test, "--json"])
        let inputs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])["inputs"] as? [String: Any]
        XCTAssertEqual(inputs?["max_length"] as? Int, 32, err)
        XCTAssertEqual(inputs?["batch_size"] as? Int, 32, "the same default batch size as classify")
        XCTAssertEqual(Set(labelsByInput[2]).isSubset(of: ["Contract", "Patent", "Litigation", "Compliance", "Corporate"]), true)
    }
}
