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

    /// f(θ) and ∇f(θ) (written to grad) for the objective above. Pointer `while` loops (see
    /// LBFGS.swift's helpers): the nnz·K inner products stay at compiled speed in debug builds.
    static func lossAndGradient(_ theta: [Double], x: SparseRows, y: [Int], k: Int, wCount: Int, sampleWeights: [Double],
                                scale: Double, penalty: Double, grad: inout [Double]) -> Double {
        // Penalty term: g_W = penalty · W, f += penalty/2 · ‖W‖²; the intercept is not penalised.
        var loss = 0.5 * penalty * dot(theta, theta)
        for j in 0..<k { loss -= 0.5 * penalty * theta[wCount + j] * theta[wCount + j] }
        assignScaled(theta, by: penalty, into: &grad)
        for j in 0..<k { grad[wCount + j] = 0 }
        var z = [Double](repeating: 0, count: k)
        theta.withUnsafeBufferPointer { tb in grad.withUnsafeMutableBufferPointer { gb in z.withUnsafeMutableBufferPointer { zb in
        x.rowStart.withUnsafeBufferPointer { rs in x.columns.withUnsafeBufferPointer { cols in x.values.withUnsafeBufferPointer { vals in
            guard let t = tb.baseAddress, let g = gb.baseAddress, let z = zb.baseAddress else { return }
            var row = 0
            while row < x.rows {
                let first = rs[row], end = rs[row + 1], label = y[row]
                var j = 0
                while j < k { z[j] = t[wCount + j]; j += 1 }
                var p = first
                while p < end {  // z += W·x for the row's nonzeros
                    let w = t + Int(cols[p]) * k, v = vals[p]
                    j = 0
                    while j < k { z[j] += v * w[j]; j += 1 }
                    p += 1
                }
                var m = z[0]
                j = 1
                while j < k { m = max(m, z[j]); j += 1 }
                let zy = z[label]
                var sum = 0.0
                j = 0
                while j < k { z[j] = exp(z[j] - m); sum += z[j]; j += 1 }
                let weight = sampleWeights[row] * scale
                loss += weight * (log(sum) + m - zy)
                // Residual r_j = w · (p_j − [j = y]), reusing z.
                j = 0
                while j < k { z[j] = weight * (z[j] / sum - (j == label ? 1 : 0)); j += 1 }
                p = first
                while p < end {
                    let gw = g + Int(cols[p]) * k, v = vals[p]
                    j = 0
                    while j < k { gw[j] += v * z[j]; j += 1 }
                    p += 1
                }
                j = 0
                while j < k { g[wCount + j] += z[j]; j += 1 }
                row += 1
            }
        } } } } } }
        return loss
    }
}
