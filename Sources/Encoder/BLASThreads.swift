// The matrix-product thread policy as the encoder's callers see it (DESIGN.md §7): the name
// predates oneDNN; the count is Kernels' GEMMThreads (cores one product may split over).
import Kernels

public enum BLASThreads {
    /// Cores one matrix product may use (1 while a caller runs several workers).
    public static var count: Int { GEMMThreads.count }

    /// The engine and instruction set of FP32 products, e.g. "onednn avx512_core_bf16"
    /// (ComputeDispatch; printed in every benchmark result).
    public static var coreName: String { ComputeDispatch.current.fp32.summary }

    /// Sets the cores one product may use for every later call in the process.
    public static func set(_ n: Int) { GEMMThreads.set(n) }
}
