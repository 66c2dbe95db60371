// `docket pretrain` through the built binary: a fresh tiny BERT (Docket's legal vocabulary)
// pretrained for a few masked-LM steps on unlabelled JSONL, then `finetune --model OUTPUT`.
import Foundation
import TestSupport
import XCTest

final class PretrainCLITests: XCTestCase {
    func testPretrainThenFinetuneFromItsOutput() throws {
        let scratch = try ScratchDirectory(prefix: "cli-pretrain")
        defer { scratch.remove() }
        let dir = scratch.url
        let config = dir.appendingPathComponent("tiny.json")
        try Data(#"{"model_type": "bert", "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 64, "max_position_embeddings": 64}"#.utf8).write(to: config)
        let vocab = repositoryRoot.appendingPathComponent("Vocab/legal-wordpiece-4k.txt").path
        let text = dir.appendingPathComponent("text.jsonl"), train = dir.appendingPathComponent("train.jsonl")
        try Data((0..<10).map { #"{"text": "The licensee shall pay the royalties under section \#($0) of this agreement."}"# }
            .joined(separator: "\n").utf8).write(to: text)
        try Data((0..<8).map { #"{"text": "\#($0 % 2 == 0 ? "the licensee shall pay" : "the court denied the motion")", "label": "\#($0 % 2 == 0 ? "Contract" : "Litigation")"}"# }
            .joined(separator: "\n").utf8).write(to: train)
        let start = dir.appendingPathComponent("start").path, pre = dir.appendingPathComponent("pre").path
        var (code, out, err) = try runDocket(["init", "--config", config.path, "--tokenizer", vocab, "--output", start])
        XCTAssertEqual(code, 0, err)
        (code, out, err) = try runDocket(["pretrain", "--model", start, "--text", text.path, "--output", pre,
                                          "--max-steps", "3", "--batch-size", "4", "--max-length", "16"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.contains("pretrained 3 steps"), out)
        let configJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: pre + "/config.json"))) as? [String: Any]
        XCTAssertEqual(configJSON?["architectures"] as? [String], ["BertForMaskedLM"])
        let log = try String(contentsOfFile: pre + "/training_log.jsonl", encoding: .utf8)
        XCTAssertEqual(log.split(separator: "\n").count, 3)
        (code, _, err) = try runDocket(["pretrain", "--model", start, "--text", text.path, "--output", pre, "--max-steps", "3"])
        XCTAssertNotEqual(code, 0, "a non-empty output needs --resume or --overwrite-output")
        (code, out, err) = try runDocket(["finetune", "--model", pre, "--train", train.path, "--output", dir.appendingPathComponent("tuned").path,
                                          "--max-steps", "2", "--batch-size", "4", "--max-length", "16"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(err.contains("classifier.weight"), "a classification head is created: \(err)")
    }
}
