// OpenBLAS's thread count (DESIGN.md §7). With several inference workers, each should call
// BLAS single-threaded: OpenBLAS's own pool would otherwise spin (sched_yield) against the
// workers for the same cores.
import CBLAS

public enum BLASThreads {
    /// The current OpenBLAS thread count.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// The kernel set OpenBLAS runs ("Cooperlake", "Haswell", ...). OPENBLAS_CORETYPE in the
    /// environment overrides OpenBLAS's detection when the library loads.
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Sets OpenBLAS's thread count for every later BLAS call in the process.
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
}
