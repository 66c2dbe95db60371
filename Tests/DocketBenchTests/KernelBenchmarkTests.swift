// The benchmark routines behind `docket bench kernels` run and count flops correctly on tiny
// shapes (no timing is asserted: speed is measured only by the release benchmark).
import DocketBench
import XCTest

final class KernelBenchmarkTests: XCTestCase {
    func testRoutinesRunOnTinyShapes() {
        let linear = KernelBenchmark.linear(rows: 4, inFeatures: 8, outFeatures: 3, minSeconds: 0)
        let sgemm = KernelBenchmark.rawSgemm(rows: 4, inFeatures: 8, outFeatures: 3, minSeconds: 0)
        XCTAssertEqual(linear.flops, 6 * 4 * 8 * 3)
        XCTAssertEqual(sgemm.flops, linear.flops)
        XCTAssertEqual(sgemm.name, "dnnl_sgemm 8->3 (same 3 calls)")
        XCTAssertGreaterThan(linear.seconds, 0)
        XCTAssertEqual(linear.name, "linear 8->3 fwd+bwd")
        let attention = KernelBenchmark.attention(batch: 2, seqLen: 9, heads: 2, headSize: 4, minSeconds: 0)
        XCTAssertEqual(attention.flops, 12 * 2 * 2 * 81 * 4)
        XCTAssertTrue(attention.seconds > 0 && attention.seconds.isFinite)
        let peak = KernelBenchmark.machinePeak(seconds: 0)
        XCTAssertEqual(peak.measuredGFLOPS, 0, "seconds 0 skips the FMA loop")
        XCTAssertGreaterThan(peak.cores, 0)
    }
}
