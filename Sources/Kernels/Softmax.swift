// Row softmax (max-subtracted, as PyTorch) with an optional key-padding mask, and its backward.
import CKernelsPointwise
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// In place over x(rows, cols) with row stride `stride` ≥ cols: entries whose keyMask[col] == 0
/// are first set to −Float.greatestFiniteMagnitude (float32's lowest finite value, HF's
/// masked_fill), then each row becomes softmax(row); columns cols..<stride (keys left out,
/// all padding) are set to 0. An all-masked row becomes uniform 1/cols.
func maskedSoftmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, stride: Int,
                       keyMask: UnsafePointer<Int32>?) {
    docket_masked_softmax_rows(x, Int64(rows), Int64(cols), Int64(stride), keyMask)  // CKernelsPointwise
    if cols < stride {
        for r in 0..<rows { (x + r * stride + cols).update(repeating: 0, count: stride - cols) }
    }
}

/// In place: row(n) = softmax(row) (see softmaxInPlace).
@inline(__always)
func softmaxRow(_ row: UnsafeMutablePointer<Float>, _ n: Int) { softmaxInPlace(row, n) }

/// In place over d(rows, cols) holding dL/dP: becomes dL/dS = P·(dP − Σ_j P·dP); zero where
/// keyMask[col] == 0 (the masked_fill replaced those scores, so they get no gradient).
/// Rows are `stride` apart; only the first `cols` entries of each row are used.
func softmaxBackwardRows(_ d: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>,
                         rows: Int, cols: Int, stride: Int, keyMask: UnsafePointer<Int32>?) {
    for r in 0..<rows {
        let dr = d + r * stride, pr = probs + r * stride
        var acc = SIMD16<Float>(), j = 0
        while j + 16 <= cols { acc += load16(pr + j) * load16(dr + j); j += 16 }
        var dot = acc.sum()
        while j < cols { dot += pr[j] * dr[j]; j += 1 }
        let dv = SIMD16<Float>(repeating: dot)
        j = 0
        while j + 16 <= cols { store16(dr + j, load16(pr + j) * (load16(dr + j) - dv)); j += 16 }
        while j < cols { dr[j] = pr[j] * (dr[j] - dot); j += 1 }
        if let keyMask {
            for j in 0..<cols where keyMask[j] == 0 { dr[j] = 0 }
        }
    }
}
