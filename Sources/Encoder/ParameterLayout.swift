// The one place parameter names and shapes come from (DESIGN.md §3): generated from the
// config, in Hugging Face's `named_parameters()` order for *ForSequenceClassification, and
// used by loading, saving, fresh initialisation, the forward/backward pointer tables and the
// gradient buffer alike.

/// The tensors inside one transformer block, in HF order.
public enum BlockTensor: Int, CaseIterable, Sendable {
    case queryWeight, queryBias, keyWeight, keyBias, valueWeight, valueBias
    case attnOutWeight, attnOutBias, attnNormWeight, attnNormBias
    case ffnInWeight, ffnInBias, ffnOutWeight, ffnOutBias, outNormWeight, outNormBias
}

/// What a parameter is, independent of the family's naming.
public enum ParameterRole: Hashable, Sendable {
    case wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings
    case embeddingNormWeight, embeddingNormBias
    case block(Int, BlockTensor)
    case poolerWeight, poolerBias                  // BERT: dense + tanh on token 0
    case preClassifierWeight, preClassifierBias    // DistilBERT: dense + ReLU on token 0
    case classifierWeight, classifierBias
    /// Masked-LM head (BertForMaskedLM `cls.predictions.*`, DistilBertForMaskedLM `vocab_*`):
    /// dense → GELU → LayerNorm → decoder (weight tied to the word embeddings) + bias.
    case mlmDenseWeight, mlmDenseBias, mlmNormWeight, mlmNormBias, mlmDecoderBias

    /// How HF's `_init_weights` initialises it.
    public enum Initial: Sendable { case normal, zeros, ones }

    public var initial: Initial {
        switch self {
        case .embeddingNormWeight, .block(_, .attnNormWeight), .block(_, .outNormWeight), .mlmNormWeight: return .ones
        case .embeddingNormBias, .poolerBias, .preClassifierBias, .classifierBias, .mlmDenseBias, .mlmNormBias,
             .mlmDecoderBias: return .zeros
        case let .block(_, t) where t.rawValue % 2 == 1: return .zeros  // every odd case is a bias
        default: return .normal
        }
    }

    /// Classification-head tensors (created when a checkpoint lacks them).
    public var isHead: Bool {
        switch self {
        case .poolerWeight, .poolerBias, .preClassifierWeight, .preClassifierBias,
             .classifierWeight, .classifierBias: return true
        default: return false
        }
    }

    /// Masked-LM head tensors (created when a checkpoint lacks them).
    public var isMaskedLMHead: Bool {
        switch self {
        case .mlmDenseWeight, .mlmDenseBias, .mlmNormWeight, .mlmNormBias, .mlmDecoderBias: return true
        default: return false
        }
    }

    /// LayerNorm weights/biases (no weight decay; accept `gamma`/`beta` on load).
    public var isLayerNorm: Bool {
        switch self {
        case .embeddingNormWeight, .embeddingNormBias, .block(_, .attnNormWeight), .block(_, .attnNormBias),
             .block(_, .outNormWeight), .block(_, .outNormBias), .mlmNormWeight, .mlmNormBias: return true
        default: return false
        }
    }
}

public struct ParameterSpec: Sendable, Equatable {
    public let role: ParameterRole
    public let name: String      // full HF name, e.g. distilbert.transformer.layer.0.ffn.lin1.weight
    public let shape: [Int]
    public var count: Int { shape.reduce(1, *) }

    /// Hugging Face's AdamW grouping: no weight decay on biases and LayerNorm weights.
    public var appliesWeightDecay: Bool { !role.isLayerNorm && !name.hasSuffix(".bias") }
}

extension ModelConfig {
    /// Every parameter in HF `named_parameters()` order.
    public var parameterLayout: [ParameterSpec] {
        var roles: [ParameterRole] = [.wordEmbeddings, .positionEmbeddings]
        if family == .bert { roles.append(.tokenTypeEmbeddings) }
        roles += [.embeddingNormWeight, .embeddingNormBias]
        for l in 0..<numLayers { roles += BlockTensor.allCases.map { .block(l, $0) } }
        roles += family == .bert ? [.poolerWeight, .poolerBias] : [.preClassifierWeight, .preClassifierBias]
        roles += [.classifierWeight, .classifierBias]
        return roles.map { ParameterSpec(role: $0, name: parameterName($0), shape: parameterShape($0)) }
    }

    /// Every parameter of HF's Bert/DistilBertForMaskedLM in `named_parameters()` order: the
    /// encoder (no pooler / classifier) and the masked-LM head (the decoder weight is the word
    /// embedding table, so it has no tensor of its own).
    public var maskedLMLayout: [ParameterSpec] {
        let encoder = parameterLayout.filter { !$0.role.isHead }
        let head: [ParameterRole] = family == .bert
            ? [.mlmDecoderBias, .mlmDenseWeight, .mlmDenseBias, .mlmNormWeight, .mlmNormBias]
            : [.mlmDenseWeight, .mlmDenseBias, .mlmNormWeight, .mlmNormBias, .mlmDecoderBias]
        return encoder + head.map { ParameterSpec(role: $0, name: parameterName($0), shape: parameterShape($0)) }
    }

    /// The family's prefix inside *ForSequenceClassification ("distilbert." / "bert.").
    public var namePrefix: String { family == .distilbert ? "distilbert." : "bert." }

    /// The HF name of a parameter (with the family prefix for encoder and pooler tensors).
    public func parameterName(_ role: ParameterRole) -> String {
        let p = namePrefix
        switch role {
        case .wordEmbeddings: return p + "embeddings.word_embeddings.weight"
        case .positionEmbeddings: return p + "embeddings.position_embeddings.weight"
        case .tokenTypeEmbeddings: return p + "embeddings.token_type_embeddings.weight"
        case .embeddingNormWeight: return p + "embeddings.LayerNorm.weight"
        case .embeddingNormBias: return p + "embeddings.LayerNorm.bias"
        case let .block(l, t): return p + blockName(layer: l, t)
        case .poolerWeight: return p + "pooler.dense.weight"
        case .poolerBias: return p + "pooler.dense.bias"
        case .preClassifierWeight: return "pre_classifier.weight"
        case .preClassifierBias: return "pre_classifier.bias"
        case .classifierWeight: return "classifier.weight"
        case .classifierBias: return "classifier.bias"
        case .mlmDenseWeight: return family == .bert ? "cls.predictions.transform.dense.weight" : "vocab_transform.weight"
        case .mlmDenseBias: return family == .bert ? "cls.predictions.transform.dense.bias" : "vocab_transform.bias"
        case .mlmNormWeight: return family == .bert ? "cls.predictions.transform.LayerNorm.weight" : "vocab_layer_norm.weight"
        case .mlmNormBias: return family == .bert ? "cls.predictions.transform.LayerNorm.bias" : "vocab_layer_norm.bias"
        case .mlmDecoderBias: return family == .bert ? "cls.predictions.bias" : "vocab_projector.bias"
        }
    }

    private func blockName(layer l: Int, _ t: BlockTensor) -> String {
        let suffix = t.rawValue % 2 == 0 ? "weight" : "bias"
        if family == .distilbert {
            let module: String
            switch t {
            case .queryWeight, .queryBias: module = "attention.q_lin"
            case .keyWeight, .keyBias: module = "attention.k_lin"
            case .valueWeight, .valueBias: module = "attention.v_lin"
            case .attnOutWeight, .attnOutBias: module = "attention.out_lin"
            case .attnNormWeight, .attnNormBias: module = "sa_layer_norm"
            case .ffnInWeight, .ffnInBias: module = "ffn.lin1"
            case .ffnOutWeight, .ffnOutBias: module = "ffn.lin2"
            case .outNormWeight, .outNormBias: module = "output_layer_norm"
            }
            return "transformer.layer.\(l).\(module).\(suffix)"
        }
        let module: String
        switch t {
        case .queryWeight, .queryBias: module = "attention.self.query"
        case .keyWeight, .keyBias: module = "attention.self.key"
        case .valueWeight, .valueBias: module = "attention.self.value"
        case .attnOutWeight, .attnOutBias: module = "attention.output.dense"
        case .attnNormWeight, .attnNormBias: module = "attention.output.LayerNorm"
        case .ffnInWeight, .ffnInBias: module = "intermediate.dense"
        case .ffnOutWeight, .ffnOutBias: module = "output.dense"
        case .outNormWeight, .outNormBias: module = "output.LayerNorm"
        }
        return "encoder.layer.\(l).\(module).\(suffix)"
    }

    /// The shape HF gives the parameter; linear weights are (out, in).
    public func parameterShape(_ role: ParameterRole) -> [Int] {
        let h = hiddenSize, f = intermediateSize
        switch role {
        case .wordEmbeddings: return [vocabSize, h]
        case .positionEmbeddings: return [maxPositions, h]
        case .tokenTypeEmbeddings: return [typeVocabSize, h]
        case .embeddingNormWeight, .embeddingNormBias: return [h]
        case let .block(_, t):
            switch t {
            case .ffnInWeight: return [f, h]
            case .ffnInBias: return [f]
            case .ffnOutWeight: return [h, f]
            case .queryWeight, .keyWeight, .valueWeight, .attnOutWeight: return [h, h]
            default: return [h]  // biases and LayerNorm weights
            }
        case .poolerWeight, .preClassifierWeight: return [h, h]
        case .poolerBias, .preClassifierBias: return [h]
        case .classifierWeight: return [numLabels, h]
        case .classifierBias: return [numLabels]
        case .mlmDenseWeight: return [h, h]
        case .mlmDenseBias, .mlmNormWeight, .mlmNormBias: return [h]
        case .mlmDecoderBias: return [vocabSize]
        }
    }

    /// Names accepted for a parameter on load, most specific first: the full name, the name
    /// without the family prefix (a bare DistilBertModel/BertModel), and old `gamma`/`beta`
    /// spellings of LayerNorm weight/bias.
    public func acceptedNames(_ role: ParameterRole) -> [String] {
        let full = parameterName(role)
        var names = [full]
        if full.hasPrefix(namePrefix) { names.append(String(full.dropFirst(namePrefix.count))) }
        if role.isLayerNorm {
            names += names.map { n in
                n.hasSuffix(".weight") ? String(n.dropLast(7)) + ".gamma" : String(n.dropLast(5)) + ".beta"
            }
        }
        return names
    }
}
