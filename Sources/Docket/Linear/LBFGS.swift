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
                assignScaled(g, by: -1, into: &d)
                slope = dot(g, d)
            }
            var step = sList.isEmpty ? min(1, 1 / max(maxAbs(g), 1e-12)) : 1
            var fNew = f, accepted = false
            for _ in 0..<maxLineSearch {
                combine(x, step, d, into: &xNew)
                fNew = evaluate(xNew, &gNew)
                if fNew.isFinite && fNew <= f + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            guard accepted else { return Result(x: x, value: f, iterations: iteration, converged: false) }
            var s = [Double](repeating: 0, count: n), y = s
            combine(xNew, -1, x, into: &s); combine(gNew, -1, g, into: &y)
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
        assignScaled(g, by: -1, into: &d)
        var alpha = [Double](repeating: 0, count: s.count)
        for k in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[k] = rho[k] * dot(s[k], d)
            axpy(-alpha[k], y[k], &d)
        }
        if let sl = s.last, let yl = y.last {
            let gamma = dot(sl, yl) / dot(yl, yl)
            scaleInPlace(&d, by: gamma)
        }
        for k in 0..<s.count {
            let beta = rho[k] * dot(y[k], d)
            axpy(alpha[k] - beta, s[k], &d)
        }
    }
}

// Vector helpers over raw pointers with `while` loops: UnsafePointer arithmetic and Double/Int
// operators are transparent, so these run at compiled speed in debug builds too (the test
// suite), where generic SIMD initialisers and Range iterators are unspecialised calls per element.

/// Σ aᵢbᵢ with four partial sums (independent additions the CPU overlaps).
@inline(__always) func dot(_ a: [Double], _ b: [Double]) -> Double {
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
        guard let x = pa.baseAddress, let y = pb.baseAddress else { return 0 }
        let n = min(pa.count, pb.count)
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
        while i + 4 <= n {
            s0 += x[i] * y[i]; s1 += x[i + 1] * y[i + 1]
            s2 += x[i + 2] * y[i + 2]; s3 += x[i + 3] * y[i + 3]
            i += 4
        }
        while i < n { s0 += x[i] * y[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    } }
}

/// y += αx.
@inline(__always) func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
    x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { py in
        guard let a = px.baseAddress, let b = py.baseAddress else { return }
        let n = min(px.count, py.count)
        var i = 0
        while i < n { b[i] += alpha * a[i]; i += 1 }
    } }
}

/// out = a + αb (all of one length).
@inline(__always) func combine(_ a: [Double], _ alpha: Double, _ b: [Double], into out: inout [Double]) {
    a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
        guard let x = pa.baseAddress, let y = pb.baseAddress, let o = po.baseAddress else { return }
        let n = min(pa.count, pb.count, po.count)
        var i = 0
        while i < n { o[i] = x[i] + alpha * y[i]; i += 1 }
    } } }
}

/// out = αa.
@inline(__always) func assignScaled(_ a: [Double], by alpha: Double, into out: inout [Double]) {
    a.withUnsafeBufferPointer { pa in out.withUnsafeMutableBufferPointer { po in
        guard let x = pa.baseAddress, let o = po.baseAddress else { return }
        let n = min(pa.count, po.count)
        var i = 0
        while i < n { o[i] = alpha * x[i]; i += 1 }
    } }
}

/// a *= α.
@inline(__always) func scaleInPlace(_ a: inout [Double], by alpha: Double) {
    a.withUnsafeMutableBufferPointer { pa in
        guard let x = pa.baseAddress else { return }
        var i = 0
        while i < pa.count { x[i] *= alpha; i += 1 }
    }
}

/// max |aᵢ|.
@inline(__always) func maxAbs(_ a: [Double]) -> Double {
    a.withUnsafeBufferPointer { pa in
        guard let x = pa.baseAddress else { return 0 }
        var m = 0.0, i = 0
        while i < pa.count { m = max(m, abs(x[i])); i += 1 }
        return m
    }
}
