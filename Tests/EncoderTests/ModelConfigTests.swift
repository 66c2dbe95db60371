// config.json parsing and writing for both families, and refusal of unsupported settings.
import Encoder
import Foundation
import TestSupport
import XCTest

final class ModelConfigTests: XCTestCase {
    func parse(_ json: String) throws -> ModelConfig { try ModelConfig.parse(Data(json.utf8), file: "cfg.json") }

    func testReadsTinyFixtureConfigs() throws {
        let d = try ModelConfig.load(from: fixturesDirectory.appendingPathComponent("encoder/tiny-distilbert/config.json"))
        XCTAssertEqual(d.family, .distilbert)
        XCTAssertEqual([d.hiddenSize, d.numLayers, d.numHeads, d.intermediateSize, d.vocabSize, d.maxPositions], [32, 2, 4, 64, 100, 16])
        XCTAssertEqual(d.labels, ["contract", "litigation", "regulatory"])
        XCTAssertEqual(d.classifierDropout, 0.2)
        let b = try ModelConfig.load(from: fixturesDirectory.appendingPathComponent("encoder/tiny-bert/config.json"))
        XCTAssertEqual(b.family, .bert)
        XCTAssertEqual(b.typeVocabSize, 2)
        XCTAssertEqual(b.layerNormEps, 1e-12)
        XCTAssertEqual(b.classifierDropout, 0.1, "classifier_dropout null falls back to hidden_dropout_prob")
        XCTAssertNil(b.bertClassifierDropout)
    }

    func testWrittenConfigReadsBackEqual() throws {
        for name in ["tiny-distilbert", "tiny-bert"] {
            let c = try ModelConfig.load(from: fixturesDirectory.appendingPathComponent("encoder/\(name)/config.json"))
            let again = try ModelConfig.parse(try c.jsonData(), file: "written")
            XCTAssertEqual(again, c, name)
            let obj = c.jsonObject()
            XCTAssertEqual(obj["architectures"] as? [String], [c.architecture])
            XCTAssertEqual((obj["id2label"] as? [String: String])?["2"], "regulatory")
            XCTAssertEqual((obj["label2id"] as? [String: Int])?["litigation"], 1)
        }
    }

    func testNoLabelsMeansTwoDefaultLabels() throws {
        let c = try parse(#"{"model_type":"bert","hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":16,"vocab_size":10}"#)
        XCTAssertEqual(c.labels, ["LABEL_0", "LABEL_1"])
    }

    func testRefusesUnsupportedSettings() {
        let cases: [(String, String)] = [
            (#"{"model_type":"bert","hidden_act":"gelu_new"}"#, "gelu_new"),
            (#"{"model_type":"bert","hidden_act":"relu"}"#, "relu"),
            (#"{"model_type":"bert","position_embedding_type":"relative_key"}"#, "relative_key"),
            (#"{"model_type":"distilbert","sinusoidal_pos_embds":true}"#, "sinusoidal"),
            (#"{"model_type":"distilbert","activation":"relu"}"#, "relu"),
            (#"{"model_type":"roberta"}"#, "roberta"),
        ]
        for (json, word) in cases {
            XCTAssertThrowsError(try parse(json), json) { error in
                guard case let EncoderError.unsupportedConfig(file, reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(file, "cfg.json")
                XCTAssertTrue(reason.contains(word), reason)
            }
        }
    }

    /// Defect 4: problem_type is read (both classification kinds, written back) and anything
    /// else — transformers' "regression" — is refused instead of run as softmax single-label.
    func testProblemTypeIsReadWrittenOrRefused() throws {
        let base = #""model_type":"bert","hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":16,"vocab_size":10"#
        XCTAssertNil(try parse("{\(base)}").problemType)
        XCTAssertNil(try parse("{\(base),\"problem_type\":null}").problemType)
        for kind in ProblemType.allCases {
            let c = try parse("{\(base),\"problem_type\":\"\(kind.rawValue)\"}")
            XCTAssertEqual(c.problemType, kind)
            XCTAssertEqual(c.isMultiLabel, kind == .multiLabel)
            XCTAssertEqual(c.jsonObject()["problem_type"] as? String, kind.rawValue, "written back")
            XCTAssertEqual(try ModelConfig.parse(c.jsonData(), file: "x").problemType, kind)
        }
        XCTAssertNil(try parse("{\(base)}").jsonObject()["problem_type"], "unset stays unset")
        for bad in ["regression", "multi_label", "token_classification"] {
            XCTAssertThrowsError(try parse("{\(base),\"problem_type\":\"\(bad)\"}")) { error in
                guard case let EncoderError.unsupportedConfig(file, reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(file, "cfg.json")
                XCTAssertTrue(reason.contains("problem_type '\(bad)' is not supported"), reason)
                XCTAssertTrue(reason.contains("multi_label_classification"), reason)
            }
        }
        XCTAssertThrowsError(try parse("{\(base),\"problem_type\":3}"))
    }

    func testRejectsInvalidConfigs() {
        let cases = [
            "not json", "[1,2]", #"{"model_type":"bert","hidden_size":"big"}"#,
            #"{"model_type":"bert","hidden_size":30,"num_attention_heads":4}"#,
            #"{"model_type":"bert","hidden_size":-8}"#,
            #"{"model_type":"bert","hidden_dropout_prob":1.5}"#,
            #"{"model_type":"bert","id2label":{"0":"a","2":"b"}}"#,
            #"{"model_type":"bert","id2label":{"0":"a","1":"a"}}"#,
            #"{"model_type":"distilbert","sinusoidal_pos_embds":"no"}"#,
        ]
        for json in cases {
            XCTAssertThrowsError(try parse(json), json) { error in
                guard case EncoderError.invalidConfig(file: "cfg.json", _) = error else { return XCTFail("\(json): \(error)") }
            }
        }
    }

    func testDropoutOverrideSetsEveryProbability() throws {
        let c = try ModelConfig.load(from: fixturesDirectory.appendingPathComponent("encoder/tiny-bert/config.json")).withDropout(0)
        XCTAssertEqual([c.hiddenDropout, c.attentionDropout, c.classifierDropout], [0, 0, 0])
    }

    func testLayoutNamesMatchHuggingFace() throws {
        let c = try ModelConfig.load(from: fixturesDirectory.appendingPathComponent("encoder/tiny-bert/config.json"))
        let names = c.parameterLayout.map(\.name)
        XCTAssertEqual(names.first, "bert.embeddings.word_embeddings.weight")
        XCTAssertTrue(names.contains("bert.encoder.layer.1.attention.output.LayerNorm.bias"))
        XCTAssertEqual(names.suffix(4), ["bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"])
        let decayed = c.parameterLayout.filter(\.appliesWeightDecay).map(\.name)
        XCTAssertTrue(decayed.contains("bert.encoder.layer.0.intermediate.dense.weight"))
        XCTAssertTrue(decayed.contains("bert.embeddings.word_embeddings.weight"))
        XCTAssertFalse(decayed.contains { $0.hasSuffix("bias") || $0.contains("LayerNorm") })
        XCTAssertEqual(c.acceptedNames(.embeddingNormWeight), [
            "bert.embeddings.LayerNorm.weight", "embeddings.LayerNorm.weight",
            "bert.embeddings.LayerNorm.gamma", "embeddings.LayerNorm.gamma"])
    }
}
