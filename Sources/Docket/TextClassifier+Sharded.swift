// Classification split over the ranks of a `Collective` (`docket classify` under mpirun).
// Every rank tokenizes the whole list and makes the same batch plan as `classify`; rank r runs
// the forward of batches r, r+n, …; the logits are gathered and rank 0 pools them exactly as
// one process would, so its predictions are bit-identical to `classify(texts, batchSize:)`.
import Foundation
import Training

extension TextClassifier {
    /// Predictions for `texts` in input order on rank 0, nil on the other ranks. Collective:
    /// every rank calls it with the same texts. One rank is the plain `classify`.
    public func classify(_ texts: [String], pairs: [String?]? = nil, batchSize: Int = 32, collective: Collective,
                         progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [Prediction]? {
        guard collective.size > 1 else { return try classify(texts, pairs: pairs, batchSize: batchSize, progress: progress) }
        guard batchSize >= 1 else { throw ClassifierError.invalidArgument("batch size must be at least 1") }
        if let pairs, pairs.count != texts.count {
            throw ClassifierError.invalidArgument("\(texts.count) texts but \(pairs.count) pairs")
        }
        // Linear models and ensembles are cheap or hold their own encoders: every rank scores
        // all texts and rank 0 returns them.
        guard case let .encoder(model, tokenizer) = backend else {
            let all = try classify(texts, pairs: pairs, batchSize: batchSize, progress: progress)
            return collective.isRoot ? all : nil
        }
        let sequences = try encode(texts, pairs: pairs, tokenizer: tokenizer)
        var logits = try runBatches(sequences, batchSize: batchSize, model: model, padId: Int32(tokenizer.padId),
                                    shard: (collective.rank, collective.size), progress: progress)
        // This rank's rows as (sequence index, exact in Float below 2^24; k logits) records.
        let k = labels.count
        var mine: [Float] = []
        for (s, row) in logits.enumerated() where !row.isEmpty { mine.append(Float(s)); mine += row }
        let gathered = try collective.allGather(mine.withUnsafeBytes { Array($0) })
        guard collective.isRoot else { return nil }
        for (r, bytes) in gathered.enumerated() where r != collective.rank {
            try bytes.withUnsafeBytes { raw in
                let f = raw.bindMemory(to: Float.self)
                guard f.count % (k + 1) == 0 else { throw ClassifierError.invalidArgument("rank \(r) sent \(bytes.count) bytes of logits") }
                for rec in stride(from: 0, to: f.count, by: k + 1) {
                    let s = Int(f[rec])
                    guard s >= 0, s < logits.count else { throw ClassifierError.invalidArgument("rank \(r) sent logits for sequence \(s) of \(logits.count)") }
                    logits[s] = Array(f[(rec + 1)...(rec + k)])
                }
            }
        }
        if let missing = logits.firstIndex(where: { $0.count != k }) {
            throw ClassifierError.invalidArgument("no rank returned logits for sequence \(missing)")
        }
        return predictions(sequences: sequences, logits: logits, documents: texts.count)
    }
}
