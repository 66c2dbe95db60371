// Tokenize now, classify later: the two halves of `classify(_:)` for callers that assemble
// their own batches (the HTTP server merges documents from concurrent requests). Results are
// computed exactly as `classify(_:)` computes them: windows sorted by length, padded batches
// of at most `batchSize` rows and `batchSize × 128` tokens, window probabilities pooled.
import Tokenizers

/// One document tokenized for this classifier: one window, or (chunk mode) its windows.
public struct EncodedDocument: Sendable {
    let windows: [Encoding]
    /// True when the text had more tokens than `maxLength` (truncate mode keeps the first window).
    public let exceedsMaxLength: Bool
    /// Tokens over all windows (special tokens included).
    public var tokenCount: Int { windows.reduce(0) { $0 + $1.count } }
    /// Model rows this document takes (1 unless chunked).
    public var windowCount: Int { windows.count }
}

extension TextClassifier {
    /// Tokenizes one document (and optional second segment) with the classifier's max length
    /// and long-document mode.
    public func encodeDocument(_ text: String, pair: String? = nil) throws -> EncodedDocument {
        guard let tokenizer else { throw ClassifierError.invalidArgument("encodeDocument needs an encoder classifier (this one is a linear model or an ensemble)") }
        let inputs = try encode([text], pairs: pair.map { [$0] }, tokenizer: tokenizer)
        var windows = inputs.map(\.encoding)
        let exceeds = !windows[0].overflowing.isEmpty
        for i in windows.indices { windows[i].overflowing = [] }  // truncate mode: drop the rest
        return EncodedDocument(windows: windows, exceedsMaxLength: exceeds)
    }

    /// Classifies tokenized documents; predictions in input order.
    public func classify(encoded documents: [EncodedDocument], batchSize: Int = 32) throws -> [Prediction] {
        guard batchSize >= 1 else { throw ClassifierError.invalidArgument("batch size must be at least 1") }
        var sequences: [ModelInput] = []
        sequences.reserveCapacity(documents.count)
        for (d, doc) in documents.enumerated() {
            for w in doc.windows { sequences.append(ModelInput(document: d, encoding: w)) }
        }
        guard case let .encoder(model, tokenizer) = backend else {
            throw ClassifierError.invalidArgument("classify(encoded:) needs an encoder classifier (this one is a linear model or an ensemble)")
        }
        let logits = try runBatches(sequences, batchSize: batchSize, model: model, padId: Int32(tokenizer.padId), progress: nil)
        return predictions(sequences: sequences, logits: logits, documents: documents.count)
    }
}

extension Prediction {
    /// The same prediction listing only its `k` most probable labels in `topK` (k ≥ 1).
    public func limitingTopK(_ k: Int) -> Prediction {
        Prediction(label: label, score: score, labels: labels, probabilities: probabilities, logits: logits,
                   topK: Array(topK.prefix(max(1, k))), windows: windows)
    }
}

extension Document {
    /// One JSON object parsed as a JSONL record is (`docket classify`'s input rules: "text"
    /// required and non-blank, "label", "text_pair", other members copied verbatim).
    /// Errors are `DocumentError`s naming `source` and `line`.
    public static func parseJSONObject(_ bytes: [UInt8], source: String, line: Int) throws -> Document {
        try LineDocuments.parseJSONL(bytes[...], file: source, line: line)
    }
}
