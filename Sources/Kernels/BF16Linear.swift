// Opt-in BF16 linear layer for inference (CPUs with AVX512_BF16; the GEMM is C in
// CKernelsBF16): y = bf16(x)·bf16(W)ᵀ + b with FP32 accumulation, W stored (out, in) row-major
// as nn.Linear does. The weight is rounded and packed once (BF16Weight); activations are
// rounded to bf16 inside the GEMM, block by block. Everything around it stays FP32.
import CKernelsBF16

public enum BF16Support {
    /// Whether the BF16 path can run here: AVX-512F/BW/VL + AVX512_BF16 with OS support.
    /// `DOCKET_DISABLE_BF16=1` in the environment reports false (to exercise the refusal on
    /// any machine).
    public static let isAvailable = reducedPrecisionAvailable(disableVariable: "DOCKET_DISABLE_BF16",
                                                              supported: docket_bf16_supported)

    /// The error for a BF16 request on a machine without it.
    static func unsupported() -> KernelsError {
        .unsupportedCPU(feature: "AVX512_BF16", purpose: "bf16 inference")
    }

    /// The bf16 rounding the packing and the GEMM use, back as a Float: nearest, ties to
    /// even; subnormals become signed zeros (as vcvtne2ps2bf16 does).
    public static func round(_ x: Float) -> Float {
        Float(bitPattern: UInt32(docket_bf16_round(x)) << 16)
    }
}

/// A linear layer's weight (outFeatures, inFeatures) rounded to bf16 and packed into the
/// GEMM's panel layout (32 output columns × pairs of inputs; see ckernels_bf16.h). Immutable
/// after init: a snapshot of the FP32 weight it was made from.
public final class BF16Weight: @unchecked Sendable {
    public let outFeatures: Int
    public let inFeatures: Int
    let packed: UnsafeMutablePointer<UInt16>

    /// Packs `weight` (outFeatures × inFeatures FP32, row-major). Throws
    /// `KernelsError.unsupportedCPU` without AVX512_BF16 and `.invalidShape` for empty shapes.
    public init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) throws {
        guard BF16Support.isAvailable else { throw BF16Support.unsupported() }
        guard outFeatures > 0, inFeatures > 0, outFeatures <= Int(Int32.max), inFeatures <= Int(Int32.max) else {
            throw KernelsError.invalidShape(name: "bf16 weight", shape: [outFeatures, inFeatures])
        }
        self.outFeatures = outFeatures; self.inFeatures = inFeatures
        let count = Int(docket_bf16_packed_count(Int64(outFeatures), Int64(inFeatures)))
        // 64-byte aligned: each 32-column step of the micro-kernel loads two whole cache lines.
        packed = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64)
            .bindMemory(to: UInt16.self, capacity: count)
        docket_bf16_pack(packed, weight, Int64(outFeatures), Int64(inFeatures))
    }

    /// Bytes held by the packed weight.
    public var byteCount: Int { Int(docket_bf16_packed_count(Int64(outFeatures), Int64(inFeatures))) * 2 }

    deinit { UnsafeMutableRawPointer(packed).deallocate() }
}

/// out(rows, outF) = bf16(input(rows, inF)) · weightᵀ + bias(outF), FP32 accumulation.
/// `bias` nil = none. Splits the rows over the cores (in multiples of the 12-row micro-panel)
/// unless GEMMThreads.count is 1, which marks a caller that is one of several workers
/// (as the encoder's inference attention does).
public func bf16LinearForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                              weight: BF16Weight, bias: UnsafePointer<Float>?, rows: Int) throws {
    let (i, o) = (weight.inFeatures, weight.outFeatures)
    try runReducedPrecisionGEMM(rows: rows, flopsPerRow: 2 &* i &* o, unsupported: BF16Support.unsupported(),
                                scratch: "the bf16 GEMM's activation scratch") { r0, r1 in
        docket_bf16_linear(out, input, weight.packed, bias, Int64(i), Int64(o), Int64(r0), Int64(r1))
    }
}
