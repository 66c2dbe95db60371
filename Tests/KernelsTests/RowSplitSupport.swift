// Shared by the bf16 and int8 linear tests: each output row of a reduced-precision linear
// depends only on its input row (no reduction across rows or threads), so the two-core split
// must give bit-identical results to row-by-row calls.
import DocketBase
import XCTest
@testable import Kernels

/// Runs `forward(out, input, rows)` on a 250 × 200 input once whole and once row by row
/// (96 outputs) and asserts the results are bit-identical. `makeForward` receives the weight
/// (96 × 200) and bias and returns the forward to test.
func assertRowSplitIsBitIdentical(
    _ makeForward: ([Float], [Float]) throws -> (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Int) throws -> Void,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    var rng = SeededRNG(seed: 9)
    let (rows, inF, outF) = (250, 200, 96)
    let x = randomArray(rows * inF, &rng), w = randomArray(outF * inF, &rng), b = randomArray(outF, &rng)
    let forward = try makeForward(w, b)
    var whole = [Float](repeating: 0, count: rows * outF), pieces = whole
    try whole.withUnsafeMutableBufferPointer { o in
        try x.withUnsafeBufferPointer { try forward(o.baseAddress!, $0.baseAddress!, rows) }
    }
    try pieces.withUnsafeMutableBufferPointer { o in
        try x.withUnsafeBufferPointer { xp in
            for r in 0..<rows { try forward(o.baseAddress! + r * outF, xp.baseAddress! + r * inF, 1) }
        }
    }
    XCTAssertEqual(whole, pieces, file: file, line: line)
}
