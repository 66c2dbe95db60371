// Multinomial logistic regression with an L2 penalty, scikit-learn's
// `LogisticRegression(solver="lbfgs", penalty="l2", C=C, class_weight=...)` objective:
//   f(W, b) = (1/S) Σᵢ sᵢ · (logsumexp(zᵢ) − zᵢ[yᵢ]) + 1/(2·C·S) · ‖W‖²,   zᵢ = W xᵢ + b,
// sᵢ = class weight of yᵢ (1 without class weights), S = Σᵢ sᵢ; the intercept b is not
// penalised. Minimised by L-BFGS to max|∇f| ≤ tolerance. Parameters live in one vector:
// W transposed (features × classes, so a sparse row's update touches K contiguous values),
// then b (K).
import Foundation

struct LogisticRegressionFit {
    var weightsByFeature: [Double]  // V × K
    var intercept: [Double]         // K
    var iterations: Int
    var converged: Bool
    var objective: Double
}

enum LogisticRegression {
    /// Fits on sparse rows `x` (n × features) with labels `y` in 0..<classes and per-sample weights.
    static func fit(x: SparseRows, features: Int, y: [Int], classes: Int, sampleWeights: [Double], c: Double,
                    tolerance: Double, maxIterations: Int) -> LogisticRegressionFit {
        let k = classes, wCount = features * k
        let s = sampleWeights.reduce(0, +)
        let objective = { (theta: [Double], grad: inout [Double]) -> Double in
            lossAndGradient(theta, x: x, y: y, k: k, wCount: wCount, sampleWeights: sampleWeights,
                            scale: 1 / s, penalty: 1 / (c * s), grad: &grad)
        }
        let solver = LBFGS(memory: 10, maxIterations: maxIterations, gradientTolerance: tolerance)
        let r = solver.minimize([Double](repeating: 0, count: wCount + k), evaluate: objective)
        return LogisticRegressionFit(weightsByFeature: Array(r.x[0..<wCount]), intercept: Array(r.x[wCount...]),
                                     iterations: r.iterations, converged: r.converged, objective: r.value)
    }

    /// f(θ) and ∇f(θ) (written to grad) for the objective above.
    static func lossAndGradient(_ theta: [Double], x: SparseRows, y: [Int], k: Int, wCount: Int, sampleWeights: [Double],
                                scale: Double, penalty: Double, grad: inout [Double]) -> Double {
        var loss = 0.0
        theta.withUnsafeBufferPointer { t in grad.withUnsafeMutableBufferPointer { g in
            // Penalty term: g_W = penalty · W, f += penalty/2 · ‖W‖².
            for i in 0..<wCount { g[i] = penalty * t[i]; loss += 0.5 * penalty * t[i] * t[i] }
            for j in 0..<k { g[wCount + j] = 0 }
            var z = [Double](repeating: 0, count: k)
            for row in 0..<x.rows {
                for j in 0..<k { z[j] = t[wCount + j] }
                let range = x.rowStart[row]..<x.rowStart[row + 1]
                for p in range {
                    let base = Int(x.columns[p]) * k, v = x.values[p]
                    for j in 0..<k { z[j] += v * t[base + j] }
                }
                let m = z.max() ?? 0, zy = z[y[row]]
                var sum = 0.0
                for j in 0..<k { z[j] = exp(z[j] - m); sum += z[j] }
                let w = sampleWeights[row] * scale
                loss += w * (log(sum) + m - zy)
                // Residual r_j = w · (p_j − [j = y]), reusing z.
                for j in 0..<k { z[j] = w * (z[j] / sum - (j == y[row] ? 1 : 0)) }
                for p in range {
                    let base = Int(x.columns[p]) * k, v = x.values[p]
                    for j in 0..<k { g[base + j] += v * z[j] }
                }
                for j in 0..<k { g[wCount + j] += z[j] }
            }
        } }
        return loss
    }
}
