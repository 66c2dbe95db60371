// One JSONL output line per prediction, as `docket classify` writes it:
//   {<copied input fields>, "gold_label": ..., "label": "...", "score": p,
//    "probabilities": {"label": p, ...}, "logits": [...], "top_k": [...], "windows": n}
// Multi-label models add "labels": [every label above its threshold, most probable first]
// (probabilities are then independent sigmoids).
// Copied fields keep their raw JSON; one whose key clashes with an output key is written as
// "input_<key>" (again prefixed while that is taken too: fields `score` and `input_score` become
// `input_input_score` and `input_score`, never one key twice). Non-finite numbers (impossible for a healthy model) are written as null.
import DocketBase

extension Prediction {
    static let outputKeys: Set<String> = ["label", "labels", "score", "probabilities", "logits", "top_k", "windows",
                                          "gold_label", "gold_labels"]

    /// The JSON object for this prediction (no trailing newline), in label-id order.
    /// - Parameters:
    ///   - labels: label names in id order (probabilities are listed in this order).
    ///   - document: its copied fields and gold label are included when given.
    ///   - includeTopK: adds "top_k": [{"label", "score"}, ...].
    ///   - includeWindows: adds "windows" (chunked long documents).
    ///   - multiLabel: adds "labels" (every label above its threshold) and "gold_labels".
    public func jsonLine(labels: [String], document: Document? = nil, includeTopK: Bool = false,
                         includeWindows: Bool = false, multiLabel: Bool = false) -> String {
        var parts: [String] = []
        if let document {
            for (f, key) in zip(document.fields, Self.outputNames(of: document.fields)) {
                parts.append("\(JSONParser.quote(key)):\(f.json)")
            }
            if let gold = document.label { parts.append("\"gold_label\":\(JSONParser.quote(gold))") }
            if let gold = document.labels { parts.append("\"gold_labels\":[\(gold.map(JSONParser.quote).joined(separator: ","))]") }
        }
        if multiLabel { parts.append("\"labels\":[\(self.labels.map(JSONParser.quote).joined(separator: ","))]") }
        parts.append("\"label\":\(JSONParser.quote(label))")
        parts.append("\"score\":\(Self.number(score))")
        let probs = labels.map { "\(JSONParser.quote($0)):\(Self.number(probabilities[$0] ?? 0))" }
        parts.append("\"probabilities\":{\(probs.joined(separator: ","))}")
        parts.append("\"logits\":[\(logits.map(Self.number).joined(separator: ","))]")
        if includeTopK {
            let top = topK.map { "{\"label\":\(JSONParser.quote($0.label)),\"score\":\(Self.number($0.score))}" }
            parts.append("\"top_k\":[\(top.joined(separator: ","))]")
        }
        if includeWindows { parts.append("\"windows\":\(windows)") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// Output keys of copied fields: unchanged unless they clash with an output key, else
    /// "input_" prepended until the key is free (of output keys and of every other field's key).
    static func outputNames(of fields: [RawField]) -> [String] {
        var taken = outputKeys.union(fields.map(\.key).filter { !outputKeys.contains($0) })
        return fields.map { f in
            guard outputKeys.contains(f.key) else { return f.key }
            var key = "input_" + f.key
            while taken.contains(key) { key = "input_" + key }
            taken.insert(key)
            return key
        }
    }

    /// Shortest round-tripping decimal form of a Float (valid JSON), or null when not finite.
    static func number(_ x: Float) -> String { x.isFinite ? "\(x)" : "null" }
}
