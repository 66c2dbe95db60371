// GEMMThreads.sharingCores: forwards running at once divide the configured cores among them,
// a forward alone keeps them all, and the count returns when they finish.
import Kernels
import XCTest

final class GEMMThreadsSharingTests: XCTestCase {
    func testConcurrentForwardsDivideTheCores() {
        let saved = GEMMThreads.configured
        defer { GEMMThreads.set(saved) }
        GEMMThreads.set(4)
        XCTAssertEqual(GEMMThreads.count, 4, "no forward running")
        GEMMThreads.sharingCores {
            XCTAssertEqual(GEMMThreads.count, 4, "one forward alone uses every core")
            GEMMThreads.sharingCores {
                XCTAssertEqual(GEMMThreads.count, 2, "two at once: half each")
                GEMMThreads.sharingCores {
                    XCTAssertEqual(GEMMThreads.count, 1, "three at once: 4 / 3 rounds down")
                    GEMMThreads.sharingCores { XCTAssertEqual(GEMMThreads.count, 1, "never below one") }
                }
            }
        }
        XCTAssertEqual(GEMMThreads.count, 4, "back to the configured count")
    }

    func testSharingFromThreadsEndsAtTheConfiguredCount() {
        let saved = GEMMThreads.configured
        defer { GEMMThreads.set(saved) }
        GEMMThreads.set(2)
        let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0)
        let box = UncheckedBox(seen)
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            GEMMThreads.sharingCores { box.value[i] = GEMMThreads.count }
        }
        XCTAssertTrue(seen.allSatisfy { $0 == 1 || $0 == 2 }, "\(Array(seen))")
        XCTAssertEqual(GEMMThreads.count, 2)
    }
}
