// Finite-value checks over parameter buffers (training divergence, checkpoint loading and
// saving). One pass per tensor: x − x is 0 for every finite x and NaN for NaN or ±inf, so an
// accumulated sum of it is 0 exactly when every element is finite (no branch per element).

extension ParameterBuffer {
    /// The name of the first entry holding a NaN or an infinity, or nil when all are finite.
    public func firstNonFiniteEntry() -> String? {
        for e in entries where !Self.allFinite(baseAddress + e.offset, count: e.count) { return e.name }
        return nil
    }

    /// True when `count` floats at `p` are all finite.
    public static func allFinite(_ p: UnsafePointer<Float>, count: Int) -> Bool {
        var acc: Float = 0
        for i in 0..<count { acc += p[i] - p[i] }
        return acc == 0
    }
}
