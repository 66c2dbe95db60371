// Elementwise helpers and the residual add. SIMD16 over raw buffers, both cores for large counts.

/// dst(count) += src(count).
@inline(__always)
public func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let a = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD16<Float>.self)
        let b = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: a + b, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { dst[i] += src[i]; i += 1 }
}

/// out(count) = a(count) + b(count). `out` may alias `a` or `b`. The reference the fused
/// residualLayerNormForward is tested against (FusedKernelTests; the encoder uses the fused one).
/// Its backward is the identity on both inputs: use `accumulate(into:from:count:)` twice.
public func residualAdd(out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>,
                        b: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        var i = r.lowerBound
        while i + 16 <= r.upperBound {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: x + y, as: SIMD16<Float>.self)
            i += 16
        }
        while i < r.upperBound { out[i] = a[i] + b[i]; i += 1 }
    }
}

/// gradient(count) += source(count) — the backward of a residual branch or any identity.
public func accumulate(into gradient: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>,
                       count: Int) {
    parallelRanges(count, costPerItem: 1) { r in
        addInPlace(gradient + r.lowerBound, source + r.lowerBound, count: r.count)
    }
}
