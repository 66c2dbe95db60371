// The encoder model: a config, one contiguous ParameterBuffer laid out by
// `ModelConfig.parameterLayout`, and the offsets of each tensor inside it (shared with any
// gradient buffer made by `parameters.makeZeroedLike()`).
//
// Thread safety: forward only reads `parameters`; each caller brings its own workspace and
// RNG, so several threads may run inference at once. Mutating the parameters (optimizer
// steps) while another thread runs forward is the caller's responsibility to avoid.
import DocketBase
import Kernels

/// Which head the parameter buffer carries: HF's *ForSequenceClassification (pooler /
/// pre_classifier + classifier) or *ForMaskedLM (the masked-LM head, EncoderModel+MaskedLM.swift).
public enum EncoderObjective: String, Sendable {
    case sequenceClassification, maskedLM
}

public final class EncoderModel: @unchecked Sendable {
    public let config: ModelConfig
    public let objective: EncoderObjective
    public let parameters: ParameterBuffer
    /// The layout the parameters (and any gradient buffer) follow, in HF order.
    public let layout: [ParameterSpec]
    let offsets: ParameterOffsets
    /// The precision inference forwards use (training workspaces always run FP32).
    public let inferencePrecision: InferencePrecision
    /// Per layer, the block linears in bf16 or int8 when prepared for that precision; nil =
    /// FP32 (see InferencePrecision.swift).
    let reducedBlocks: [ReducedBlockWeights]?

    /// A freshly initialised model, HF-style: N(0, initializer_range) weights and embeddings
    /// (the padding row of the word embeddings zeroed), zero biases, LayerNorm 1/0.
    public convenience init(config: ModelConfig, seed: UInt64, objective: EncoderObjective = .sequenceClassification) throws {
        try self.init(uninitialized: config, objective: objective)
        var rng = SeededRNG(seed: seed)
        for spec in layout { try initialise(spec, rng: &rng) }
    }

    /// Allocates the zeroed parameter buffer for `config`.
    init(uninitialized config: ModelConfig, objective: EncoderObjective = .sequenceClassification) throws {
        try config.validate()
        self.config = config; self.objective = objective
        layout = objective == .maskedLM ? config.maskedLMLayout : config.parameterLayout
        do {
            parameters = try ParameterBuffer(layout: layout.map { (name: $0.name, shape: $0.shape) })
        } catch {
            throw EncoderError.invalidInput("cannot lay out parameters: \(error)")
        }
        offsets = try ParameterOffsets(config: config, buffer: parameters)
        inferencePrecision = .fp32; reducedBlocks = nil
    }

    /// A model sharing `other`'s config and parameter buffer with its own inference weights.
    init(sharing other: EncoderModel, precision: InferencePrecision, reducedBlocks: [ReducedBlockWeights]?) {
        config = other.config; objective = other.objective; parameters = other.parameters; layout = other.layout
        offsets = other.offsets; inferencePrecision = precision; self.reducedBlocks = reducedBlocks
    }

    /// Fills one tensor as HF's `_init_weights` does (with Docket's generator).
    func initialise(_ spec: ParameterSpec, rng: inout SeededRNG) throws {
        let p = try parameters.buffer(spec.name)
        switch spec.role.initial {
        case .zeros: p.update(repeating: 0)
        case .ones: p.update(repeating: 1)
        case .normal:
            let std = config.initializerRange
            for i in p.indices { p[i] = rng.nextGaussian() * std }
            if spec.role == .wordEmbeddings, config.padTokenId >= 0, config.padTokenId < config.vocabSize {
                let h = config.hiddenSize
                (p.baseAddress! + config.padTokenId * h).update(repeating: 0, count: h)
            }
        }
    }

    /// A zeroed gradient buffer with the parameters' layout.
    public func makeGradientBuffer() -> ParameterBuffer { parameters.makeZeroedLike() }

    /// Total number of parameters (without the alignment padding between tensors).
    public var parameterCount: Int { layout.reduce(0) { $0 + $1.count } }
}

/// Offsets (in floats) of every tensor inside a buffer with the model's layout.
struct ParameterOffsets: Sendable {
    let word: Int, position: Int, tokenType: Int?
    let embNormWeight: Int, embNormBias: Int
    /// blocks[layer][BlockTensor.rawValue]
    let blocks: [[Int]]
    /// pooler (BERT) or pre_classifier (DistilBERT) dense layer, classifier; -1 in a masked-LM
    /// buffer (which has no classification head).
    let headDenseWeight: Int, headDenseBias: Int
    let classifierWeight: Int, classifierBias: Int
    /// The masked-LM head (nil in a classification buffer).
    let maskedLM: MaskedLMOffsets?

    struct MaskedLMOffsets: Sendable {
        let denseWeight: Int, denseBias: Int, normWeight: Int, normBias: Int, decoderBias: Int
    }

    init(config: ModelConfig, buffer: ParameterBuffer) throws {
        func at(_ role: ParameterRole) throws -> Int {
            do { return try buffer.entry(config.parameterName(role)).offset } catch {
                throw EncoderError.invalidInput("parameter buffer lacks \(config.parameterName(role))")
            }
        }
        word = try at(.wordEmbeddings); position = try at(.positionEmbeddings)
        tokenType = config.family == .bert ? try at(.tokenTypeEmbeddings) : nil
        embNormWeight = try at(.embeddingNormWeight); embNormBias = try at(.embeddingNormBias)
        blocks = try (0..<config.numLayers).map { l in try BlockTensor.allCases.map { try at(.block(l, $0)) } }
        let bert = config.family == .bert
        if buffer.entries.contains(where: { $0.name == config.parameterName(.classifierWeight) }) {
            headDenseWeight = try at(bert ? .poolerWeight : .preClassifierWeight)
            headDenseBias = try at(bert ? .poolerBias : .preClassifierBias)
            classifierWeight = try at(.classifierWeight); classifierBias = try at(.classifierBias)
        } else {
            (headDenseWeight, headDenseBias, classifierWeight, classifierBias) = (-1, -1, -1, -1)
        }
        if buffer.entries.contains(where: { $0.name == config.parameterName(.mlmDecoderBias) }) {
            maskedLM = MaskedLMOffsets(denseWeight: try at(.mlmDenseWeight), denseBias: try at(.mlmDenseBias),
                                       normWeight: try at(.mlmNormWeight), normBias: try at(.mlmNormBias),
                                       decoderBias: try at(.mlmDecoderBias))
        } else {
            maskedLM = nil
        }
    }
}
