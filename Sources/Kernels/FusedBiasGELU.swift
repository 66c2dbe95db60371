// Fused bias + exact-form GELU for the encoder's feed-forward layer, split over the cores (the
// element loops run in CKernelsPointwise, AVX-512 / AVX2 + FMA by cpuid):
//   pre = x + b (kept for backward),  act = GELU(pre) = 0.5·pre·(1 + erf(pre/√2)).
// erf is a rational minimax-style fit made for Docket (erf(z) ≈ z·P(z²)/Q(z²) on |z| ≤ 3.92,
// ±1 beyond; fitted in float64 by iteratively reweighted least squares): max |error| 3.2e-7 in
// float32 evaluation (glibc erff: ~1e-7), so GELU stays within ~6e-7 of the erff form.
// Backward uses the same fit for Φ and expNeg for φ: GELU'(x) = Φ(x) + x·φ(x).
//
// The reference GELU is geluForward/geluBackward (Activations.swift), parity-tested against
// PyTorch's nn.GELU(approximate="none"); this fit and the int8 GEMM's GELU epilogue
// (CKernelsInt8, the same coefficients) are tested against it (FusedKernelTests, Int8LinearTests).
import CKernelsPointwise
import Dispatch

/// erf with the fit above, in Swift (backward's Φ; CKernelsPointwise holds the same fit for the
/// forward). Written as plain scalar code on purpose: the compiler vectorises
/// this loop body (measured 1.8 ns/element vs 17 for erff and 21 for a generic SIMD16 version
/// whose `clamped` is not vectorised).
@inline(__always)
func erf1(_ z: Float) -> Float {
    // coefficients as literals: loads of global constants kept the callers' loops scalar
    let p0: Float = 1.128379225730896, p1: Float = 0.18518085777759552, p2: Float = 0.054037030786275864
    let p3: Float = 0.003812768030911684, p4: Float = 0.0003674731415230781
    let p5: Float = 4.359457307145931e-06, p6: Float = -1.1502484298375748e-08
    let q1: Float = 0.49744564294815063, q2: Float = 0.11370401084423065, q3: Float = 0.015346050262451172
    let q4: Float = 0.0012837821850553155, q5: Float = 6.003619637340307e-05
    let a = min(max(z, -3.92), 3.92), s = a * a
    let p = ((((((p6 * s + p5) * s + p4) * s + p3) * s + p2) * s + p1) * s + p0)
    let q = (((((q5 * s + q4) * s + q3) * s + q2) * s + q1) * s + 1)
    return a * p / q
}

/// pre(rows, cols) += bias(cols); act(rows, cols) = GELU(pre). `act` may equal `pre`
/// (inference: the pre-activation is not needed afterwards).
public func biasGELUForward(pre: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>,
                     bias: UnsafePointer<Float>, rows: Int, cols: Int) {
    // CKernelsPointwise runs the same fit 16 (AVX-512) or 8 (AVX2 + FMA) floats wide, chosen by
    // cpuid (this module's loops are 4 wide at the baseline ISA): 6.7% of a MiniLM forward → ~1%.
    parallelRows(rows, costPerRow: cols * 8) { range in
        docket_bias_gelu_rows(pre + range.lowerBound * cols, act + range.lowerBound * cols, bias,
                              Int64(range.count), Int64(cols))
    }
}

/// out = GELU(input) with the same erf fit and the same CKernelsPointwise code as
/// biasGELUForward, so backward's recomputation rebuilds the forward's activation bit for bit.
public func geluForwardFit(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    let cols = 1024, rows = (count + cols - 1) / cols
    parallelRows(rows, costPerRow: cols * 8) { range in
        let lo = range.lowerBound * cols, hi = min(count, range.upperBound * cols)
        docket_gelu(out + lo, input + lo, Int64(hi - lo))
    }
}

/// dInput(count) += dOut · GELU'(input), GELU'(x) = Φ(x) + x·φ(x) with the same erf fit and
/// Kernels' vectorised expNeg. Accumulates like every backward kernel; dInput must not alias dOut.
public func geluBackwardFit(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                            input: UnsafePointer<Float>, count: Int) {
    let cols = 1024, rows = (count + cols - 1) / cols
    parallelRows(rows, costPerRow: cols * 40) { range in
        let lo = range.lowerBound * cols, hi = min(count, range.upperBound * cols)
        geluBackwardSpan(dInput + lo, dOut + lo, input + lo, hi - lo)
    }
}

// The element loops live in their own functions with the pointers as arguments, so the
// vectoriser sees them whole (an overlapping dInput/dOut would send it to the scalar loop:
// measured 3.8 ns/element scalar).

@inline(never)
private func geluBackwardSpan(_ dInput: UnsafeMutablePointer<Float>, _ dOut: UnsafePointer<Float>,
                              _ input: UnsafePointer<Float>, _ n: Int) {
    let invSqrt2: Float = 0.70710678118654752, invSqrt2Pi: Float = 0.3989422804014327
    for i in 0..<n {
        let x = input[i]
        let cdf = 0.5 * (1 + erf1(x * invSqrt2)), pdf = invSqrt2Pi * expNeg(-0.5 * x * x)
        dInput[i] += dOut[i] * (cdf + x * pdf)
    }
}
