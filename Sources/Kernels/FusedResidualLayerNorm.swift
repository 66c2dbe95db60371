// Fused residual add + LayerNorm (forward), rows split over the cores, each row kept hot in L1:
//   r = x + residual   (written back into x: it is LayerNorm's input, kept for backward)
//   out = (r − mean)·rstd·gamma + beta,  mean(rows), rstd(rows) = 1/√(var + eps) saved
// Two passes in float32 like PyTorch's CPU kernel (mean, then the centred variance), with
// 8-lane partial sums. Backward is layerNormBackward on the saved r/mean/rstd. Its references
// are residualAdd + layerNormForward (Elementwise.swift, LayerNorm.swift; FusedKernelTests).

/// x(rows, dim) += residual; out = LN(x) with gamma/beta; saves mean/rstd per row.
public func residualLayerNormForward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
                                     rstd: UnsafeMutablePointer<Float>, x: UnsafeMutablePointer<Float>,
                                     residual: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                                     beta: UnsafePointer<Float>, rows: Int, dim: Int, eps: Float) {
    parallelRows(rows, costPerRow: 8 * dim) { range in
        for r in range {
            let row = x + r * dim, res = residual + r * dim, y = out + r * dim
            let m = addAndSum(row, res, dim) / Float(dim)
            let s = 1 / (centredSquareSum(row, dim, m) / Float(dim) + eps).squareRoot()
            mean[r] = m; rstd[r] = s
            affineNormalizedRow(y, row, m, s, gamma, beta, dim)
        }
    }
}

/// out(rows, dim) = (x − mean)·rstd·gamma + beta from saved statistics: the same arithmetic
/// as residualLayerNormForward, so backward rebuilds a LayerNorm output bit for bit.
public func layerNormFromStatistics(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
                                    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                                    gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, rows: Int, dim: Int) {
    parallelRows(rows, costPerRow: 3 * dim) { range in
        for r in range { affineNormalizedRow(out + r * dim, x + r * dim, mean[r], rstd[r], gamma, beta, dim) }
    }
}

/// y = (row − m)·s·gamma + beta, one row.
@inline(__always)
private func affineNormalizedRow(_ y: UnsafeMutablePointer<Float>, _ row: UnsafePointer<Float>, _ m: Float, _ s: Float,
                                 _ gamma: UnsafePointer<Float>, _ beta: UnsafePointer<Float>, _ dim: Int) {
    for j in 0..<dim { y[j] = (row[j] - m) * s * gamma[j] + beta[j] }
}

/// row += res; returns Σ row (8 partial sums, then a scalar tail).
@inline(__always)
private func addAndSum(_ row: UnsafeMutablePointer<Float>, _ res: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0), j = 0
    while j + 8 <= n {
        let v = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self)
            + UnsafeRawPointer(res + j).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(row + j).storeBytes(of: v, as: SIMD8<Float>.self)
        acc += v
        j += 8
    }
    var total = acc.sum()
    while j < n { row[j] += res[j]; total += row[j]; j += 1 }
    return total
}

/// Σ (row − m)² with 8 partial sums.
@inline(__always)
private func centredSquareSum(_ row: UnsafePointer<Float>, _ n: Int, _ m: Float) -> Float {
    var acc = SIMD8<Float>(repeating: 0), j = 0
    let mv = SIMD8<Float>(repeating: m)
    while j + 8 <= n {
        let d = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Float>.self) - mv
        acc += d * d
        j += 8
    }
    var total = acc.sum()
    while j < n { let d = row[j] - m; total += d * d; j += 1 }
    return total
}
