// How many cores one matrix product may use (DESIGN.md §7). oneDNN runs every product on the
// calling thread (CDNNL sets that thread's OpenMP team size to 1), so no OpenMP pool ever
// competes with Docket's own row-parallel loops; Docket parallelises the products itself:
// linears split their output rows over the cores, attention its (batch, head) blocks.
// A caller that runs several workers at once (inference with --workers N) sets this to 1
// meanwhile, so workers × parts never exceeds the cores.
import Synchronization

private let productParallelism = Atomic<Int>(kernelWorkerCount)

public enum GEMMThreads {
    /// Cores one linear product may split over: the machine's (`kernelWorkerCount`) unless a
    /// caller running several workers set 1.
    public static var count: Int { productParallelism.load(ordering: .relaxed) }

    /// Sets the cores one product may use for every later call in the process (≥ 1).
    public static func set(_ n: Int) { productParallelism.store(max(1, n), ordering: .relaxed) }
}
