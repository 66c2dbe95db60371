// Opt-in INT8 linear layer for inference (CPUs with AVX512_VNNI; the GEMM is C in
// CKernelsInt8): y ≈ x·Wᵀ + b with W quantized symmetrically per output channel (int8, once)
// and x per row (asymmetric u8 with a zero point, dynamically inside the GEMM), exact int32
// sums, then FP32 scaling and bias. W is stored (out, in) row-major as nn.Linear does.
// Everything around it stays FP32.
import CKernelsInt8

public enum Int8Support {
    /// Whether the INT8 path can run here: AVX-512F/BW/VL + AVX512_VNNI with OS support.
    /// `DOCKET_DISABLE_INT8=1` in the environment reports false (to exercise the refusal on
    /// any machine).
    public static let isAvailable = reducedPrecisionAvailable(disableVariable: "DOCKET_DISABLE_INT8",
                                                              supported: docket_int8_supported)

    /// The error for an INT8 request on a machine without it.
    static func unsupported() -> KernelsError {
        .unsupportedCPU(feature: "AVX512_VNNI", purpose: "int8 inference")
    }

    /// Quantizes one weight row as the packing does: (q, scale) with w[k] ≈ scale · q[k],
    /// q in [−127, 127] (see ckernels_int8.h).
    public static func quantizeWeights(_ w: [Float]) -> (q: [Int8], scale: Float) {
        var q = [Int8](repeating: 0, count: w.count)
        let scale = q.withUnsafeMutableBufferPointer { qp in
            w.withUnsafeBufferPointer { docket_int8_quantize(qp.baseAddress, $0.baseAddress, Int64(w.count)) }
        }
        return (q, scale)
    }

    /// Quantizes one activation row as the GEMM does: (u, zero, scale) with
    /// x[k] ≈ scale · (u[k] − zero), u and zero in [0, 255] (see ckernels_int8.h).
    public static func quantizeActivations(_ x: [Float]) -> (u: [UInt8], zero: Int32, scale: Float) {
        var u = [UInt8](repeating: 0, count: x.count), zero: Int32 = 0
        let scale = u.withUnsafeMutableBufferPointer { up in
            x.withUnsafeBufferPointer { docket_int8_quantize_activations(up.baseAddress, &zero, $0.baseAddress, Int64(x.count)) }
        }
        return (u, zero, scale)
    }
}

/// A linear layer's weight (outFeatures, inFeatures) quantized to int8 per output channel and
/// packed into the GEMM's panel layout (32 output columns × groups of 4 inputs; see
/// ckernels_int8.h), with its per-channel scales and column sums Σ_k q_w (for the
/// activations' zero points). Immutable after init: a snapshot of the FP32 weight it was
/// made from.
public final class Int8Weight: @unchecked Sendable {
    public let outFeatures: Int
    public let inFeatures: Int
    /// ceil(out/32)·ceil(in/4)·128 bytes, 64-byte aligned (each group step loads two lines).
    let packed: UnsafeMutablePointer<Int8>
    /// ceil(out/32)·32 entries each (zeros past outFeatures).
    let scales: UnsafeMutablePointer<Float>
    let colsums: UnsafeMutablePointer<Int32>

    /// Quantizes and packs `weight` (outFeatures × inFeatures FP32, row-major). Throws
    /// `KernelsError.unsupportedCPU` without AVX512_VNNI and `.invalidShape` for empty shapes.
    public init(weight: UnsafePointer<Float>, outFeatures: Int, inFeatures: Int) throws {
        guard Int8Support.isAvailable else { throw Int8Support.unsupported() }
        guard outFeatures > 0, inFeatures > 0, outFeatures <= Int(Int32.max), inFeatures <= Int(Int32.max) else {
            throw KernelsError.invalidShape(name: "int8 weight", shape: [outFeatures, inFeatures])
        }
        self.outFeatures = outFeatures; self.inFeatures = inFeatures
        let bytes = Int(docket_int8_packed_bytes(Int64(outFeatures), Int64(inFeatures)))
        let padded = Int(docket_int8_padded_outputs(Int64(outFeatures)))
        packed = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Int8.self, capacity: bytes)
        scales = .allocate(capacity: padded)
        colsums = .allocate(capacity: padded)
        docket_int8_pack(packed, scales, colsums, weight, Int64(outFeatures), Int64(inFeatures))
    }

    /// Per-output-channel scales (weight[n][k] ≈ scale[n] · q[n][k]).
    public var channelScales: [Float] { Array(UnsafeBufferPointer(start: scales, count: outFeatures)) }

    /// Bytes held by the packed weight, scales and column sums.
    public var byteCount: Int {
        Int(docket_int8_packed_bytes(Int64(outFeatures), Int64(inFeatures)))
            + Int(docket_int8_padded_outputs(Int64(outFeatures))) * 8
    }

    deinit {
        UnsafeMutableRawPointer(packed).deallocate()
        scales.deallocate(); colsums.deallocate()
    }
}

/// out(rows, outF) ≈ input(rows, inF) · weightᵀ + bias(outF) through int8 (per-row dynamic
/// u8 activation quantization, int32 accumulation, FP32 scaling). `bias` nil = none. With
/// `gelu`, out = GELU(that), exact form 0.5·y·(1 + erf(y/√2)) applied in the GEMM's epilogue
/// (erf by the encoder's rational fit, max |error| 3.2e-7). Splits the rows over the cores
/// (in multiples of the 12-row micro-panel) unless GEMMThreads.count is 1, which marks a
/// caller that is one of several workers (as bf16 does).
public func int8LinearForward(out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
                              weight: Int8Weight, bias: UnsafePointer<Float>?, rows: Int, gelu: Bool = false) throws {
    let (i, o) = (weight.inFeatures, weight.outFeatures)
    try runReducedPrecisionGEMM(rows: rows, flopsPerRow: 2 &* i &* o, unsupported: Int8Support.unsupported(),
                                scratch: "the int8 GEMM's activation scratch") { r0, r1 in
        docket_int8_linear(out, input, weight.packed, weight.scales, weight.colsums, bias, gelu ? 1 : 0,
                           Int64(i), Int64(o), Int64(r0), Int64(r1))
    }
}
