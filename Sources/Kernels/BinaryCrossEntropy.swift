// Sigmoid + binary cross-entropy over independent label logits, mirroring
// torch.nn.BCEWithLogitsLoss(reduction="mean") as transformers' multi-label classifiers use it:
//   loss = mean over (B, K) of  max(x, 0) − x·y + log(1 + exp(−|x|))   (stable form)
//   dLoss/dx = (sigmoid(x) − y) / (B·K)
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Mean BCE-with-logits of logits(B, K) against targets(B, K) in [0, 1]; probs(B, K) receives
/// sigmoid(logits). Throws (before writing anything) for a target outside [0, 1].
public func sigmoidBinaryCrossEntropyForward(
    probs: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, targets: UnsafePointer<Float>,
    batch: Int, classes: Int
) throws -> Float {
    let n = batch * classes
    for i in 0..<n where !(targets[i] >= 0 && targets[i] <= 1) { throw KernelsError.invalidTarget(index: i, value: targets[i]) }
    guard n > 0 else { return 0 }
    var total: Double = 0
    for i in 0..<n {
        let x = logits[i], y = targets[i]
        total += Double(max(x, 0) - x * y + log1pf(expf(-abs(x))))
        probs[i] = sigmoid(x)
    }
    return Float(total / Double(n))
}

/// dLogits(B, K) += (probs − targets) / (B·K): the gradient of the mean loss above.
public func sigmoidBinaryCrossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>, targets: UnsafePointer<Float>,
    batch: Int, classes: Int
) {
    let n = batch * classes
    guard n > 0 else { return }
    let f = 1 / Float(n)
    for i in 0..<n { dLogits[i] += f * (probs[i] - targets[i]) }
}

/// probs(n) = sigmoid(logits(n)) (multi-label inference probabilities).
public func sigmoidForward(probs: UnsafeMutablePointer<Float>, logits: UnsafePointer<Float>, count: Int) {
    for i in 0..<count { probs[i] = sigmoid(logits[i]) }
}

/// 1 / (1 + e^−x), without overflow for large |x|.
@inline(__always) func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
}
