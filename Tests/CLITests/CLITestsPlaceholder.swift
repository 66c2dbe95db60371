import XCTest

final class CLITestsPlaceholder: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
