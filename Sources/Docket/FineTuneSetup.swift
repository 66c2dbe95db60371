// The model, tokenizer and label set a fine-tuning run starts from, and tokenization of the
// labelled examples.
//
// Label set: a checkpoint keeps its id2label when it names exactly the data's labels (ids
// unchanged); otherwise the data's sorted labels get a new classification head (a notice says
// so). A config keeps its labels under the same rule (`docket init --labels`), else sorted
// data labels. A fresh model's vocab_size is the tokenizer's.
import Encoder
import Foundation
import Tokenizers
import Training

struct FineTuneSetup {
    var model: EncoderModel
    var tokenizer: Tokenizer
    /// Where the tokenizer was loaded from (its files are copied into checkpoints).
    var tokenizerSource: URL
    var labels: [String]
    var notices: [String]

    static func prepare(_ request: FineTuneRequest, dataLabels: [String], problemType: ProblemType) throws -> FineTuneSetup {
        var setup = try prepare(request, dataLabels: dataLabels)
        // The data's problem type goes into the config (a checkpoint's stale thresholds are dropped).
        let current = setup.model.config.problemType ?? .singleLabel
        if current != problemType || setup.model.config.decisionThresholds != nil {
            if current != problemType {
                setup.notices.append("the model was \(current.rawValue); the data has \(problemType == .multiLabel ? "\"labels\" lists" : "single \"label\" fields"): training it as \(problemType.rawValue)")
            }
            var c = setup.model.config
            c.problemType = problemType == .multiLabel ? .multiLabel : (c.problemType == nil ? nil : .singleLabel)
            c.decisionThresholds = nil
            setup.model = try reconfigured(setup.model, c)
        }
        return setup
    }

    private static func prepare(_ request: FineTuneRequest, dataLabels: [String]) throws -> FineTuneSetup {
        var notices: [String] = []
        switch request.start {
        case .checkpoint(let dir):
            let config = try ModelConfig.load(from: dir.appendingPathComponent("config.json"))
            let keep = Set(config.labels) == Set(dataLabels) && config.labels.count == dataLabels.count
            let labels = keep ? config.labels : dataLabels
            if !keep {
                notices.append("the checkpoint's labels (\(config.labels.joined(separator: ", "))) differ from the data's "
                    + "(\(dataLabels.joined(separator: ", "))): a new classification head is trained")
            }
            let (loaded, loadNotices) = try EncoderModel.load(directory: dir, labels: keep ? nil : labels, seed: request.options.seed)
            notices += loadNotices
            let tokenizer = try Tokenizer.load(from: dir)
            var adjusted = loaded.config
            if let p = request.dropout { adjusted = adjusted.withDropout(p) }
            if let p = request.pooling { adjusted.pooling = p }
            return FineTuneSetup(model: try reconfigured(loaded, adjusted), tokenizer: tokenizer, tokenizerSource: dir,
                                 labels: labels, notices: notices)
        case let .config(url, tokenizerURL):
            var config = try ModelConfig.load(from: url)
            let tokenizer = try Tokenizer.load(from: tokenizerURL)
            let keep = Set(config.labels) == Set(dataLabels) && config.labels.count == dataLabels.count
            config.labels = keep ? config.labels : dataLabels
            config.vocabSize = tokenizer.vocabSize
            config.padTokenId = Int(tokenizer.padId)
            if let p = request.dropout { config = config.withDropout(p) }
            if let p = request.pooling { config.pooling = p }
            let model = try EncoderModel(config: config, seed: request.options.seed)
            notices.append("fresh \(config.family.rawValue) model: \(model.parameterCount) parameters, vocab \(config.vocabSize) from \(tokenizerURL.lastPathComponent)")
            return FineTuneSetup(model: model, tokenizer: tokenizer, tokenizerSource: tokenizerURL, labels: config.labels, notices: notices)
        }
    }

    /// The same weights under `config` (dropout probabilities or pooling changed).
    static func reconfigured(_ model: EncoderModel, _ config: ModelConfig) throws -> EncoderModel {
        guard config != model.config else { return model }
        let copy = try EncoderModel(config: config, seed: 0)
        try copy.parameters.copy(from: model.parameters)
        return copy
    }

    /// Windows kept per document in chunked training (the rest is dropped, with a notice).
    static let maxWindowsPerDocument = 64

    /// Texts (and pairs) → token ids truncated to `maxLength`, or with `stride` every window of
    /// `maxLength` tokens (classify's chunking) tagged with its document; label names → ids.
    static func tokenize(_ examples: [LabeledExample], setup: FineTuneSetup, maxLength: Int,
                         file: String, stride: Int? = nil) throws -> [TrainingExample] {
        guard let stride else { return try tokenizeTruncated(examples, setup: setup, maxLength: maxLength, file: file) }
        let bert = setup.model.config.family == .bert
        var out: [TrainingExample] = []
        for (d, e) in examples.enumerated() {
            let first = try tokenizeTruncated([e], setup: setup, maxLength: maxLength, file: file, stride: stride)[0]
            let enc = try setup.tokenizer.encode(e.text, pair: e.textPair, maxLength: maxLength, stride: stride)
            out.append(TrainingExample(ids: first.ids, typeIds: first.typeIds, label: first.label, document: d))
            for w in enc.overflowing.prefix(maxWindowsPerDocument - 1) where !w.ids.isEmpty {
                if let bad = w.ids.first(where: { Int($0) >= setup.model.config.vocabSize }) {
                    throw TrainingError.data(file: file, line: e.line, message: "token id \(bad) is outside the model's vocabulary (\(setup.model.config.vocabSize))")
                }
                out.append(TrainingExample(ids: w.ids, typeIds: bert ? w.typeIds : nil, label: first.label, document: d))
            }
        }
        return out
    }

    private static func tokenizeTruncated(_ examples: [LabeledExample], setup: FineTuneSetup, maxLength: Int,
                                          file: String, stride: Int = 0) throws -> [TrainingExample] {
        let index = Dictionary(uniqueKeysWithValues: setup.labels.enumerated().map { ($1, $0) })
        let bert = setup.model.config.family == .bert
        return try examples.map { e in
            var ids: [Int] = []
            for name in e.labels ?? [e.label] {
                guard let id = index[name] else {
                    throw TrainingError.data(file: file, line: e.line, message: "unknown label '\(name)' (known: \(setup.labels.joined(separator: ", ")))")
                }
                ids.append(id)
            }
            let enc: Encoding
            do { enc = try setup.tokenizer.encode(e.text, pair: e.textPair, maxLength: maxLength, stride: stride) }
            catch { throw TrainingError.data(file: file, line: e.line, message: "cannot tokenize: \(error)") }
            guard !enc.ids.isEmpty else { throw TrainingError.data(file: file, line: e.line, message: "the text has no tokens") }
            if let bad = enc.ids.first(where: { Int($0) >= setup.model.config.vocabSize }) {
                throw TrainingError.data(file: file, line: e.line,
                                         message: "token id \(bad) is outside the model's vocabulary (\(setup.model.config.vocabSize)): tokenizer and model do not match")
            }
            if e.isMultiLabel { return TrainingExample(ids: enc.ids, typeIds: bert ? enc.typeIds : nil, multiLabels: ids.sorted()) }
            return TrainingExample(ids: enc.ids, typeIds: bert ? enc.typeIds : nil, label: ids[0])
        }
    }
}
