// Choosing ensemble weights on labelled dev data (see Ensemble.swift for the pooling rule).
// Weights are w = exp(u) (so w > 0) and u minimises
//   L(u) = (1/S) Σᵢ sᵢ · (logsumexp(zᵢ) − zᵢ[yᵢ]) + 1e-4 · ‖u‖²,   zᵢ = Σₘ wₘ log pₘᵢ,
// sᵢ = n / (K · count[yᵢ]) (balanced), by L-BFGS; the tiny penalty keeps a useless member's
// weight finite. `crossFitted` estimates how a fit generalises: the documents are split into
// folds (i mod k); each fold is scored with weights fitted on the others.
import Foundation

extension Ensemble {
    /// Probabilities of every member on `texts`: [member][document][label], in `labels` order.
    public func memberProbabilities(_ texts: [String], batchSize: Int = 16) throws -> [[[Double]]] {
        try members.map { m in
            try m.classifier.classify(texts, batchSize: batchSize).map { p in labels.map { Double(p.probabilities[$0] ?? 0) } }
        }
    }

    /// Pooled probabilities for given weights: [document][label].
    public static func pool(_ memberProbabilities: [[[Double]]], weights: [Double]) -> [[Double]] {
        guard let first = memberProbabilities.first else { return [] }
        return first.indices.map { i in
            var z = [Double](repeating: 0, count: first[i].count)
            for (m, probs) in memberProbabilities.enumerated() {
                for j in z.indices { z[j] += weights[m] * safeLog(probs[i][j]) }
            }
            return softmax(z)
        }
    }

    /// Weights minimising the class-balanced NLL of the pooled probabilities on (probabilities, gold).
    public static func fitWeights(_ memberProbabilities: [[[Double]]], gold: [Int], classes: Int) -> [Double] {
        let m = memberProbabilities.count, n = gold.count
        guard m > 0, n > 0 else { return [Double](repeating: 1, count: m) }
        var counts = [Double](repeating: 0, count: classes)
        for y in gold { counts[y] += 1 }
        let s = gold.map { Double(n) / (Double(classes) * counts[$0]) }
        let total = s.reduce(0, +)
        let logs = memberProbabilities.map { $0.map { $0.map(safeLog) } }
        let solver = LBFGS(memory: 5, maxIterations: 500, gradientTolerance: 1e-9)
        let r = solver.minimize([Double](repeating: 0, count: m)) { u, grad in
            let w = u.map { exp($0) }
            var loss = 0.0
            for k in 0..<m { grad[k] = 2e-4 * u[k]; loss += 1e-4 * u[k] * u[k] }
            var z = [Double](repeating: 0, count: classes)
            for i in 0..<n {
                for j in 0..<classes { z[j] = 0; for k in 0..<m { z[j] += w[k] * logs[k][i][j] } }
                let p = softmax(z), zy = z[gold[i]], mx = z.max() ?? 0
                loss += s[i] / total * (log(z.reduce(0) { $0 + exp($1 - mx) }) + mx - zy)
                for k in 0..<m {
                    var expected = 0.0
                    for j in 0..<classes { expected += p[j] * logs[k][i][j] }
                    grad[k] += s[i] / total * (expected - logs[k][i][gold[i]]) * w[k]
                }
            }
            return loss
        }
        return r.x.map { exp($0) }
    }

    /// Pooled probabilities where document i is scored with weights fitted on the other folds.
    public static func crossFitted(_ memberProbabilities: [[[Double]]], gold: [Int], classes: Int, folds: Int = 5) -> [[Double]] {
        let n = gold.count
        var out = [[Double]](repeating: [], count: n)
        let folds = max(2, folds)
        for f in 0..<folds {
            let train = (0..<n).filter { $0 % folds != f }, test = (0..<n).filter { $0 % folds == f }
            guard !test.isEmpty else { continue }
            let w = fitWeights(memberProbabilities.map { p in train.map { p[$0] } }, gold: train.map { gold[$0] }, classes: classes)
            let pooled = pool(memberProbabilities.map { p in test.map { p[$0] } }, weights: w)
            for (i, d) in test.enumerated() { out[d] = pooled[i] }
        }
        return out
    }
}
