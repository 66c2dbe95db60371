// Best-of-N timing: what `--precision auto` measures at start (ComputeDispatch) and what every
// `docket bench` row reports (DocketBench). Times come from MonotonicClock.
import DocketBase

public enum BestTime {
    /// Best wall time of `body` over at least `minRuns` runs and `minSeconds` (after one warm-up).
    public static func of(minRuns: Int = 5, minSeconds: Double = 0.5, _ body: () -> Void) -> Double {
        withoutActuallyEscaping(body) { alternating(minRuns: minRuns, minSeconds: minSeconds, [$0])[0] }
    }

    /// Best wall time of each body, run alternately (a, b, a, b, …) so that both see the same
    /// machine load; at least `minRuns` rounds and `minSeconds` in total (after one warm-up).
    public static func alternating(minRuns: Int = 5, minSeconds: Double = 0.5, _ bodies: [() -> Void]) -> [Double] {
        for body in bodies { body() }
        var best = [Double](repeating: .infinity, count: bodies.count), runs = 0
        let start = MonotonicClock.now()
        while runs < minRuns || MonotonicClock.now() - start < minSeconds {
            for (i, body) in bodies.enumerated() {
                let t0 = MonotonicClock.now(); body(); best[i] = min(best[i], MonotonicClock.now() - t0)
            }
            runs += 1
            if runs >= 200 { break }
        }
        return best
    }

    /// A buffer of n uniform values in [−scale, scale) from SeededRNG(seed) (timing inputs;
    /// the caller deallocates it).
    public static func filledBuffer(_ n: Int, seed: UInt64, scale: Float = 0.05) -> UnsafeMutablePointer<Float> {
        let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
        var rng = SeededRNG(seed: seed)
        for i in 0..<n { p[i] = (rng.nextUniform() - 0.5) * 2 * scale }
        return p
    }
}
