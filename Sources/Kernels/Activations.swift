// Activations mirroring PyTorch: exact erf GELU (nn.GELU(approximate="none")), ReLU, tanh.
// Backward kernels accumulate (+=) into dInput.
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// out(count) = 0.5·x·(1 + erf(x/√2)) = x·Φ(x) (Φ vectorised, see simdNormalCDFAndPDF).
public func geluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 40) { r in
        mapBlocks(out + r.lowerBound, input + r.lowerBound, r.count) { x, _ in
            x * simdNormalCDFAndPDF(x).cdf
        }
    }
}

/// dInput(count) += dOut · (Φ(x) + x·φ(x)), Φ the normal CDF and φ its density.
public func geluBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 40) { r in
        let dx = dInput + r.lowerBound, dy = dOut + r.lowerBound
        mapBlocks(dx, input + r.lowerBound, r.count) { x, i in
            let (cdf, pdf) = simdNormalCDFAndPDF(x)
            let n = min(16, r.count - i)
            let g = n == 16 ? load16(dy + i) : loadPartial(dy + i, n)
            let acc = n == 16 ? load16(dx + i) : loadPartial(dx + i, n)
            return acc + g * (cdf + x * pdf)
        }
    }
}

/// out(count) = max(x, 0) (NaN stays NaN, as torch.relu).
public func reluForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        mapBlocks(out + r.lowerBound, input + r.lowerBound, r.count) { x, _ in
            x.replacing(with: 0, where: x .<= 0)
        }
    }
}

/// dInput(count) += dOut where x > 0 (PyTorch's convention: gradient 0 at x == 0).
public func reluBackward(dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>,
                         input: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        let dx = dInput + r.lowerBound, dy = dOut + r.lowerBound
        mapBlocks(dx, input + r.lowerBound, r.count) { x, i in
            let n = min(16, r.count - i)
            let g = n == 16 ? load16(dy + i) : loadPartial(dy + i, n)
            let acc = n == 16 ? load16(dx + i) : loadPartial(dx + i, n)
            return acc + g.replacing(with: 0, where: .!(x .> 0))
        }
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
