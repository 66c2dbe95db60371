// OpenBLAS's thread count is process-global. Attention splits its (b, h) blocks over the
// cores itself and needs single-threaded sgemm meanwhile; concurrent attention calls (several
// tasks classifying at once) must not restore each other's settings in the wrong order. A
// counted section holds OpenBLAS at one thread while any attention call is inside and restores
// the count found before the first one entered.
import CBLAS
import Synchronization

private let singleThreadSection = Mutex<(active: Int, saved: Int32)>((0, 0))

/// Runs body with OpenBLAS limited to one thread (other sgemm callers in the process run
/// single-threaded meanwhile too).
func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    singleThreadSection.withLock { state in
        if state.active == 0 {
            state.saved = openblas_get_num_threads()
            openblas_set_num_threads(1)
        }
        state.active += 1
    }
    defer {
        singleThreadSection.withLock { state in
            state.active -= 1
            if state.active == 0 { openblas_set_num_threads(state.saved) }
        }
    }
    return try body()
}
