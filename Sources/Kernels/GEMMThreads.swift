// How many cores one matrix product may use (DESIGN.md §7). oneDNN runs every product on the
// calling thread (CDNNL sets that thread's OpenMP team size to 1), so no OpenMP pool ever
// competes with Docket's own row-parallel loops; Docket parallelises the products itself:
// linears split their output rows over the cores, attention its (batch, head) blocks, and the
// fused row kernels their rows.
// Concurrent forwards share the cores: while n forwards run inside `sharingCores` (a
// TextClassifier with concurrency > 1: `docket serve`'s workers, a service calling from many
// tasks), each product uses count / n of them, so forwards × parts never exceeds the cores and
// a forward that runs alone still gets every core. A caller that wants one core per worker
// for a whole run sets 1.
import Synchronization

private let productParallelism = Atomic<Int>(kernelWorkerCount)
private let concurrentForwards = Atomic<Int>(0)

public enum GEMMThreads {
    /// Cores one product (or row-parallel kernel) may split over now: the configured count
    /// (the machine's, `kernelWorkerCount`, unless a caller set another), divided among the
    /// forwards running at once inside `sharingCores`.
    public static var count: Int {
        let cores = productParallelism.load(ordering: .relaxed)
        let active = concurrentForwards.load(ordering: .relaxed)
        return active > 1 ? max(1, cores / active) : cores
    }

    /// The configured count, before sharing among concurrent forwards.
    public static var configured: Int { productParallelism.load(ordering: .relaxed) }

    /// Sets the cores one product may use for every later call in the process (≥ 1).
    public static func set(_ n: Int) { productParallelism.store(max(1, n), ordering: .relaxed) }

    /// Runs `body` (one forward) as one of the forwards sharing the cores.
    public static func sharingCores<R>(_ body: () throws -> R) rethrows -> R {
        concurrentForwards.add(1, ordering: .relaxed)
        defer { concurrentForwards.subtract(1, ordering: .relaxed) }
        return try body()
    }
}
