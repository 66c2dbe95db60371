// Exact element conversions between storage dtypes and Float32 (little-endian host assumed:
// x86_64/arm64 Linux). Sources may be unaligned (the data section starts at 8 + N), so every
// load is `loadUnaligned`.

enum FloatConversion {
    /// bfloat16 → float32 is exact: the 16 stored bits are the high half of the float32.
    @inline(__always) static func bf16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// float32 → bfloat16 with round-to-nearest-even, as PyTorch's `round_to_nearest_even`:
    /// NaNs stay (quiet) NaNs, overflow rounds to ±inf.
    @inline(__always) static func floatToBF16(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        let rounding = 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// Converts `count` elements of `dtype` at `src` into float32 at `dst`.
    /// Returns false for dtypes that are not readable as float (caller throws).
    static func convert(_ dtype: DType, from src: UnsafeRawPointer, to dst: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        switch dtype {
        case .f32:
            UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
        case .f16:
            for i in 0..<count {
                dst[i] = Float(Float16(bitPattern: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<count { dst[i] = bf16ToFloat(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .f64:
            for i in 0..<count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
        case .i64:
            for i in 0..<count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
        case .i32:
            for i in 0..<count { dst[i] = Float(src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
        default:
            return false
        }
        return true
    }
}
