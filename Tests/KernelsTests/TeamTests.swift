// runOnTeam: every part runs exactly once, on as many distinct threads as asked for (the
// property GCD's concurrentPerform did not keep: it ran both halves on the caller when its
// workers were busy), nested calls run on the calling thread, and products inside the team
// still give the single-threaded result.

import Foundation
import Synchronization
import XCTest
@testable import Kernels

final class TeamTests: XCTestCase {
    /// Thread identities and part counts, written from the team's threads.
    private final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var threads = Set<UInt>()
        private(set) var runs: [Int]
        init(parts: Int) { runs = Array(repeating: 0, count: parts) }
        func note(_ part: Int) {
            lock.lock(); defer { lock.unlock() }
            threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
            runs[part] += 1
        }
    }

    func testEveryPartRunsOnceOnTwoThreads() throws {
        try XCTSkipIf(kernelWorkerCount < 2, "one core: the team has a single thread")
        for round in 0..<50 {
            let record = Record(parts: 2)
            let ready = Atomic<Int>(0)
            runOnTeam(2, threads: 2) { part in
                // Each part waits (bounded) until both have started: only two threads get here together.
                ready.add(1, ordering: .acquiringAndReleasing)
                let deadline = Date().addingTimeInterval(2)
                while ready.load(ordering: .acquiring) < 2 && Date() < deadline { sched_yield() }
                record.note(part)
            }
            XCTAssertEqual(record.runs, [1, 1], "round \(round)")
            XCTAssertEqual(record.threads.count, 2, "round \(round): both parts ran on one thread")
        }
    }

    func testMorePartsThanThreadsAndNestedCallsRunEveryPart() {
        let outer = Record(parts: 7), inner = Record(parts: 7 * 5)
        runOnTeam(7, threads: 2) { i in
            outer.note(i)
            runOnTeam(5, threads: 2) { j in inner.note(i * 5 + j) }  // inside a team: on this thread
        }
        XCTAssertEqual(outer.runs, Array(repeating: 1, count: 7))
        XCTAssertEqual(inner.runs, Array(repeating: 1, count: 35))
        XCTAssertLessThanOrEqual(outer.threads.count, 2)
    }

    func testProductsInsideTheTeamMatchTheSerialOnes() {
        let (m, n, k) = (96, 80, 64)
        let a = (0..<(m * k)).map { Float(($0 * 7) % 13) * 0.1 - 0.6 }
        let b = (0..<(n * k)).map { Float(($0 * 5) % 11) * 0.1 - 0.5 }
        var serial = [Float](repeating: 0, count: m * n)
        sgemm(transA: false, transB: true, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: k, beta: 0,
              c: &serial, ldc: n)
        let results = UnsafeMutablePointer<Float>.allocate(capacity: 4 * m * n)
        defer { results.deallocate() }
        runOnTeam(4, threads: 2) { p in
            sgemm(transA: false, transB: true, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: k, beta: 0,
                  c: results + p * m * n, ldc: n)
        }
        for p in 0..<4 { XCTAssertEqual(Array(UnsafeBufferPointer(start: results + p * m * n, count: m * n)), serial) }
    }
}
