// Head pooling and window pooling through the built binary: `init --pooling mean` and
// `finetune --pooling max` record the choice in config.json, a later finetune keeps it,
// evaluate/classify read it from the checkpoint; `--window-pooling` (and its older name
// `--pooling`) chooses how chunk windows are pooled; `finetune --long-documents chunk` records
// its chunking in docket.json.
import Foundation
import TestSupport
import XCTest

final class PoolingCLITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-pooling-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func pooling(_ model: String) throws -> String? {
        let data = try Data(contentsOf: URL(fileURLWithPath: model + "/config.json"))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["docket_pooling"] as? String
    }

    func testHeadPoolingIsRecordedAndWindowPoolingIsSeparate() throws {
        let config = dir.appendingPathComponent("tiny.json")
        try Data(#"{"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64}"#.utf8).write(to: config)
        let vocab = repositoryRoot.appendingPathComponent("Vocab/legal-wordpiece-4k.txt").path
        let data = dir.appendingPathComponent("train.jsonl")
        let rows = (0..<12).map { i in
            #"{"text": "\#(i % 2 == 0 ? "the licensee shall pay royalties" : "the court denied the motion") number \#(i) and more words to make windows", "label": "\#(i % 2 == 0 ? "Contract" : "Litigation")"}"#
        }
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: data)
        let initDir = dir.appendingPathComponent("init").path
        var (code, _, err) = try runDocket(["init", "--config", config.path, "--tokenizer", vocab, "--output", initDir,
                                           "--labels", "Contract,Litigation", "--pooling", "mean"])
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(try pooling(initDir), "mean")
        let meanDir = dir.appendingPathComponent("mean").path, maxDir = dir.appendingPathComponent("max").path
        let common = ["--train", data.path, "--max-steps", "2", "--batch-size", "4", "--max-length", "16"]
        (code, _, err) = try runDocket(["finetune", "--model", initDir, "--output", meanDir] + common)
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(try pooling(meanDir), "mean", "finetune keeps the checkpoint's pooling")
        (code, _, err) = try runDocket(["finetune", "--model", meanDir, "--output", maxDir, "--pooling", "max"] + common)
        XCTAssertEqual(code, 0, err)
        XCTAssertEqual(try pooling(maxDir), "max")
        (code, _, err) = try runDocket(["finetune", "--model", meanDir, "--output", maxDir, "--pooling", "first"] + common)
        XCTAssertEqual(code, 64); XCTAssertTrue(err.contains("--pooling must be cls, mean or max"), err)

        // chunked training: every window trained, docket.json records chunk mode for inference
        let chunkDir = dir.appendingPathComponent("chunk").path
        (code, _, err) = try runDocket(["finetune", "--model", initDir, "--output", chunkDir, "--long-documents", "chunk",
                                        "--stride", "2", "--window-pooling", "max"] + common)
        XCTAssertEqual(code, 0, err)
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: chunkDir + "/docket.json"))) as? [String: Any]
        XCTAssertEqual(meta?["long_documents"] as? String, "chunk"); XCTAssertEqual(meta?["window_pooling"] as? String, "max")
        XCTAssertTrue(err.contains("12 documents →"), err)
        (code, _, err) = try runDocket(["finetune", "--model", initDir, "--output", chunkDir + "2", "--stride", "2"] + common)
        XCTAssertEqual(code, 64); XCTAssertTrue(err.contains("need --long-documents chunk"), err)

        for flags in [["--window-pooling", "max"], ["--pooling", "max"], []] {
            (code, _, err) = try runDocket(["evaluate", "--model", maxDir, "--test", data.path, "--max-length", "12",
                                           "--long-documents", "chunk", "--stride", "2", "--json"] + flags)
            XCTAssertEqual(code, 0, "\(flags): \(err)")
        }
        (code, _, err) = try runDocket(["classify", "--model", maxDir, "--input", data.path, "--long-documents", "chunk", "--pooling", "cls"])
        XCTAssertEqual(code, 64); XCTAssertTrue(err.contains("--window-pooling must be mean or max"), err)
        (code, _, err) = try runDocket(["classify", "--model", maxDir, "--input", data.path, "--long-documents", "chunk",
                                        "--pooling", "max", "--window-pooling", "mean"])
        XCTAssertEqual(code, 64); XCTAssertTrue(err.contains("not both"), err)
    }
}
