// Fused bias + exact-form GELU for the feed-forward layer (forward only), vectorised with
// SIMD16 and split over the cores:  pre = x + b (kept for backward),  act = GELU(pre) =
// 0.5·pre·(1 + erf(pre/√2)).  erf is a rational minimax-style fit made for Docket
// (erf(z) ≈ z·P(z²)/Q(z²) on |z| ≤ 3.92, ±1 beyond; fitted in float64 by iteratively
// reweighted least squares): max |error| 3.2e-7 in float32 evaluation (glibc erff: ~1e-7),
// so GELU stays within ~6e-7 of the erff form. Backward keeps the kernels' erff derivative.
import Dispatch

private let p0: Float = 1.128379225730896, p1: Float = 0.18518085777759552, p2: Float = 0.054037030786275864
private let p3: Float = 0.003812768030911684, p4: Float = 0.0003674731415230781
private let p5: Float = 4.359457307145931e-06, p6: Float = -1.1502484298375748e-08
private let q1: Float = 0.49744564294815063, q2: Float = 0.11370401084423065, q3: Float = 0.015346050262451172
private let q4: Float = 0.0012837821850553155, q5: Float = 6.003619637340307e-05

/// erf for 16 lanes (see the file comment for the accuracy).
@inline(__always)
func erf16(_ z: SIMD16<Float>) -> SIMD16<Float> {
    let a = z.clamped(lowerBound: SIMD16(repeating: -3.92), upperBound: SIMD16(repeating: 3.92))
    let s = a * a
    var p = SIMD16<Float>(repeating: p6)
    p = p * s + p5; p = p * s + p4; p = p * s + p3; p = p * s + p2; p = p * s + p1; p = p * s + p0
    var q = SIMD16<Float>(repeating: q5)
    q = q * s + q4; q = q * s + q3; q = q * s + q2; q = q * s + q1; q = q * s + 1
    return a * p / q
}

/// Scalar erf with the same fit (tails of rows not a multiple of 16).
@inline(__always)
func erf1(_ z: Float) -> Float {
    let a = min(max(z, -3.92), 3.92), s = a * a
    let p = ((((((p6 * s + p5) * s + p4) * s + p3) * s + p2) * s + p1) * s + p0)
    let q = (((((q5 * s + q4) * s + q3) * s + q2) * s + q1) * s + 1)
    return a * p / q
}

/// pre(rows, cols) += bias(cols); act(rows, cols) = GELU(pre). `act` may equal `pre`
/// (inference: the pre-activation is not needed afterwards).
func biasGELUForward(pre: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>,
                     bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    let invSqrt2: Float = 0.70710678118654752
    parallelRows(rows, costPerRow: cols * 30) { range in
        for r in range {
            let x = pre + r * cols, y = act + r * cols
            var j = 0
            while j + 16 <= cols {
                let v = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self)
                    + UnsafeRawPointer(bias + j).loadUnaligned(as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(x + j).storeBytes(of: v, as: SIMD16<Float>.self)
                let g = 0.5 * v * (1 + erf16(v * invSqrt2))
                UnsafeMutableRawPointer(y + j).storeBytes(of: g, as: SIMD16<Float>.self)
                j += 16
            }
            while j < cols {
                let v = x[j] + bias[j]
                x[j] = v; y[j] = 0.5 * v * (1 + erf1(v * invSqrt2)); j += 1
            }
        }
    }
}

/// Runs `body` over 2 (or more, one per core) disjoint row ranges when the work is large.
func parallelRows(_ rows: Int, costPerRow: Int, _ body: (Range<Int>) -> Void) {
    let workers = min(encoderWorkerCount, rows)
    guard workers > 1, rows &* costPerRow >= 1 << 17 else {
        if rows > 0 { body(0..<rows) }
        return
    }
    let chunk = (rows + workers - 1) / workers
    withoutActuallyEscaping(body) { body in
        let box = UnsafeSendableBox(body)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = w * chunk, hi = min(rows, lo + chunk)
            if lo < hi { box.value(lo..<hi) }
        }
    }
}

/// Carries a non-Sendable closure across concurrentPerform (which returns before the
/// closure's lifetime ends; the ranges touch disjoint rows).
struct UnsafeSendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
import Glibc
let encoderWorkerCount = max(1, min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 8))
#else
let encoderWorkerCount = 2
#endif
