// ResidentPages.drop gives back only the whole pages inside a range: they read as zeros
// afterwards (private anonymous memory), the partial pages at either end keep their values,
// and a range without a whole page drops nothing.
import DocketBase
import Glibc
import XCTest

final class ResidentPagesTests: XCTestCase {
    func testDropsOnlyWholePagesInsideTheRange() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let size = 4 * page
        guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              raw != MAP_FAILED else { throw XCTSkip("mmap refused") }
        defer { munmap(raw, size) }
        let bytes = raw.bindMemory(to: UInt8.self, capacity: size)
        bytes.update(repeating: 7, count: size)
        // From the middle of page 0 to the middle of page 3: pages 1 and 2 are whole.
        let dropped = ResidentPages.drop(UnsafeRawPointer(bytes + page / 2), byteCount: 3 * page)
        XCTAssertEqual(dropped, 2 * page)
        XCTAssertEqual(bytes[page / 2], 7, "partial first page kept")
        XCTAssertEqual(bytes[page - 1], 7)
        XCTAssertEqual(bytes[page], 0, "whole page dropped")
        XCTAssertEqual(bytes[3 * page - 1], 0)
        XCTAssertEqual(bytes[3 * page], 7, "partial last page kept")
        XCTAssertEqual(ResidentPages.drop(UnsafeRawPointer(bytes + 3 * page + 1), byteCount: page - 2), 0,
                       "less than a page: nothing dropped")
        XCTAssertEqual(ResidentPages.drop(UnsafeRawPointer(bytes), byteCount: 0), 0)
    }
}
