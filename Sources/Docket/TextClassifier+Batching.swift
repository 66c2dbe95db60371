// Tokenize → sort by length → padded batches → forward → softmax → pool windows per document.
import DocketBase
import Encoder
import Foundation
import Kernels
import Tokenizers

extension TextClassifier {
    /// One model input: a window of a document.
    struct ModelInput {
        let document: Int
        let encoding: Encoding
    }

    /// Tokenizes every document: one sequence each (truncate) or its overlapping windows (chunk).
    func encode(_ texts: [String], pairs: [String?]?, tokenizer: Tokenizer) throws -> [ModelInput] {
        var out: [ModelInput] = []
        out.reserveCapacity(texts.count)
        let stride: Int
        if case let .chunk(s, _) = longDocuments { stride = s } else { stride = 0 }
        for (i, text) in texts.enumerated() {
            let pair = pairs?[i] ?? nil
            let e = try tokenizer.encode(text, pair: pair, maxLength: maxLength, stride: stride)
            out.append(ModelInput(document: i, encoding: e))
            if case .chunk = longDocuments {
                for w in e.overflowing { out.append(ModelInput(document: i, encoding: w)) }
            }
        }
        return out
    }

    /// Logits (numLabels each) for every sequence, in sequence order. With a `shard` (rank r of
    /// n), only batches r, r+n, … of the same batch plan run; the other sequences' logits stay [].
    func runBatches(_ sequences: [ModelInput], batchSize: Int, model: EncoderModel, padId: Int32, shard: (rank: Int, size: Int) = (0, 1),
                    progress: (@Sendable (Int, Int) -> Void)?) throws -> [[Float]] {
        guard let pool else { throw ClassifierError.invalidArgument("encoder classifier without a workspace pool") }
        let k = labels.count
        var logits = [[Float]](repeating: [], count: sequences.count)
        // Stable sort by length so batches hold similar lengths (little padding).
        let order = sequences.indices.sorted { (sequences[$0].encoding.count, $0) < (sequences[$1].encoding.count, $1) }
        // Token budget: a batch of long sequences gets fewer rows (bounded workspace memory).
        let tokenBudget = batchSize * 128
        var start = 0, batchIndex = -1
        while start < order.count {
            let longest = sequences[order[min(order.count - 1, start + batchSize - 1)]].encoding.count
            let rows = max(1, min(batchSize, tokenBudget / max(longest, 1)))
            let chunk = Array(order[start..<min(order.count, start + rows)])
            batchIndex += 1
            guard batchIndex % shard.size == shard.rank else { start += chunk.count; continue }
            let t = chunk.map { sequences[$0].encoding.count }.max() ?? 1
            var ids = [Int32](repeating: padId, count: chunk.count * t)
            var types = [Int32](repeating: 0, count: chunk.count * t)
            var mask = [Int32](repeating: 0, count: chunk.count * t)
            for (b, s) in chunk.enumerated() {
                let e = sequences[s].encoding
                for j in 0..<e.count {
                    ids[b * t + j] = e.ids[j]
                    types[b * t + j] = j < e.typeIds.count ? e.typeIds[j] : 0
                    mask[b * t + j] = j < e.attentionMask.count ? e.attentionMask[j] : 1
                }
            }
            let out = try pool.withWorkspace(batch: chunk.count, seqLen: t) { ws -> [Float] in
                var rng = SeededRNG(seed: 0)
                let r = try model.forward(ids: ids, typeIds: types, mask: mask, batch: chunk.count, seqLen: t,
                                          workspace: ws, training: false, rng: &rng)
                return Array(r)
            }
            for (b, s) in chunk.enumerated() { logits[s] = Array(out[(b * k)..<((b + 1) * k)]) }
            start += chunk.count
            progress?(start, order.count)
        }
        return logits
    }

    /// Softmax per sequence (multi-label: sigmoid per label), pooled per document (mean or max
    /// of window probabilities, renormalised for softmax; logits pooled the same way), then
    /// label / score / top-k and, multi-label, every label above its threshold.
    func predictions(sequences: [ModelInput], logits: [[Float]], documents: Int) -> [Prediction] {
        let k = labels.count, multiLabel = problemType == .multiLabel
        var probSum = [[Double]](repeating: [Double](repeating: 0, count: k), count: documents)
        var logitSum = probSum
        var windows = [Int](repeating: 0, count: documents)
        let useMax: Bool
        if case .chunk(_, .max) = longDocuments { useMax = true } else { useMax = false }
        for (s, seq) in sequences.enumerated() {
            let p = multiLabel ? logits[s].map { 1 / (1 + Foundation.exp(-Double($0))) } : softmax(logits[s])
            let d = seq.document
            for j in 0..<k {
                if useMax && windows[d] > 0 {
                    probSum[d][j] = max(probSum[d][j], p[j]); logitSum[d][j] = max(logitSum[d][j], Double(logits[s][j]))
                } else if useMax {
                    probSum[d][j] = p[j]; logitSum[d][j] = Double(logits[s][j])
                } else {
                    probSum[d][j] += p[j]; logitSum[d][j] += Double(logits[s][j])
                }
            }
            windows[d] += 1
        }
        return (0..<documents).map { d in
            let total = multiLabel ? (useMax ? 1 : Double(windows[d])) : probSum[d].reduce(0, +)
            let probs = probSum[d].map { Float($0 / total) }
            let pooledLogits = logitSum[d].map { Float(useMax ? $0 : $0 / Double(windows[d])) }
            let ranked = probs.indices.sorted { (probs[$0], -$0) > (probs[$1], -$1) }
            let top = ranked.prefix(options.topK).map { LabelScore(label: labels[$0], score: probs[$0]) }
            let chosen = multiLabel ? ranked.filter { probs[$0] > decisionThresholds[$0] }.map { labels[$0] } : [top[0].label]
            return Prediction(label: top[0].label, score: top[0].score, labels: chosen,
                              probabilities: Dictionary(uniqueKeysWithValues: zip(labels, probs)),
                              logits: pooledLogits, topK: Array(top), windows: windows[d])
        }
    }

    /// A single-label prediction from one document's probabilities (label-id order): linear
    /// models and ensembles.
    func prediction(probabilities p: [Double], logits: [Float], windows: Int) -> Prediction {
        let probs = p.map { Float($0) }
        let ranked = probs.indices.sorted { (probs[$0], -$0) > (probs[$1], -$1) }
        let top = ranked.prefix(options.topK).map { LabelScore(label: labels[$0], score: probs[$0]) }
        return Prediction(label: top[0].label, score: top[0].score,
                          probabilities: Dictionary(uniqueKeysWithValues: zip(labels, probs)),
                          logits: logits, topK: Array(top), windows: windows)
    }

    /// Numerically stable softmax in Double.
    func softmax(_ x: [Float]) -> [Double] {
        let m = Double(x.max() ?? 0)
        let e = x.map { Foundation.exp(Double($0) - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
