// Finite-value checks over parameter buffers (training divergence, checkpoint loading and
// saving). One BLAS pass per tensor: sasum(x) is finite for any finite tensor of sane scale and
// NaN/inf when an element is; only a non-finite sum is confirmed element by element (a
// finite tensor whose |x| sum overflows is still reported finite).
import CBLAS

extension ParameterBuffer {
    /// The name of the first entry holding a NaN or an infinity, or nil when all are finite.
    public func firstNonFiniteEntry() -> String? {
        for e in entries where !Self.allFinite(baseAddress + e.offset, count: e.count) { return e.name }
        return nil
    }

    /// True when `count` floats at `p` are all finite.
    public static func allFinite(_ p: UnsafePointer<Float>, count: Int) -> Bool {
        var start = 0
        while start < count {
            let n = min(count - start, Int(Int32.max))
            if !cblas_sasum(Int32(n), p + start, 1).isFinite {
                for i in start..<(start + n) where !p[i].isFinite { return false }
            }
            start += n
        }
        return true
    }
}
