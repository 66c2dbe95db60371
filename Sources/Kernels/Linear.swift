// Fully connected layer, PyTorch nn.Linear semantics: y = x·Wᵀ + b with W stored (out, in)
// row-major. All matrix work goes to OpenBLAS sgemm; only the bias sums are done here.
import CBLAS

/// out(rows, outF) = input(rows, inF) · weight(outF, inF)ᵀ + bias(outF). `bias` nil = no bias.
public func linearForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
    rows: Int, inFeatures: Int, outFeatures: Int
) {
    guard rows > 0, outFeatures > 0 else { return }
    var beta: Float = 0
    if let bias {
        parallelRanges(rows, costPerItem: outFeatures) { rs in
            for r in rs { (out + r * outFeatures).update(from: bias, count: outFeatures) }
        }
        beta = 1
    }
    guard inFeatures > 0 else {
        if bias == nil { out.update(repeating: 0, count: rows * outFeatures) }
        return
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                Int32(rows), Int32(outFeatures), Int32(inFeatures),
                1, input, Int32(inFeatures), weight, Int32(inFeatures),
                beta, out, Int32(outFeatures))
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
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(rows), Int32(inFeatures), Int32(outFeatures),
                        1, dOut, Int32(outFeatures), weight, Int32(inFeatures),
                        1, dInput, Int32(inFeatures))
        }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                    Int32(outFeatures), Int32(inFeatures), Int32(rows),
                    1, dOut, Int32(outFeatures), input, Int32(inFeatures),
                    1, dWeight, Int32(inFeatures))
    }
    if let dBias { columnSumAccumulate(dBias, dOut, rows: rows, cols: outFeatures) }
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
