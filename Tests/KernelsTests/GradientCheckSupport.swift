// Central finite differences, evaluated in Double over the Float kernels themselves.
// Loss L = Σ_i w_i·out_i (w a fixed random upstream gradient), accumulated in Double, so the
// finite difference (L(x+h) − L(x−h)) / 2h estimates w·∂out/∂x. Float rounding in the forward
// limits the accuracy to roughly ε_f32·|L|/h, so h is ~1e-2 on O(1) inputs and the checks use
// a norm-wise relative error ‖g_fd − g‖/‖g_fd‖ (threshold stated at each call).
import DocketBase
import XCTest
@testable import Kernels

func randomArray(_ n: Int, _ rng: inout SeededRNG, scale: Float = 1) -> [Float] {
    (0..<n).map { _ in rng.nextGaussian() * scale }
}

func weightedSum(_ out: [Float], _ w: [Float]) -> Double {
    var s = 0.0
    for i in 0..<out.count { s += Double(out[i]) * Double(w[i]) }
    return s
}

/// ∂loss/∂x[i] by central differences, restoring x afterwards.
func finiteDifference(_ x: inout [Float], h: Float, _ loss: ([Float]) -> Double) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
        let saved = x[i]
        x[i] = saved + h; let up = loss(x)
        x[i] = saved - h; let down = loss(x)
        x[i] = saved
        // The actual step after float rounding, not the nominal one.
        let step = Double(saved + h) - Double(saved - h)
        g[i] = (up - down) / step
    }
    return g
}

/// Norm-wise relative error between a numeric and an analytic gradient; fails above `threshold`.
func assertGradient(_ analytic: [Float], _ numeric: [Double], threshold: Double, _ label: String,
                    file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(analytic.count, numeric.count, label, file: file, line: line)
    var diff = 0.0, norm = 0.0, worst = 0.0, worstIndex = -1
    for i in 0..<min(analytic.count, numeric.count) {
        let d = Double(analytic[i]) - numeric[i]
        diff += d * d; norm += numeric[i] * numeric[i]
        if abs(d) > worst { worst = abs(d); worstIndex = i }
    }
    let rel = diff.squareRoot() / max(norm.squareRoot(), 1e-12)
    print("gradient check \(label): relative error \(rel) (threshold \(threshold))")
    XCTAssertLessThanOrEqual(rel, threshold,
        "\(label): relative error \(rel), worst |diff| \(worst) at \(worstIndex)", file: file, line: line)
}

/// Subtracts a constant that the gradient buffer held before accumulation (checks +=).
func minus(_ a: [Float], _ c: Float) -> [Float] { a.map { $0 - c } }
