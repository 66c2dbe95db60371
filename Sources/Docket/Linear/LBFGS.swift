// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4 / 7.5) for smooth convex objectives:
// two-loop recursion over the last `memory` (s, y) pairs, initial Hessian scaling
// γ = sᵀy / yᵀy, and a backtracking line search on the Armijo condition (c₁ = 1e-4) that
// first tries the full step. Pairs with sᵀy ≤ ε‖y‖² are skipped so the inverse-Hessian
// approximation stays positive definite. Stops when max|gᵢ| ≤ gradientTolerance (scipy's
// `gtol` for unbounded L-BFGS-B, which scikit-learn passes `tol` to), when the objective stops
// decreasing (twice in a row, relative change ≤ 64·eps: scipy's ftol) or after maxIterations.
import Foundation

struct LBFGS {
    var memory = 10
    var maxIterations = 1000
    var gradientTolerance = 1e-6
    var maxLineSearch = 50

    struct Result {
        var x: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimises f starting at x0; `evaluate(x, &gradient)` returns f(x) and writes ∇f(x).
    func minimize(_ x0: [Double], evaluate: ([Double], inout [Double]) -> Double) -> Result {
        let n = x0.count
        var x = x0, g = [Double](repeating: 0, count: n)
        var f = evaluate(x, &g)
        var sList: [[Double]] = [], yList: [[Double]] = [], rho: [Double] = []
        var xNew = x, gNew = g, d = g
        var stalled = false
        for iteration in 0..<maxIterations {
            if maxAbs(g) <= gradientTolerance { return Result(x: x, value: f, iterations: iteration, converged: true) }
            direction(g, sList, yList, rho, into: &d)
            var slope = dot(g, d)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                sList.removeAll(); yList.removeAll(); rho.removeAll()
                for i in 0..<n { d[i] = -g[i] }
                slope = dot(g, d)
            }
            var step = sList.isEmpty ? min(1, 1 / max(maxAbs(g), 1e-12)) : 1
            var fNew = f, accepted = false
            for _ in 0..<maxLineSearch {
                for i in 0..<n { xNew[i] = x[i] + step * d[i] }
                fNew = evaluate(xNew, &gNew)
                if fNew.isFinite && fNew <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return Result(x: x, value: f, iterations: iteration, converged: false) }
            var s = [Double](repeating: 0, count: n), y = s
            for i in 0..<n { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i] }
            let sy = dot(s, y), yy = dot(y, y)
            if sy > 1e-10 * yy && sy > 0 {
                if sList.count == memory { sList.removeFirst(); yList.removeFirst(); rho.removeFirst() }
                sList.append(s); yList.append(y); rho.append(1 / sy)
            }
            let decrease = f - fNew
            swap(&x, &xNew); swap(&g, &gNew); f = fNew
            // scipy's ftol test (64·eps): progress stalled at machine precision. Before giving
            // up with the gradient still above tolerance, drop the curvature pairs once and retry.
            if decrease <= 64 * Double.ulpOfOne * max(abs(f), abs(f + decrease), 1) {
                if maxAbs(g) <= gradientTolerance || stalled { return Result(x: x, value: f, iterations: iteration + 1, converged: maxAbs(g) <= gradientTolerance) }
                stalled = true
                sList.removeAll(); yList.removeAll(); rho.removeAll()
            } else {
                stalled = false
            }
        }
        return Result(x: x, value: f, iterations: maxIterations, converged: maxAbs(g) <= gradientTolerance)
    }

    /// d = −H·g by the two-loop recursion.
    private func direction(_ g: [Double], _ s: [[Double]], _ y: [[Double]], _ rho: [Double], into d: inout [Double]) {
        let n = g.count
        for i in 0..<n { d[i] = -g[i] }
        var alpha = [Double](repeating: 0, count: s.count)
        for k in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[k] = rho[k] * dot(s[k], d)
            axpy(-alpha[k], y[k], &d)
        }
        if let sl = s.last, let yl = y.last {
            let gamma = dot(sl, yl) / dot(yl, yl)
            for i in 0..<n { d[i] *= gamma }
        }
        for k in 0..<s.count {
            let beta = rho[k] * dot(y[k], d)
            axpy(alpha[k] - beta, s[k], &d)
        }
    }
}

/// Σ aᵢbᵢ, 8 lanes at a time (SIMD8 accumulator: vectorised, 8 partial sums).
@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
        let n = pa.count, n8 = n & ~7
        var acc = SIMD8<Double>()
        var i = 0
        while i < n8 {
            acc += SIMD8<Double>(pa[i..<(i + 8)]) * SIMD8<Double>(pb[i..<(i + 8)])
            i += 8
        }
        var s = acc.sum()
        while i < n { s += pa[i] * pb[i]; i += 1 }
        return s
    } }
}

/// y += αx (a plain loop the compiler vectorises).
@inline(__always) func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
        for i in 0..<px.count { py[i] += alpha * px[i] }
    } }
}

@inline(__always) func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
