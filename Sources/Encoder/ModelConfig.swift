// The model configuration, read from and written to Hugging Face's config.json for the two
// supported families: DistilBERT (`model_type: distilbert`) and BERT (`model_type: bert`,
// e.g. all-MiniLM-L6-v2). Settings Docket does not implement are refused with a clear message.
import DocketBase
import Foundation

public enum ModelFamily: String, Sendable, Codable {
    case distilbert, bert
}

/// transformers' `problem_type` of a sequence classifier. Docket trains and runs the two
/// classification kinds; `regression` (and anything else) is refused when config.json is read.
///   single_label_classification: softmax over the labels, cross-entropy (the default when unset)
///   multi_label_classification:  a sigmoid per label, BCEWithLogitsLoss, several labels per text
public enum ProblemType: String, Sendable, Codable, CaseIterable {
    case singleLabel = "single_label_classification"
    case multiLabel = "multi_label_classification"
}

public struct ModelConfig: Sendable, Equatable {
    public var family: ModelFamily
    public var hiddenSize: Int          // distilbert `dim`, bert `hidden_size`
    public var numLayers: Int           // `n_layers` / `num_hidden_layers`
    public var numHeads: Int            // `n_heads` / `num_attention_heads`
    public var intermediateSize: Int    // `hidden_dim` / `intermediate_size`
    public var vocabSize: Int
    public var maxPositions: Int        // `max_position_embeddings`
    public var typeVocabSize: Int       // bert `type_vocab_size`; 0 for distilbert
    public var layerNormEps: Float      // bert `layer_norm_eps`; distilbert always 1e-12
    public var hiddenDropout: Float     // `dropout` / `hidden_dropout_prob`
    public var attentionDropout: Float  // `attention_dropout` / `attention_probs_dropout_prob`
    /// distilbert `seq_classif_dropout`; bert `classifier_dropout` (null → hidden_dropout_prob).
    public var classifierDropout: Float
    /// bert: the raw `classifier_dropout` (nil when null), kept so it is written back unchanged.
    public var bertClassifierDropout: Float?
    public var padTokenId: Int
    public var initializerRange: Float
    /// Label names by id (id2label); numLabels = labels.count.
    public var labels: [String]
    /// config.json `problem_type`; nil when the file does not set it (single-label, written back unset).
    public var problemType: ProblemType?
    /// Multi-label decision thresholds in label-id order (config.json `docket_decision_thresholds`,
    /// label name → threshold, tuned on dev by fine-tuning); nil = 0.5 for every label.
    public var decisionThresholds: [Float]?
    /// The classification head's token pooling; config.json extra key `docket_pooling`
    /// (absent = cls, HF's behaviour). See HeadPooling.swift.
    public var pooling: HeadPooling = .cls

    public var numLabels: Int { labels.count }
    /// True for `multi_label_classification` (sigmoid per label).
    public var isMultiLabel: Bool { problemType == .multiLabel }
    public var headDim: Int { hiddenSize / numHeads }

    public init(family: ModelFamily, hiddenSize: Int, numLayers: Int, numHeads: Int,
                intermediateSize: Int, vocabSize: Int, maxPositions: Int = 512,
                typeVocabSize: Int? = nil, layerNormEps: Float = 1e-12, hiddenDropout: Float = 0.1,
                attentionDropout: Float = 0.1, classifierDropout: Float? = nil,
                padTokenId: Int = 0, initializerRange: Float = 0.02, labels: [String],
                problemType: ProblemType? = nil) {
        self.family = family
        self.hiddenSize = hiddenSize; self.numLayers = numLayers; self.numHeads = numHeads
        self.intermediateSize = intermediateSize; self.vocabSize = vocabSize
        self.maxPositions = maxPositions
        self.typeVocabSize = family == .bert ? (typeVocabSize ?? 2) : 0
        self.layerNormEps = family == .bert ? layerNormEps : 1e-12
        self.hiddenDropout = hiddenDropout; self.attentionDropout = attentionDropout
        self.bertClassifierDropout = family == .bert ? classifierDropout : nil
        self.classifierDropout = classifierDropout ?? (family == .bert ? hiddenDropout : 0.2)
        self.padTokenId = padTokenId; self.initializerRange = initializerRange
        self.labels = labels; self.problemType = problemType
    }

    /// Sets every dropout probability (hidden, attention, classifier) to `p` (`--dropout P`).
    public func withDropout(_ p: Float) -> ModelConfig {
        var c = self
        c.hiddenDropout = p; c.attentionDropout = p; c.classifierDropout = p
        if c.family == .bert { c.bertClassifierDropout = p }
        return c
    }

    /// Checks sizes are positive, within `ModelLimits` and consistent; `file` names the source
    /// in the error, and each size is named by its config.json field (e.g. `n_layers`).
    public func validate(file: String = "config") throws {
        func bad(_ r: String) -> EncoderError { .invalidConfig(file: file, reason: r) }
        let bert = family == .bert
        let sizes: [(String, Int, Int)] = [
            (bert ? "hidden_size" : "dim", hiddenSize, ModelLimits.maxHiddenSize),
            (bert ? "num_hidden_layers" : "n_layers", numLayers, ModelLimits.maxLayers),
            (bert ? "num_attention_heads" : "n_heads", numHeads, ModelLimits.maxHeads),
            (bert ? "intermediate_size" : "hidden_dim", intermediateSize, ModelLimits.maxIntermediateSize),
            ("vocab_size", vocabSize, ModelLimits.maxVocabSize),
            ("max_position_embeddings", maxPositions, ModelLimits.maxPositions),
            ("num_labels", numLabels, ModelLimits.maxLabels),
        ] + (bert ? [("type_vocab_size", typeVocabSize, ModelLimits.maxTypeVocabSize)] : [])
        for (name, v, limit) in sizes {
            if v <= 0 { throw bad("field '\(name)' must be positive, got \(v)") }
            if v > limit { throw bad("field '\(name)' is \(v), above the limit of \(limit)") }
        }
        let count = parameterCount
        if count > ModelLimits.maxParameters {
            throw bad("these sizes make \(count) parameters, above the limit of \(ModelLimits.maxParameters)")
        }
        if padTokenId < 0 || padTokenId >= vocabSize {
            throw bad("field 'pad_token_id' is \(padTokenId), outside the vocabulary 0..<\(vocabSize)")
        }
        if hiddenSize % numHeads != 0 { throw bad("hidden size \(hiddenSize) is not divisible by \(numHeads) heads") }
        if family == .bert && typeVocabSize <= 0 { throw bad("type_vocab_size must be positive") }
        if labels.isEmpty { throw bad("at least one label is required") }
        if Set(labels).count != labels.count { throw bad("duplicate label names in id2label") }
        if let t = decisionThresholds {
            if t.count != labels.count { throw bad("docket_decision_thresholds has \(t.count) values for \(labels.count) labels") }
            if let x = t.first(where: { !($0 >= 0 && $0 <= 1) }) { throw bad("decision threshold \(x) is outside [0, 1]") }
        }
        for p in [hiddenDropout, attentionDropout, classifierDropout] where !(p >= 0 && p < 1) {
            throw bad("dropout probabilities must be in [0, 1), got \(p)")
        }
        if !(layerNormEps > 0) { throw bad("layer_norm_eps must be positive") }
    }

    /// Parameters these sizes imply (every size must already be within `ModelLimits`, so the
    /// arithmetic cannot overflow: at most ~10^12).
    public var parameterCount: Int {
        let h = hiddenSize, f = intermediateSize
        let block = 4 * (h * h + h) + 2 * h * f + f + h + 4 * h
        return (vocabSize + maxPositions + typeVocabSize) * h + 2 * h + numLayers * block
            + h * h + h + numLabels * (h + 1)
    }

    /// Default label names HF uses when a config has no id2label: LABEL_0, LABEL_1.
    public static func defaultLabels(_ n: Int) -> [String] { (0..<n).map { "LABEL_\($0)" } }
}

/// Upper bounds on every size read from a config.json (or set by `init`/`finetune`), checked
/// before anything is allocated (docs/limits.md). They are far above every published BERT-family
/// encoder (BERT-large: 1024 hidden, 24 layers, 16 heads, 4096 intermediate, 512 positions).
public enum ModelLimits {
    public static let maxHiddenSize = 16_384
    public static let maxLayers = 256
    public static let maxHeads = 256
    public static let maxIntermediateSize = 65_536
    public static let maxVocabSize = 1_000_000
    public static let maxPositions = 65_536
    public static let maxTypeVocabSize = 1_024
    public static let maxLabels = 100_000
    /// 2^30 float32 parameters = 4 GiB of weights (training needs four times that).
    public static let maxParameters = 1 << 30
}

// MARK: - config.json reading

extension ModelConfig {
    /// Reads a Hugging Face config.json.
    public static func load(from url: URL) throws -> ModelConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EncoderError.io(file: url.path, reason: "cannot read config: \(FileProblem.reading(url.path, error: error))")
        }
        return try parse(data, file: url.path)
    }

    /// Parses config.json bytes; `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws -> ModelConfig {
        guard let obj = try? JSONSerialization.jsonObject(with: data),
              let dict = obj as? [String: Any] else {
            throw EncoderError.invalidConfig(file: file, reason: "not a JSON object")
        }
        let j = ConfigJSON(dict: dict, file: file)
        let family = try detectFamily(j)
        var config = family == .distilbert ? try parseDistilBert(j) : try parseBert(j)
        config.problemType = try parseProblemType(j)
        config.decisionThresholds = try j.thresholds(labels: config.labels)
        if let p = try j.string("docket_pooling") {
            guard let pooling = HeadPooling(rawValue: p) else {
                throw EncoderError.invalidConfig(file: file, reason: "field 'docket_pooling' must be cls, mean or max, got '\(p)'")
            }
            config.pooling = pooling
        }
        try config.validate(file: file)
        return config
    }

    private static func detectFamily(_ j: ConfigJSON) throws -> ModelFamily {
        if let type = try j.string("model_type") {
            guard let f = ModelFamily(rawValue: type) else {
                throw EncoderError.unsupportedConfig(file: j.file, reason:
                    "model_type '\(type)' is not supported (Docket runs 'distilbert' and 'bert')")
            }
            return f
        }
        if j.has("dim") && j.has("n_layers") { return .distilbert }
        if j.has("hidden_size") && j.has("num_hidden_layers") { return .bert }
        throw EncoderError.invalidConfig(file: j.file, reason: "no model_type and no recognisable size fields")
    }

    /// `problem_type`: absent/null → nil (single-label); the two classification kinds; anything
    /// else (transformers' "regression") is refused rather than run as a softmax classifier.
    private static func parseProblemType(_ j: ConfigJSON) throws -> ProblemType? {
        guard let raw = try j.string("problem_type") else { return nil }
        guard let kind = ProblemType(rawValue: raw) else {
            throw EncoderError.unsupportedConfig(file: j.file, reason:
                "problem_type '\(raw)' is not supported (Docket runs classifiers: "
                + ProblemType.allCases.map(\.rawValue).joined(separator: " or ") + ")")
        }
        return kind
    }

    private static func parseDistilBert(_ j: ConfigJSON) throws -> ModelConfig {
        if try j.bool("sinusoidal_pos_embds") ?? false {
            throw EncoderError.unsupportedConfig(file: j.file, reason:
                "sinusoidal_pos_embds=true is not implemented (only learned position embeddings)")
        }
        let act = try j.string("activation") ?? "gelu"
        guard act == "gelu" else {
            throw EncoderError.unsupportedConfig(file: j.file, reason:
                "activation '\(act)' is not supported (only exact 'gelu')")
        }
        return ModelConfig(
            family: .distilbert, hiddenSize: try j.int("dim") ?? 768, numLayers: try j.int("n_layers") ?? 6,
            numHeads: try j.int("n_heads") ?? 12, intermediateSize: try j.int("hidden_dim") ?? 3072,
            vocabSize: try j.int("vocab_size") ?? 30522,
            maxPositions: try j.int("max_position_embeddings") ?? 512,
            hiddenDropout: try j.float("dropout") ?? 0.1,
            attentionDropout: try j.float("attention_dropout") ?? 0.1,
            classifierDropout: try j.float("seq_classif_dropout") ?? 0.2,
            padTokenId: try j.int("pad_token_id") ?? 0,
            initializerRange: try j.float("initializer_range") ?? 0.02,
            labels: try j.labels())
    }

    private static func parseBert(_ j: ConfigJSON) throws -> ModelConfig {
        let act = try j.string("hidden_act") ?? "gelu"
        guard act == "gelu" else {
            throw EncoderError.unsupportedConfig(file: j.file, reason:
                "hidden_act '\(act)' is not supported (only exact erf 'gelu'; not gelu_new, relu, ...)")
        }
        let pos = try j.string("position_embedding_type") ?? "absolute"
        guard pos == "absolute" else {
            throw EncoderError.unsupportedConfig(file: j.file, reason:
                "position_embedding_type '\(pos)' is not supported (only 'absolute')")
        }
        if try j.bool("is_decoder") ?? false {
            throw EncoderError.unsupportedConfig(file: j.file, reason: "is_decoder=true is not supported (encoder only)")
        }
        return ModelConfig(
            family: .bert, hiddenSize: try j.int("hidden_size") ?? 768,
            numLayers: try j.int("num_hidden_layers") ?? 12,
            numHeads: try j.int("num_attention_heads") ?? 12,
            intermediateSize: try j.int("intermediate_size") ?? 3072,
            vocabSize: try j.int("vocab_size") ?? 30522,
            maxPositions: try j.int("max_position_embeddings") ?? 512,
            typeVocabSize: try j.int("type_vocab_size") ?? 2,
            layerNormEps: try j.float("layer_norm_eps") ?? 1e-12,
            hiddenDropout: try j.float("hidden_dropout_prob") ?? 0.1,
            attentionDropout: try j.float("attention_probs_dropout_prob") ?? 0.1,
            classifierDropout: try j.float("classifier_dropout"),
            padTokenId: try j.int("pad_token_id") ?? 0,
            initializerRange: try j.float("initializer_range") ?? 0.02,
            labels: try j.labels())
    }
}

/// Typed access to config.json fields; a present field of the wrong type is an error.
struct ConfigJSON {
    let dict: [String: Any]
    let file: String

    func has(_ key: String) -> Bool { dict[key] != nil && !(dict[key] is NSNull) }

    private func bad(_ key: String, _ what: String) -> EncoderError {
        .invalidConfig(file: file, reason: "field '\(key)' must be \(what)")
    }

    func string(_ key: String) throws -> String? {
        guard has(key) else { return nil }
        guard let s = dict[key] as? String else { throw bad(key, "a string") }
        return s
    }

    func number(_ key: String) throws -> NSNumber? {
        guard has(key) else { return nil }
        guard let n = dict[key] as? NSNumber, !isJSONBool(n) else {
            throw bad(key, "a number")
        }
        return n
    }

    func int(_ key: String) throws -> Int? {
        guard let n = try number(key) else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 1e9 else { throw bad(key, "an integer") }
        return Int(d)
    }

    func float(_ key: String) throws -> Float? {
        guard let n = try number(key) else { return nil }
        guard n.doubleValue.isFinite else { throw bad(key, "a finite number") }
        return n.floatValue
    }

    func bool(_ key: String) throws -> Bool? {
        guard has(key) else { return nil }
        guard let n = dict[key] as? NSNumber, isJSONBool(n) else {
            throw bad(key, "true or false")
        }
        return n.boolValue
    }

    /// `docket_decision_thresholds`: {"label": threshold in [0, 1]} naming every label; nil when absent.
    func thresholds(labels: [String]) throws -> [Float]? {
        guard has("docket_decision_thresholds") else { return nil }
        guard let map = dict["docket_decision_thresholds"] as? [String: Any] else { throw bad("docket_decision_thresholds", "an object of \"label\": threshold") }
        if let extra = map.keys.sorted().first(where: { !labels.contains($0) }) {
            throw bad("docket_decision_thresholds", "keyed by the labels of id2label, not \"\(extra)\"")
        }
        return try labels.map { label in
            guard let n = map[label] as? NSNumber, !isJSONBool(n), n.doubleValue >= 0, n.doubleValue <= 1 else {
                throw bad("docket_decision_thresholds", "an object giving every label (\"\(label)\" is missing or wrong) a threshold in [0, 1]")
            }
            return n.floatValue
        }
    }

    /// id2label (keys are decimal strings) → names by id; else num_labels → LABEL_i; else 2.
    func labels() throws -> [String] {
        if has("id2label") {
            guard let map = dict["id2label"] as? [String: Any] else { throw bad("id2label", "an object") }
            var byId: [Int: String] = [:]
            for (k, v) in map {
                guard let id = Int(k), id >= 0, let name = v as? String else {
                    throw bad("id2label", "an object of \"id\": \"name\" pairs")
                }
                byId[id] = name
            }
            guard byId.count <= ModelLimits.maxLabels else {
                throw EncoderError.invalidConfig(file: file, reason: "field 'id2label' has \(byId.count) labels, above the limit of \(ModelLimits.maxLabels)")
            }
            guard byId.keys.sorted() == Array(0..<byId.count) else {
                throw bad("id2label", "keyed by consecutive ids 0..<n")
            }
            return (0..<byId.count).map { byId[$0]! }
        }
        let n = try int("num_labels") ?? 2
        guard n > 0, n <= ModelLimits.maxLabels else {
            throw EncoderError.invalidConfig(file: file, reason: "field 'num_labels' is \(n), outside 1...\(ModelLimits.maxLabels)")
        }
        return ModelConfig.defaultLabels(n)
    }
}

/// JSON true/false arrive as boolean NSNumbers (objCType "c"); numbers never do.
private func isJSONBool(_ n: NSNumber) -> Bool {
    String(describing: type(of: n)).contains("Boolean") || String(cString: n.objCType) == "c"
}
