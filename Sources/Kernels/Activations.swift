// Activations mirroring PyTorch: exact erf GELU (nn.GELU(approximate="none")), ReLU, tanh.
// Backward kernels accumulate (+=) into dInput.
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

private let invSqrt2: Float = 0.70710678118654752
private let invSqrt2Pi: Float = 0.39894228040143268

/// out(count) = 0.5·x·(1 + erf(x/√2)).
public func geluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 20) { r in
        for i in r {
            let x = input[i]
            out[i] = 0.5 * x * (1 + erff(x * invSqrt2))
        }
    }
}

/// dInput(count) += dOut · (Φ(x) + x·φ(x)), Φ the normal CDF and φ its density.
public func geluBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 30) { r in
        for i in r {
            let x = input[i]
            let cdf = 0.5 * (1 + erff(x * invSqrt2))
            let pdf = invSqrt2Pi * expf(-0.5 * x * x)
            dInput[i] += dOut[i] * (cdf + x * pdf)
        }
    }
}

/// out(count) = max(x, 0).
public func reluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        for i in r { out[i] = input[i] > 0 ? input[i] : 0 }
    }
}

/// dInput(count) += dOut where x > 0 (PyTorch's convention: gradient 0 at x == 0).
public func reluBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        for i in r where input[i] > 0 { dInput[i] += dOut[i] }
    }
}

/// out(count) = tanh(x) (BERT pooler).
public func tanhForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 20) { r in
        for i in r { out[i] = tanhf(input[i]) }
    }
}

/// dInput(count) += dOut·(1 − y²), y = tanh(x) the forward output.
public func tanhBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         output: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 2) { r in
        for i in r { dInput[i] += dOut[i] * (1 - output[i] * output[i]) }
    }
}
