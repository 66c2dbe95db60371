// Issue 12 item 1: every size in config.json is bounded before anything is allocated; the
// error names the file, the config.json field and the limit.
import Encoder
import Foundation
import TestSupport
import XCTest

final class ModelConfigLimitsTests: XCTestCase {
    let distil = #"{"model_type": "distilbert", "dim": 8, "n_layers": 1, "n_heads": 2, "hidden_dim": 16, "vocab_size": 10, "max_position_embeddings": 16"#
    let bert = #"{"model_type": "bert", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "vocab_size": 10, "max_position_embeddings": 16"#

    func assertRefused(_ json: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ModelConfig.parse(Data(json.utf8), file: "cfg.json"), file: file, line: line) { error in
            guard case let EncoderError.invalidConfig(f, reason) = error else {
                return XCTFail("expected invalidConfig, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(f, "cfg.json", file: file, line: line)
            for m in mentions { XCTAssertTrue(reason.contains(m), "'\(reason)' should mention '\(m)'", file: file, line: line) }
        }
    }

    func testTheIssuesSizesAreRefusedNamingFieldAndLimit() {
        XCTAssertNoThrow(try ModelConfig.parse(Data((distil + "}").utf8), file: "cfg.json"))
        assertRefused(distil + #", "dim": 999999996}"#, mentions: ["'dim'", "999999996", "16384"])
        assertRefused(distil + #", "n_layers": 100000}"#, mentions: ["'n_layers'", "256"])
        assertRefused(distil + #", "num_labels": -3}"#, mentions: ["'num_labels'", "-3"])
        assertRefused(distil + #", "num_labels": 999999999}"#, mentions: ["'num_labels'", "100000"])
        assertRefused(bert + #", "num_hidden_layers": 100000}"#, mentions: ["'num_hidden_layers'", "256"])
        assertRefused(bert + #", "num_attention_heads": 100000}"#, mentions: ["'num_attention_heads'", "256"])
        assertRefused(bert + #", "intermediate_size": 900000000}"#, mentions: ["'intermediate_size'", "65536"])
        assertRefused(bert + #", "vocab_size": 900000000}"#, mentions: ["'vocab_size'", "1000000"])
        assertRefused(bert + #", "max_position_embeddings": 900000000}"#, mentions: ["'max_position_embeddings'", "65536"])
        assertRefused(bert + #", "type_vocab_size": 900000000}"#, mentions: ["'type_vocab_size'", "1024"])
        assertRefused(bert + #", "pad_token_id": 10}"#, mentions: ["'pad_token_id'", "0..<10"])
        assertRefused(bert + #", "pad_token_id": -1}"#, mentions: ["'pad_token_id'"])
    }

    func testEachSizeWithinLimitsCanStillMakeTooManyParameters() {
        // 256 layers of 16384 hidden / 65536 intermediate: every field in range, 2.7e11 parameters.
        assertRefused(bert + #", "hidden_size": 16384, "num_hidden_layers": 256, "intermediate_size": 65536, "num_attention_heads": 128}"#,
                      mentions: ["parameters", "\(ModelLimits.maxParameters)"])
    }

    func testConfigsBuiltInCodeAreCheckedToo() throws {
        var c = try ModelConfig.parse(Data((bert + "}").utf8), file: "cfg.json")
        c.labels = ModelConfig.defaultLabels(ModelLimits.maxLabels + 1)
        XCTAssertThrowsError(try EncoderModel(config: c, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("num_labels"), "\(error)")
        }
    }
}
