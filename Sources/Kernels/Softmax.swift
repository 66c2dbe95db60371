// Row softmax (max-subtracted, as PyTorch) with an optional key-padding mask, and its backward.
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// In place over x(rows, cols): entries whose keyMask[col] == 0 are first set to
/// −Float.greatestFiniteMagnitude (float32's lowest finite value, HF's masked_fill), then each
/// row becomes softmax(row). An all-masked row becomes uniform 1/cols.
func maskedSoftmaxRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                       keyMask: UnsafePointer<Int32>?) {
    for r in 0..<rows {
        let row = x + r * cols
        if let keyMask {
            for j in 0..<cols where keyMask[j] == 0 { row[j] = -Float.greatestFiniteMagnitude }
        }
        softmaxRow(row, cols)
    }
}

/// In place: row(n) = exp(row − max) / Σ exp(row − max).
@inline(__always)
func softmaxRow(_ row: UnsafeMutablePointer<Float>, _ n: Int) {
    var m = -Float.infinity
    for j in 0..<n { m = max(m, row[j]) }
    var s: Float = 0
    for j in 0..<n { let e = expf(row[j] - m); row[j] = e; s += e }
    let inv = 1 / s
    for j in 0..<n { row[j] *= inv }
}

/// In place over d(rows, cols) holding dL/dP: becomes dL/dS = P·(dP − Σ_j P·dP); zero where
/// keyMask[col] == 0 (the masked_fill replaced those scores, so they get no gradient).
func softmaxBackwardRows(_ d: UnsafeMutablePointer<Float>, probs: UnsafePointer<Float>,
                         rows: Int, cols: Int, keyMask: UnsafePointer<Int32>?) {
    for r in 0..<rows {
        let dr = d + r * cols, pr = probs + r * cols
        var dot: Float = 0
        for j in 0..<cols { dot += pr[j] * dr[j] }
        for j in 0..<cols { dr[j] = pr[j] * (dr[j] - dot) }
        if let keyMask {
            for j in 0..<cols where keyMask[j] == 0 { dr[j] = 0 }
        }
    }
}
