// Splitting row-parallel work over the machine's cores (2 here). Work below a threshold runs
// inline: waking a second thread costs a few microseconds.
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
    // The chunks touch disjoint rows of caller-owned buffers; the box only carries the
    // non-Sendable closure across the (synchronous) concurrentPerform call.
    withoutActuallyEscaping(body) { escapable in
        let box = UncheckedBox(escapable)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let lo = w * chunk, hi = min(count, lo + chunk)
            if lo < hi { box.value(lo..<hi) }
        }
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
