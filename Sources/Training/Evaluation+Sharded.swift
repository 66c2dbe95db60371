// Dev evaluation split over ranks: the examples, sorted by length as in `Evaluator.evaluate`,
// are dealt out interleaved; each rank computes logits for its share, the logits are
// all-gathered, and every rank derives the same loss (mean cross-entropy over all examples),
// predictions and metrics from them — so best-checkpoint choice and early stopping agree.
import Foundation
import Encoder
import Kernels

extension Evaluator {
    /// `evaluate` over the ranks of `collective`. Single-label without window pooling is
    /// sharded; otherwise (and with one rank) every rank runs the plain evaluation, which gives
    /// the same result everywhere because the weights are the same.
    public static func evaluate(model: TrainableModel, examples: [TrainingExample], labels: [String], batchSize: Int,
                                problemType: ProblemType, windowPooling: WindowPooling?,
                                collective: Collective) throws -> EvaluationResult {
        guard collective.size > 1, problemType == .singleLabel, windowPooling == nil else {
            return try evaluate(model: model, examples: examples, labels: labels, batchSize: batchSize,
                                problemType: problemType, windowPooling: windowPooling)
        }
        let k = model.numLabels
        let order = EpochPlanner.lengthOrder(examples.map(\.ids.count))
        let mine = interleavedShare(order, rank: collective.rank, size: collective.size)
        var flat: [Float] = []
        if !mine.isEmpty {
            let local = try evaluate(model: model, examples: mine.map { examples[$0] }, labels: labels, batchSize: batchSize,
                                     problemType: .singleLabel, windowPooling: nil)
            flat = local.logits.flatMap { $0 }
        }
        let gathered = try collective.allGather(flat.withUnsafeBytes { Array($0) })
        var allLogits = [[Float]](repeating: [], count: examples.count)
        for (r, bytes) in gathered.enumerated() {
            let share = interleavedShare(order, rank: r, size: collective.size)
            guard bytes.count == share.count * k * MemoryLayout<Float>.size else {
                throw TrainingError.invalidArgument("rank \(r) returned \(bytes.count) bytes of logits for \(share.count) dev examples")
            }
            bytes.withUnsafeBytes { raw in
                let f = raw.bindMemory(to: Float.self)
                for (j, i) in share.enumerated() { allLogits[i] = Array(f[(j * k)..<((j + 1) * k)]) }
            }
        }
        var lossSum = 0.0
        var predicted = [Int](repeating: 0, count: examples.count)
        for (i, row) in allLogits.enumerated() {
            lossSum += crossEntropy(row, label: examples[i].label)
            predicted[i] = argmax(row, row: 0, classes: k)
        }
        let metrics = try ClassificationMetrics(labels: labels, gold: examples.map(\.label), predicted: predicted)
        return EvaluationResult(loss: examples.isEmpty ? 0 : lossSum / Double(examples.count), metrics: metrics,
                                multiLabelMetrics: nil, predictions: predicted, predictedLabelSets: nil, logits: allLogits)
    }

    /// logsumexp(x) − x[y] of one row, max-shifted as in softmaxCrossEntropyForward.
    static func crossEntropy(_ x: [Float], label: Int) -> Double {
        let m = x.max() ?? 0
        let s = x.reduce(0.0) { $0 + Double(expf($1 - m)) }
        return Double(m) + log(s) - Double(x[label])
    }
}
