// One JSONL output line per prediction, as `docket classify` writes it (a PredictionRecord):
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
        record(labels: labels, document: document, includeTopK: includeTopK, includeWindows: includeWindows,
               multiLabel: multiLabel).json
    }

    /// `jsonLine` as a PredictionRecord (PredictionWriter writes it).
    public func record(labels: [String], document: Document? = nil, includeTopK: Bool = false,
                       includeWindows: Bool = false, multiLabel: Bool = false) -> PredictionRecord {
        var r = PredictionRecord()
        if let document {
            for (f, key) in zip(document.fields, Self.outputNames(of: document.fields)) { r.add(key, json: f.json) }
            if let gold = document.label { r.add("gold_label", string: gold) }
            if let gold = document.labels { r.add("gold_labels", strings: gold) }
        }
        if multiLabel { r.add("labels", strings: self.labels) }
        r.add("label", string: label)
        r.add("score", json: Self.number(score))
        let probs = labels.map { "\(JSONParser.quote($0)):\(Self.number(probabilities[$0] ?? 0))" }
        r.add("probabilities", json: "{\(probs.joined(separator: ","))}")
        r.add("logits", json: "[\(logits.map(Self.number).joined(separator: ","))]")
        if includeTopK {
            let top = topK.map { "{\"label\":\(JSONParser.quote($0.label)),\"score\":\(Self.number($0.score))}" }
            r.add("top_k", json: "[\(top.joined(separator: ","))]")
        }
        if includeWindows { r.add("windows", number: windows) }
        return r
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
