// Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: the L2 norm over all
// gradients together; when it exceeds maxNorm every gradient is scaled by maxNorm/(norm+1e-6)
// (torch multiplies by min(1, coef), which is the identity below the threshold).

public enum GradientClipping {
    /// L2 norm of g[0..<n]: SIMD float partial sums per 4096-element block, blocks summed in Double.
    public static func l2Norm(_ g: UnsafePointer<Float>, count n: Int) -> Double {
        typealias V = SIMD16<Float>
        var total = 0.0
        var start = 0
        while start < n {
            let end = min(n, start + 4096)
            var acc = V(repeating: 0)
            var i = start
            while i + 16 <= end {
                let x = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
                acc += x * x
                i += 16
            }
            var block = Double(acc.sum())
            while i < end { block += Double(g[i] * g[i]); i += 1 }
            total += block
            start = end
        }
        return total.squareRoot()
    }

    /// Clips in place when maxNorm > 0; returns the norm before clipping (what the log reports).
    @discardableResult
    public static func clip(_ g: UnsafeMutablePointer<Float>, count n: Int, maxNorm: Double) -> Double {
        let norm = l2Norm(g, count: n)
        guard maxNorm > 0, norm.isFinite else { return norm }
        let coef = Float(maxNorm) / (Float(norm) + 1e-6)
        guard coef < 1 else { return norm }
        scale(g, count: n, by: coef)
        return norm
    }

    public static func scale(_ g: UnsafeMutablePointer<Float>, count n: Int, by s: Float) {
        typealias V = SIMD16<Float>
        var i = 0
        while i + 16 <= n {
            let x = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(g + i).storeBytes(of: x * s, as: V.self)
            i += 16
        }
        while i < n { g[i] *= s; i += 1 }
    }
}
