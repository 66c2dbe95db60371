// Chunked-document training loss (finetune --long-documents chunk): every window of a document
// is a row of the batch; the document's probability is pooled over its windows exactly as
// `classify --long-documents chunk` pools them (TextClassifier+Batching.swift), and the loss is
// the cross-entropy of that pooled probability, so training optimises what inference reports:
//   p_w  = softmax(l_w)                                        per window w of document d
//   mean: P_d = (1/n_d) Σ_w p_w
//   max:  M_d[j] = max_w p_w[j],  P_d = M_d / Σ_j M_d[j]         (renormalised)
//   loss = Σ_d c[y_d]·(−log P_d[y_d]) / Σ_d c[y_d]             (c ≡ 1 without class weights)
// Backward (hand-written):
//   mean: ∂l_w[i] = a·p_w[i]·([i = y] − p_w[y]),  a = −c[y] / (Z·n_d·P_d[y]),  Z = Σ_d c[y_d]
//   max:  ∂M[j] = −c[y]/Z·([j = y]/M[y] − 1/Σ M) routed to the window holding the max of label j,
//         then ∂l_w[i] = p_w[i]·(g_w[i] − Σ_j g_w[j]·p_w[j])
// Scripts/fixtures/pooling_reference.py (window_pooled_loss) is the PyTorch reference.
import Foundation

/// How the windows of one document are pooled (classify's `--window-pooling`).
public enum WindowPooling: String, Sendable, Codable, CaseIterable {
    case mean, max
}

public enum WindowPooledLoss {
    /// The mean (class-weighted) loss of `documents` (row → document index 0..<D, each
    /// document's rows contiguous) given window logits (rows × k) and one label per document;
    /// writes ∂loss/∂logits into `dLogits` (rows × k).
    public static func lossAndGradient(logits: [Float], documents: [Int], labels: [Int], classWeights: [Float]?,
                                       pooling: WindowPooling, k: Int, dLogits: inout [Float]) throws -> Float {
        let rows = documents.count
        guard logits.count == rows * k, dLogits.count == rows * k, k > 0 else {
            throw TrainingError.invalidArgument("window logits (\(logits.count)) do not match \(rows) rows × \(k) labels")
        }
        var probs = [Double](repeating: 0, count: rows * k)
        for r in 0..<rows {
            let row = logits[(r * k)..<((r + 1) * k)].map(Double.init)
            let m = row.max() ?? 0
            let e = row.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
            for j in 0..<k { probs[r * k + j] = e[j] / s }
        }
        var z = 0.0
        for y in labels { z += Double(classWeights?[y] ?? 1) }
        guard z > 0, z.isFinite else { throw TrainingError.invalidArgument("class weights of the batch's labels sum to \(z)") }
        var loss = 0.0
        var g = [Double](repeating: 0, count: rows * k)  // ∂loss/∂p_w
        var start = 0
        while start < rows {
            let d = documents[start]
            var end = start
            while end < rows && documents[end] == d { end += 1 }
            guard d >= 0, d < labels.count else { throw TrainingError.invalidArgument("window of unknown document \(d)") }
            let y = labels[d], c = Double(classWeights?[y] ?? 1), n = Double(end - start)
            switch pooling {
            case .mean:
                var py = 0.0
                for r in start..<end { py += probs[r * k + y] }
                py /= n
                loss += -c * Foundation.log(py)
                for r in start..<end { g[r * k + y] = -c / (z * n * py) }
            case .max:
                var best = [Int](repeating: start, count: k), mx = [Double](repeating: -1, count: k)
                for r in start..<end { for j in 0..<k where probs[r * k + j] > mx[j] { mx[j] = probs[r * k + j]; best[j] = r } }
                let s = mx.reduce(0, +)
                loss += -c * (Foundation.log(mx[y]) - Foundation.log(s))
                for j in 0..<k { g[best[j] * k + j] += -c / z * ((j == y ? 1 / mx[y] : 0) - 1 / s) }
            }
            start = end
        }
        for r in 0..<rows {  // softmax backward per window
            var dot = 0.0
            for j in 0..<k { dot += g[r * k + j] * probs[r * k + j] }
            for i in 0..<k { dLogits[r * k + i] = Float(probs[r * k + i] * (g[r * k + i] - dot)) }
        }
        return Float(loss / z)
    }
}
