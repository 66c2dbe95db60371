// Writing config.json in the form transformers' `from_pretrained` accepts: architectures,
// model_type, the family's own field names, id2label/label2id with string keys.
import DocketBase
import Foundation

extension ModelConfig {
    /// The HF architecture class this config describes.
    public var architecture: String {
        family == .distilbert ? "DistilBertForSequenceClassification" : "BertForSequenceClassification"
    }

    /// The HF masked-LM architecture class (`docket pretrain` output).
    public var maskedLMArchitecture: String {
        family == .distilbert ? "DistilBertForMaskedLM" : "BertForMaskedLM"
    }

    /// config.json as a dictionary (JSON-serialisable); `architecture` defaults to the
    /// sequence-classification class.
    public func jsonObject(architecture: String? = nil) -> [String: Any] {
        var d: [String: Any] = [
            "architectures": [architecture ?? self.architecture],
            "model_type": family.rawValue,
            "vocab_size": vocabSize,
            "max_position_embeddings": maxPositions,
            "initializer_range": shortest(initializerRange),
            "pad_token_id": padTokenId,
            "id2label": Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) }),
            "label2id": Dictionary(labels.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }),
        ]
        if let problemType { d["problem_type"] = problemType.rawValue }
        if let t = decisionThresholds, t.count == labels.count {
            d["docket_decision_thresholds"] = Dictionary(uniqueKeysWithValues: zip(labels, t.map { shortest($0) }))
        }
        if pooling != .cls { d["docket_pooling"] = pooling.rawValue }  // absent = cls (HF's head)
        switch family {
        case .distilbert:
            d["dim"] = hiddenSize; d["n_layers"] = numLayers; d["n_heads"] = numHeads
            d["hidden_dim"] = intermediateSize; d["activation"] = "gelu"
            d["dropout"] = shortest(hiddenDropout); d["attention_dropout"] = shortest(attentionDropout)
            d["seq_classif_dropout"] = shortest(classifierDropout)
            d["sinusoidal_pos_embds"] = false
            d["qa_dropout"] = 0.1
            d["tie_word_embeddings"] = true
        case .bert:
            d["hidden_size"] = hiddenSize; d["num_hidden_layers"] = numLayers
            d["num_attention_heads"] = numHeads; d["intermediate_size"] = intermediateSize
            d["hidden_act"] = "gelu"; d["layer_norm_eps"] = shortest(layerNormEps)
            d["type_vocab_size"] = typeVocabSize
            d["hidden_dropout_prob"] = shortest(hiddenDropout)
            d["attention_probs_dropout_prob"] = shortest(attentionDropout)
            d["classifier_dropout"] = bertClassifierDropout.map { shortest($0) as Any } ?? NSNull()
            d["position_embedding_type"] = "absolute"
        }
        return d
    }

    /// config.json bytes: pretty-printed with sorted keys (deterministic).
    public func jsonData(architecture: String? = nil) throws -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: jsonObject(architecture: architecture), options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw EncoderError.io(file: "config.json", reason: "cannot encode config: \(error)")
        }
    }

    /// Writes config.json atomically.
    public func write(to url: URL, architecture: String? = nil) throws {
        let data = try jsonData(architecture: architecture)
        do { try AtomicFile.write(data, to: url) } catch {
            throw EncoderError.io(file: url.path, reason: "cannot write config: \(FileProblem.writing(url.path, error: error))")
        }
    }
}

/// The shortest decimal that round-trips the Float (0.1, not 0.10000000149011612).
private func shortest(_ f: Float) -> Double { Double("\(f)") ?? Double(f) }
