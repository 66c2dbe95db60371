// The two-core paths (taken above a work threshold) must give the same results as the
// single-threaded ones: large calls are compared with the same kernel applied piecewise
// (small pieces stay on one thread), bit for bit where the arithmetic is identical.

import DocketBase
import XCTest
@testable import Kernels

final class ParallelPathTests: XCTestCase {
    func testElementwiseKernelsMatchPiecewise() {
        var rng = SeededRNG(seed: 11)
        let n = 70_001, piece = 97  // n ≥ 65536 takes the two-core path even for ReLU; pieces stay serial
        let x = randomArray(n, &rng, scale: 3), up = randomArray(n, &rng)
        typealias Forward = (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) -> Void
        let kernels: [(String, Forward)] = [
            ("gelu", { geluForward(out: $0, input: $1, count: $2) }),
            ("relu", { reluForward(out: $0, input: $1, count: $2) }),
            ("tanh", { tanhForward(out: $0, input: $1, count: $2) }),
        ]
        for (name, f) in kernels {
            var whole = [Float](repeating: 0, count: n), pieces = whole
            x.withUnsafeBufferPointer { xp in
                whole.withUnsafeMutableBufferPointer { f($0.baseAddress!, xp.baseAddress!, n) }
                pieces.withUnsafeMutableBufferPointer { o in
                    var i = 0
                    while i < n { let c = min(piece, n - i); f(o.baseAddress! + i, xp.baseAddress! + i, c); i += c }
                }
            }
            XCTAssertEqual(whole, pieces, "\(name): two-core result differs from single-thread")
        }
        var whole = [Float](repeating: 0.5, count: n), pieces = whole
        geluBackward(dInput: &whole, dOut: up, input: x, count: n)
        pieces.withUnsafeMutableBufferPointer { d in
            up.withUnsafeBufferPointer { u in
                x.withUnsafeBufferPointer { xp in
                    var i = 0
                    while i < n {
                        let c = min(piece, n - i)
                        geluBackward(dInput: d.baseAddress! + i, dOut: u.baseAddress! + i, input: xp.baseAddress! + i, count: c)
                        i += c
                    }
                }
            }
        }
        XCTAssertEqual(whole, pieces, "geluBackward: two-core result differs")
    }

    func testLayerNormAndLinearMatchPiecewise() {
        var rng = SeededRNG(seed: 12)
        let rows = 300, dim = 72
        let x = randomArray(rows * dim, &rng), g = randomArray(dim, &rng), b = randomArray(dim, &rng)
        let up = randomArray(rows * dim, &rng)
        var y = [Float](repeating: 0, count: rows * dim), m = [Float](repeating: 0, count: rows), s = m
        layerNormForward(out: &y, mean: &m, rstd: &s, input: x, gamma: g, beta: b, rows: rows, dim: dim, eps: 1e-12)
        var dx = [Float](repeating: 0, count: rows * dim), dg = [Float](repeating: 0, count: dim), db = dg
        layerNormBackward(dInput: &dx, dGamma: &dg, dBeta: &db, dOut: up, input: x, mean: m, rstd: s,
                          gamma: g, rows: rows, dim: dim)
        var y1 = y, dx1 = [Float](repeating: 0, count: rows * dim), dg1 = [Float](repeating: 0, count: dim), db1 = dg1
        for r in 0..<rows {
            let xr = Array(x[(r * dim)..<((r + 1) * dim)]), ur = Array(up[(r * dim)..<((r + 1) * dim)])
            var yr = [Float](repeating: 0, count: dim), mr: [Float] = [0], sr: [Float] = [0], dxr = yr
            layerNormForward(out: &yr, mean: &mr, rstd: &sr, input: xr, gamma: g, beta: b, rows: 1, dim: dim, eps: 1e-12)
            layerNormBackward(dInput: &dxr, dGamma: &dg1, dBeta: &db1, dOut: ur, input: xr, mean: mr, rstd: sr,
                              gamma: g, rows: 1, dim: dim)
            y1.replaceSubrange((r * dim)..<((r + 1) * dim), with: yr)
            dx1.replaceSubrange((r * dim)..<((r + 1) * dim), with: dxr)
        }
        XCTAssertEqual(y, y1, "layer norm forward")
        XCTAssertEqual(dx, dx1, "layer norm dInput")
        // dGamma/dBeta sum rows in a different order across the two workers: rounding only.
        assertCloseArrays(dg, dg1, atol: 1e-4, "layer norm dGamma")  // sums of 300 O(1) terms
        assertCloseArrays(db, db1, atol: 1e-4, "layer norm dBeta")

        // Linear bias broadcast and bias gradient over 2048 × 200 (two-core) vs a plain loop.
        let lr = 2048, lo = 200
        let dOut = randomArray(lr * lo, &rng)
        var dBias = [Float](repeating: 0, count: lo)
        dOut.withUnsafeBufferPointer { columnSumAccumulate(&dBias, $0.baseAddress!, rows: lr, cols: lo) }
        var expected = [Float](repeating: 0, count: lo)
        for r in 0..<lr { for c in 0..<lo { expected[c] += dOut[r * lo + c] } }
        XCTAssertEqual(dBias, expected, "bias gradient: each column is summed in row order either way")
    }

    private func assertCloseArrays(_ a: [Float], _ b: [Float], atol: Float, _ label: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, label, file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, atol, "\(label): max |diff| \(worst)", file: file, line: line)
    }
}

/// sgemmSplittingRows: every transpose combination, split over the cores (the product is
/// above the split threshold) and with OpenBLAS at one thread (serial), against a float64
/// reference; the split result is also repeatable bit for bit.
final class SgemmSplittingRowsTests: XCTestCase {
    func testSplitProductsMatchReference() {
        let (m, n, k) = (301, 67, 129)  // m·n·k ≈ 2.6M ≥ the 2^21 split threshold; m not a multiple of 8
        var rng = SeededRNG(seed: 3)
        for transA in [false, true] {
            for transB in [false, true] {
                let a = randomArray(m * k, &rng), b = randomArray(k * n, &rng), c0 = randomArray(m * n, &rng)
                let lda = transA ? m : k, ldb = transB ? k : n
                func elemA(_ i: Int, _ p: Int) -> Double { Double(transA ? a[p * m + i] : a[i * k + p]) }
                func elemB(_ p: Int, _ j: Int) -> Double { Double(transB ? b[j * k + p] : b[p * n + j]) }
                func run() -> [Float] {
                    var c = c0
                    sgemmSplittingRows(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda,
                                       b: b, ldb: ldb, beta: 1, c: &c, ldc: n)
                    return c
                }
                let saved = GEMMThreads.count
                defer { GEMMThreads.set(saved) }
                GEMMThreads.set(2)  // the split path (parts over the cores)
                let split = run()
                XCTAssertEqual(split, run(), "repeatable (transA \(transA), transB \(transB))")
                GEMMThreads.set(1)  // serial: the caller is one of several workers
                let serial = run()
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0
                        for p in 0..<k { s += elemA(i, p) * elemB(p, j) }
                        let ref = 0.5 * s + Double(c0[i * n + j])
                        worst = max(worst, abs(Double(split[i * n + j]) - ref), abs(Double(serial[i * n + j]) - ref))
                    }
                }
                XCTAssertLessThan(worst, 2e-5, "transA \(transA), transB \(transB)")
            }
        }
    }
}
