// Softmax + cross-entropy over class logits, mirroring F.cross_entropy(logits, labels,
// weight=classWeights, reduction="mean"): unweighted = mean over the batch; weighted =
// Σ w[y]·nll / Σ w[y] (PyTorch's weighted mean).
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// probs(B, K) = softmax(logits(B, K)); returns the mean loss. labels(B) in [0, K);
/// classWeights(K) optional. Throws (before writing anything) for a label out of range or
/// class weights whose sum over the batch's labels is not positive.
public func softmaxCrossEntropyForward(
    probs: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
    classWeights: UnsafePointer<Float>?, batch: Int, classes: Int
) throws -> Float {
    try checkIndices(labels, count: batch, limit: classes, what: "label")
    guard batch > 0 else { return 0 }
    _ = try batchWeightSum(labels, classWeights, batch)
    var total: Double = 0, weightSum: Double = 0
    for b in 0..<batch {
        let row = probs + b * classes, x = logits + b * classes
        row.update(from: x, count: classes)
        softmaxRow(row, classes)
        // nll = logsumexp(x) − x[y], computed from the max-shifted logits for accuracy.
        var m = -Float.infinity
        for j in 0..<classes { m = max(m, x[j]) }
        var s: Double = 0
        for j in 0..<classes { s += Double(expf(x[j] - m)) }
        let y = Int(labels[b])
        let nll = Double(m) + log(s) - Double(x[y])
        let w = Double(classWeights?[y] ?? 1)
        total += w * nll; weightSum += w
    }
    return Float(total / weightSum)
}

/// dLogits(B, K) += (probs − onehot(label))·w[y] / Σ_b w[y_b] (w ≡ 1 without weights), the
/// gradient of the mean loss returned by the forward.
public func softmaxCrossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
    classWeights: UnsafePointer<Float>?, batch: Int, classes: Int
) throws {
    try checkIndices(labels, count: batch, limit: classes, what: "label")
    guard batch > 0 else { return }
    let weightSum = try batchWeightSum(labels, classWeights, batch)
    for b in 0..<batch {
        let y = Int(labels[b])
        let f = (classWeights?[y] ?? 1) / weightSum
        let d = dLogits + b * classes, p = probs + b * classes
        for j in 0..<classes { d[j] += f * (p[j] - (j == y ? 1 : 0)) }
    }
}

/// Σ_b w[labels[b]] (batch without weights); throws unless positive and finite.
private func batchWeightSum(_ labels: UnsafePointer<Int32>, _ weights: UnsafePointer<Float>?,
                            _ batch: Int) throws -> Float {
    guard let weights else { return Float(batch) }
    var sum: Float = 0
    for b in 0..<batch { sum += weights[Int(labels[b])] }
    guard sum > 0, sum.isFinite else { throw KernelsError.invalidClassWeightSum(sum) }
    return sum
}
