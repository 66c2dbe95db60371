// Loads the per-kernel PyTorch fixtures written by Scripts/fixtures/make_kernel_fixtures.py.
import Foundation
import SafeTensors
import TestSupport
import XCTest

struct KernelFixture {
    let file: SafeTensorsFile

    init(_ kernel: String) throws {
        let url = fixturesDirectory.appendingPathComponent("kernels/\(kernel).safetensors")
        file = try SafeTensorsFile(contentsOf: url)
    }

    func floats(_ name: String) throws -> [Float] { try file.floats(name) }

    func ints(_ name: String) throws -> [Int32] {
        let info = try file.info(name)
        guard info.dtype == .i32 else { throw FixtureError(message: "\(name) is \(info.dtype), expected I32") }
        return try file.withRawBytes(name) { raw in
            (0..<info.count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
        }
    }

    func shape(_ name: String) throws -> [Int] { try file.info(name).shape }

    /// The float32-vs-float64 gap PyTorch showed for this tensor (metadata "gap.<name>").
    func gap(_ name: String) -> Double { Double(file.metadata["gap.\(name)"] ?? "") ?? .nan }
}

struct FixtureError: Error { let message: String }

/// Compares a kernel result with the fixture's float64 reference `name`, printing the measured
/// max difference next to PyTorch's own float32 gap, and asserting |diff| ≤ atol.
func checkParity(_ actual: [Float], _ fixture: KernelFixture, _ name: String, atol: Double,
                 file: StaticString = #filePath, line: UInt = #line) throws {
    let expected = try fixture.floats(name)
    let diff = maxAbsDiff(actual, expected)
    print("parity \(name): max |diff| \(diff), torch f32-vs-f64 gap \(fixture.gap(name)), atol \(atol)")
    assertClose(actual, expected, atol: atol, name, file: file, line: line)
}
