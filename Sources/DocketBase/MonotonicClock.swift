// The one monotonic clock of the project (CLOCK_MONOTONIC): training throughput and ETA, the
// auto-precision measurement and every benchmark time with it.
#if canImport(Glibc)
import Glibc
#endif

public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point; only differences mean anything.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
