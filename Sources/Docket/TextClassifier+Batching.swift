// Tokenize → sort by length → padded batches → forward → softmax → pool windows per document.
import Encoder
import Foundation
import Tokenizers
import Training

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

    /// Logits (numLabels each) for every sequence, in sequence order: length-sorted batches of
    /// at most `batchSize` rows and `batchSize` × 128 tokens (EpochPlanner.lengthSortedBatches),
    /// padded by TokenBatch. With a `shard` (rank r of n), only batches r, r+n, … of the same
    /// plan run; the other sequences' logits stay [].
    func runBatches(_ sequences: [ModelInput], batchSize: Int, model: EncoderModel, padId: Int32, shard: (rank: Int, size: Int) = (0, 1),
                    progress: (@Sendable (Int, Int) -> Void)?) throws -> [[Float]] {
        guard let pool else { throw ClassifierError.invalidArgument("encoder classifier without a workspace pool") }
        let k = labels.count
        var logits = [[Float]](repeating: [], count: sequences.count)
        let rows = sequences.map { TrainingExample(ids: $0.encoding.ids, typeIds: $0.encoding.typeIds, label: 0) }
        let plan = EpochPlanner.lengthSortedBatches(lengths: rows.map(\.ids.count), batchSize: batchSize, tokenBudget: batchSize * 128)
        var done = 0
        for (batchIndex, chunk) in plan.enumerated() {
            done += chunk.count
            guard batchIndex % shard.size == shard.rank else { continue }
            guard chunk.contains(where: { !rows[$0].ids.isEmpty }) else {
                throw ClassifierError.invalidArgument("document \(sequences[chunk[0]].document + 1) has no tokens")
            }
            let batch = TokenBatch(examples: rows, indices: chunk, padId: padId)
            let out = try pool.withWorkspace(batch: batch.batch, seqLen: batch.seqLen) { ws -> [Float] in
                Array(try model.logits(ids: batch.ids, typeIds: batch.typeIds, mask: batch.mask, batch: batch.batch,
                                       seqLen: batch.seqLen, workspace: ws))
            }
            for (b, s) in chunk.enumerated() { logits[s] = Array(out[(b * k)..<((b + 1) * k)]) }
            progress?(done, sequences.count)
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
