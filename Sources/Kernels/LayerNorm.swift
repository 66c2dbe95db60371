// Layer normalisation over the last dimension (nn.LayerNorm): biased variance, eps inside the
// square root, per-row mean and 1/σ cached for backward. Rows are split over both cores.

/// out(rows, dim) = (x − mean)·rstd·gamma + beta; mean(rows), rstd(rows) = 1/√(var + eps) saved.
public func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    rows: Int, dim: Int, eps: Float
) {
    guard dim > 0 else { return }
    parallelRanges(rows, costPerItem: 8 * dim) { range in
        for r in range {
            let x = input + r * dim, y = out + r * dim
            // Two passes in float32 (SIMD lanes): mean, then the centred variance (no E[x²]−E[x]² cancellation).
            let m = sum(x, dim) / Float(dim)
            let v = centredSquareSum(x, dim, m) / Float(dim)
            let s = 1 / (v + eps).squareRoot()
            mean[r] = m; rstd[r] = s
            normalise(y, x, gamma, beta, dim, m, s)
        }
    }
}

/// Accumulates: with x̂ = (x − mean)·rstd and g = dOut·gamma,
/// dInput += rstd·(g − mean(g) − x̂·mean(g·x̂)); dGamma += Σ_rows dOut·x̂; dBeta += Σ_rows dOut.
public func layerNormBackward(
    dInput: UnsafeMutablePointer<Float>, dGamma: UnsafeMutablePointer<Float>,
    dBeta: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
    input: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    gamma: UnsafePointer<Float>, rows: Int, dim: Int
) {
    guard dim > 0, rows > 0 else { return }
    // dInput rows are independent: both cores. dGamma/dBeta reduce over rows: one core each
    // for its own partial sums, summed at the end.
    let workers = rows * dim >= 16_384 ? min(kernelWorkerCount, rows) : 1
    let partial = UnsafeMutablePointer<Float>.allocate(capacity: workers * 2 * dim)
    partial.initialize(repeating: 0, count: workers * 2 * dim)
    defer { partial.deallocate() }
    let chunk = (rows + workers - 1) / workers
    parallelRanges(workers, costPerItem: 1 << 20) { ws in
        for w in ws {
            let pg = partial + w * 2 * dim, pb = pg + dim
            for r in (w * chunk)..<min(rows, (w + 1) * chunk) {
                layerNormRowBackward(dInput + r * dim, pg, pb, dOut + r * dim, input + r * dim,
                                     mean[r], rstd[r], gamma, dim)
            }
        }
    }
    for w in 0..<workers {
        addInPlace(dGamma, partial + w * 2 * dim, count: dim)
        addInPlace(dBeta, partial + w * 2 * dim + dim, count: dim)
    }
}

@inline(__always)
private func layerNormRowBackward(
    _ dx: UnsafeMutablePointer<Float>, _ dGamma: UnsafeMutablePointer<Float>,
    _ dBeta: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ m: Float, _ s: Float, _ gamma: UnsafePointer<Float>, _ dim: Int
) {
    let mv = SIMD16<Float>(repeating: m), sv = SIMD16<Float>(repeating: s)
    var accG = SIMD16<Float>(), accGX = SIMD16<Float>(), i = 0
    while i + 16 <= dim {
        let xh = (load16(x + i) - mv) * sv, d = load16(dy + i)
        let g = d * load16(gamma + i)
        accG += g; accGX += g * xh
        store16(dGamma + i, load16(dGamma + i) + d * xh)
        store16(dBeta + i, load16(dBeta + i) + d)
        i += 16
    }
    var sumG = accG.sum(), sumGX = accGX.sum()
    while i < dim {
        let xh = (x[i] - m) * s, g = dy[i] * gamma[i]
        sumG += g; sumGX += g * xh
        dGamma[i] += dy[i] * xh; dBeta[i] += dy[i]
        i += 1
    }
    let meanG = SIMD16<Float>(repeating: sumG / Float(dim)), meanGX = SIMD16<Float>(repeating: sumGX / Float(dim))
    i = 0
    while i + 16 <= dim {
        let xh = (load16(x + i) - mv) * sv
        store16(dx + i, load16(dx + i) + sv * (load16(dy + i) * load16(gamma + i) - meanG - xh * meanGX))
        i += 16
    }
    while i < dim {
        let xh = (x[i] - m) * s
        dx[i] += s * (dy[i] * gamma[i] - meanG[0] - xh * meanGX[0])
        i += 1
    }
}

@inline(__always)
private func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>(), i = 0
    while i + 16 <= n { acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self); i += 16 }
    var s = acc.sum()
    while i < n { s += x[i]; i += 1 }
    return s
}

@inline(__always)
private func centredSquareSum(_ x: UnsafePointer<Float>, _ n: Int, _ m: Float) -> Float {
    var acc = SIMD16<Float>(), i = 0
    let mv = SIMD16<Float>(repeating: m)
    while i + 16 <= n {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - mv
        acc += d * d; i += 16
    }
    var s = acc.sum()
    while i < n { let d = x[i] - m; s += d * d; i += 1 }
    return s
}

@inline(__always)
private func normalise(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                       _ gamma: UnsafePointer<Float>, _ beta: UnsafePointer<Float>,
                       _ n: Int, _ m: Float, _ s: Float) {
    var i = 0
    let mv = SIMD16<Float>(repeating: m), sv = SIMD16<Float>(repeating: s)
    while i + 16 <= n {
        let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        let g = UnsafeRawPointer(gamma + i).loadUnaligned(as: SIMD16<Float>.self)
        let b = UnsafeRawPointer(beta + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: (xv - mv) * sv * g + b, as: SIMD16<Float>.self)
        i += 16
    }
    while i < n { y[i] = (x[i] - m) * s * gamma[i] + beta[i]; i += 1 }
}
