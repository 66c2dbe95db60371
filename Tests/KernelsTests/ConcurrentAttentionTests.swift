// Attention called from several threads at once: every call gives the single-caller result,
// and the process-wide product parallelism is left as it was (see BLASThreads.swift).
import Dispatch
import DocketBase
import XCTest
@testable import Kernels

final class ConcurrentAttentionTests: XCTestCase {
    func testConcurrentCallsMatchAndRestoreBLASThreads() throws {
        let B = 2, T = 33, NH = 2, C = 64
        var rng = SeededRNG(seed: 21)
        let q = randomArray(B * T * C, &rng), k = randomArray(B * T * C, &rng), v = randomArray(B * T * C, &rng)
        let keyMask: [Int32] = (0..<(B * T)).map { $0 < T + 20 ? 1 : 0 }
        @Sendable func run() -> [Float] {
            var out = [Float](repeating: 0, count: q.count), probs = [Float](repeating: 0, count: B * NH * T * T)
            var r = SeededRNG(seed: 1)
            try? attentionForward(out: &out, probs: &probs, q: q, k: k, v: v, keyMask: keyMask, batch: B,
                                  seqLen: T, channels: C, heads: NH, rng: &r)
            return out
        }
        let threadsBefore = GEMMThreads.count
        let expected = run()
        let results = UncheckedBox(UnsafeMutableBufferPointer<[Float]>.allocate(capacity: 8))
        defer { results.value.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            (results.value.baseAddress! + i).initialize(to: run())
        }
        for i in 0..<8 { XCTAssertEqual(results.value[i], expected, "concurrent call \(i)") }
        XCTAssertEqual(GEMMThreads.count, threadsBefore, "GEMMThreads.count unchanged")
        XCTAssertGreaterThan(expected.map(abs).reduce(0, +), 0)
    }
}
