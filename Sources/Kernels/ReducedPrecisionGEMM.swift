// What the opt-in reduced-precision linears (BF16Linear.swift, Int8Linear.swift) share: the
// availability switch, and the driver that runs a C GEMM over row ranges on the cores and
// turns its status into a typed error. Both C GEMMs take a row range [r0, r1), work in
// 12-row micro-panels, and return 0, -1 (scratch allocation failed) or -2 (CPU lacks the
// instructions).
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Whether a reduced-precision path can run: the C check `supported` says the CPU (and OS)
/// has the instructions, unless `disableVariable` is "1" in the environment (to exercise the
/// refusal on any machine).
func reducedPrecisionAvailable(disableVariable: String, supported: () -> Int32) -> Bool {
    if let v = getenv(disableVariable), String(cString: v) == "1" { return false }
    return supported() != 0
}

/// Runs `gemm(r0, r1)` over 0..<rows, split over the cores in 12-row multiples unless
/// GEMMThreads.count is 1 (the caller is one of several workers). `flopsPerRow` decides
/// whether splitting pays. Throws `unsupported` for status -2 and outOfMemory(`scratch`) for
/// any other failure.
func runReducedPrecisionGEMM(rows: Int, flopsPerRow: Int, unsupported: KernelsError, scratch: String,
                             _ gemm: (_ r0: Int, _ r1: Int) -> Int32) throws {
    guard rows > 0 else { return }
    let failure = Mutex<Int32>(0)
    func run(_ r0: Int, _ r1: Int) {
        let status = gemm(r0, r1)
        if status != 0 { failure.withLock { $0 = status } }
    }
    let panels = (rows + 11) / 12
    if GEMMThreads.count > 1 {
        parallelRanges(panels, costPerItem: 12 &* flopsPerRow) { ps in run(ps.lowerBound * 12, min(rows, ps.upperBound * 12)) }
    } else {
        run(0, rows)
    }
    switch failure.withLock({ $0 }) {
    case 0: return
    case -2: throw unsupported
    default: throw KernelsError.outOfMemory(scratch)
    }
}
