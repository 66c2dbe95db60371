// Fully connected layer, PyTorch nn.Linear semantics: y = x·Wᵀ + b with W stored (out, in)
// row-major. All matrix work goes to oneDNN's sgemm (JIT-compiled for the CPU's instruction
// set, see ComputeDispatch); only the bias copies and sums are done here, inside the
// products' row parts (the rows are still in cache when the product reads them).
//
// Threading: each product's output rows are split over the cores, every part a sgemm on the
// calling thread only (CDNNL). A library thread pool would otherwise spin against the
// elementwise and attention work that runs on both cores in between (measured with OpenBLAS's
// pool: 15–25% of training samples in the scheduler). Results are deterministic for a fixed
// core count.
import CDNNL

/// out(rows, outF) = input(rows, inF) · weight(outF, inF)ᵀ + bias(outF). `bias` nil = no bias.
public func linearForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    guard rows > 0, outFeatures > 0 else { return }
    guard inFeatures > 0 else {
        if let bias {
            for r in 0..<rows { (out + r * outFeatures).update(from: bias, count: outFeatures) }
        } else {
            out.update(repeating: 0, count: rows * outFeatures)
        }
        return
    }
    // Each part writes the bias into its rows just before its product adds to them (beta 1),
    // so the rows are still in cache when the product reads them.
    sgemmSplittingRows(transA: false, transB: true, m: rows, n: outFeatures, k: inFeatures, alpha: 1,
                       a: input, lda: inFeatures, b: weight, ldb: inFeatures, beta: bias == nil ? 0 : 1,
                       c: out, ldc: outFeatures, beforePart: bias.map { bias in { rs in
                           for r in rs { (out + r * outFeatures).update(from: bias, count: outFeatures) }
                       } })
}

/// Accumulates the gradients of linearForward:
/// dInput(rows, inF) += dOut(rows, outF)·weight(outF, inF);  dWeight(outF, inF) += dOutᵀ·input;
/// dBias(outF) += Σ_rows dOut. dInput / dBias nil = not needed.
public func linearBackward(
    dInput: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>,
    input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    guard rows > 0, outFeatures > 0 else { return }
    if inFeatures > 0 {
        if let dInput {
            sgemmSplittingRows(transA: false, transB: false, m: rows, n: inFeatures, k: outFeatures, alpha: 1,
                               a: dOut, lda: outFeatures, b: weight, ldb: inFeatures, beta: 1, c: dInput, ldc: inFeatures)
        }
        // dWeight's rows are output features: each part also sums its features' dOut columns
        // into dBias (the same row order as columnSumAccumulate, so the same bits).
        sgemmSplittingRows(transA: true, transB: false, m: outFeatures, n: inFeatures, k: rows, alpha: 1,
                           a: dOut, lda: outFeatures, b: input, ldb: inFeatures, beta: 1, c: dWeight, ldc: inFeatures,
                           beforePart: dBias.map { dBias in { fs in
                               for r in 0..<rows { addInPlace(dBias + fs.lowerBound, dOut + r * outFeatures + fs.lowerBound, count: fs.count) }
                           } })
    } else if let dBias {
        columnSumAccumulate(dBias, dOut, rows: rows, cols: outFeatures)
    }
}

/// dst(cols) += Σ_r src(r, cols), vectorised over columns; large sums split the columns
/// (in 16-float blocks) over the cores.
func columnSumAccumulate(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>,
                         rows: Int, cols: Int) {
    let blocks = (cols + 15) / 16
    parallelRanges(blocks, costPerItem: 16 * rows) { bs in
        let lo = bs.lowerBound * 16, n = min(cols, bs.upperBound * 16) - lo
        for r in 0..<rows { addInPlace(dst + lo, src + r * cols + lo, count: n) }
    }
}

/// Row-major c(m, n) = alpha·op(a)(m, k)·op(b)(k, n) + beta·c, op = transpose when asked, with
/// c's rows split over the cores (see the file comment). Serial when GEMMThreads.count is 1
/// (the caller runs several workers) or the product is small. `beforePart(rows)` runs on the
/// part's thread just before the part's product (the whole 0..<m when there is one part).
public func sgemmSplittingRows(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
                               beforePart: ((Range<Int>) -> Void)? = nil) {
    guard m > 0, n > 0 else { return }
    let callerThreads = GEMMThreads.count
    let flops = m &* n &* k
    let parts = callerThreads > 1 && flops >= 1 << 21 ? min(kernelWorkerCount, callerThreads, (m + 7) / 8) : 1
    let chunk = ((m + parts - 1) / parts + 7) / 8 * 8
    parallelRanges(parts, costPerItem: 1 << 17) { ps in
        for p in ps {
            let r0 = p * chunk, r1 = min(m, r0 + chunk)
            guard r0 < r1 else { continue }
            beforePart?(r0..<r1)
            // row r0 of op(a): row r0 of a, or column r0 of a when transposed
            let aPart = transA ? a + r0 : a + r0 * lda
            sgemm(transA: transA, transB: transB, m: r1 - r0, n: n, k: k, alpha: alpha, a: aPart, lda: lda,
                  b: b, ldb: ldb, beta: beta, c: c + r0 * ldc, ldc: ldc)
        }
    }
}

/// Row-major c(m, n) = alpha·op(a)(m, k)·op(b)(k, n) + beta·c on the calling thread (oneDNN
/// dnnl_sgemm). oneDNN fails only on invalid sizes, which the callers' shapes rule out, or
/// when its packing scratch cannot be allocated.
@inline(__always)
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    _ = docket_dnnl_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int64(m), Int64(n), Int64(k), alpha,
                          a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
}
