// Splitting row-parallel work over the machine's cores (2 here) on one OpenMP team (the pool
// oneDNN's products also use). Work below a threshold runs inline: waking a second thread
// costs a few microseconds.
import CDNNL
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Number of worker chunks used for large elementwise / row-wise work.
public let kernelWorkerCount: Int = {
    #if canImport(Glibc)
    let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    return max(1, min(n, 8))
    #else
    return 2
    #endif
}()

/// The closure a team job runs, reached from the C callback through its context pointer.
@usableFromInline
struct TeamJob {
    @usableFromInline let run: (Int) -> Void
    @usableFromInline init(run: @escaping (Int) -> Void) { self.run = run }
}

/// Runs `body(i)` for every i in 0..<parts, at most `threads` at a time (default: the cores a
/// product may use now, `GEMMThreads.count`), and returns when all are done. The threads are
/// the OpenMP team that libdnnl's libgomp keeps for the calling thread, so Docket's loops and
/// oneDNN share one pool (DESIGN.md §7): the team always has the threads asked for (GCD's
/// `concurrentPerform` measured running both halves on the caller in 2 of 3 runs while Swift
/// tasks held its workers), and no second pool spins against it. Called inside another
/// team's part, the parts run on the calling thread. GCD is the fallback when libgomp's entry
/// points are missing.
@inlinable
public func runOnTeam(_ parts: Int, threads: Int? = nil, _ body: (Int) -> Void) {
    guard parts > 0 else { return }
    let width = max(1, min(threads ?? min(kernelWorkerCount, GEMMThreads.count), parts))
    guard width > 1 else { for i in 0..<parts { body(i) }; return }
    withoutActuallyEscaping(body) { escapable in
        var job = TeamJob(run: escapable)
        let ran = withUnsafeMutablePointer(to: &job) { ptr in
            docket_team_run(Int64(parts), Int32(width), { ctx, part in
                ctx!.assumingMemoryBound(to: TeamJob.self).pointee.run(Int(part))
            }, UnsafeMutableRawPointer(ptr)) != 0
        }
        if !ran {
            let box = UncheckedBox(escapable)
            DispatchQueue.concurrentPerform(iterations: parts) { box.value($0) }
        }
    }
}

/// Runs `body` over disjoint sub-ranges covering 0..<count. Uses several threads only when
/// `count * costPerItem` (a rough count of flops) exceeds ~64k; otherwise runs inline. Uses at
/// most `GEMMThreads.count` threads (fewer while several forwards share the cores); every item
/// is computed the same way whatever the split, so results do not depend on it.
@inlinable
public func parallelRanges(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
    let workers = min(kernelWorkerCount, GEMMThreads.count, count)
    if workers <= 1 || count &* costPerItem < 65_536 {
        if count > 0 { body(0..<count) }
        return
    }
    let chunk = (count + workers - 1) / workers
    // The chunks touch disjoint rows of caller-owned buffers.
    runOnTeam(workers, threads: workers) { w in
        let lo = w * chunk, hi = min(count, lo + chunk)
        if lo < hi { body(lo..<hi) }
    }
}

public struct UncheckedBox<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

/// Runs `body` over disjoint row ranges on the cores when rows × costPerRow ≥ 2¹⁷ (the fused
/// kernels' threshold: `parallelRanges` with its 64k-flop threshold doubled).
@inline(__always)
func parallelRows(_ rows: Int, costPerRow: Int, _ body: (Range<Int>) -> Void) {
    parallelRanges(rows, costPerItem: costPerRow &* 2, body)
}
