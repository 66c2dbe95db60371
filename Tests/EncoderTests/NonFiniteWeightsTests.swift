// Issue 12 item 5: a checkpoint holding NaN or infinite weights is refused on load (it would
// classify everything with "score": null) and never written.
import Encoder
import Foundation
import Kernels
import TestSupport
import XCTest

final class NonFiniteWeightsTests: XCTestCase {
    func testNonFiniteWeightsAreRefusedOnSaveAndLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-nonfinite-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let (model, _) = try EncoderModel.load(directory: fixturesDirectory.appendingPathComponent("encoder/tiny-bert"))
        try model.save(to: dir)
        XCTAssertNoThrow(try EncoderModel.load(directory: dir))
        let name = model.config.parameterName(.block(0, .ffnInWeight))
        try model.parameters.pointer(name)[3] = .infinity
        XCTAssertThrowsError(try model.save(to: dir)) { error in
            XCTAssertEqual(error as? EncoderError, .nonFiniteWeights(file: dir.appendingPathComponent("model.safetensors").path, name: name))
        }
        XCTAssertNoThrow(try EncoderModel.load(directory: dir), "the refused save left the earlier file intact")
        // A file written by something else with a NaN inside.
        let url = dir.appendingPathComponent("model.safetensors")
        var bytes = try Data(contentsOf: url)
        let headerLength = Int(bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        bytes.replaceSubrange((8 + headerLength)..<(12 + headerLength), with: [0x00, 0x00, 0xC0, 0x7F])
        try bytes.write(to: url)
        XCTAssertThrowsError(try EncoderModel.load(directory: dir)) { error in
            guard case let EncoderError.nonFiniteWeights(file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, url.path)
        }
    }

    func testFiniteCheckFindsNaNAndInfinityAnywhere() {
        var values = [Float](repeating: 1e30, count: 1000)  // finite, though |x| sums overflow
        XCTAssertTrue(values.withUnsafeBufferPointer { ParameterBuffer.allFinite($0.baseAddress!, count: $0.count) })
        for bad in [Float.nan, .infinity, -.infinity] {
            values[777] = bad
            XCTAssertFalse(values.withUnsafeBufferPointer { ParameterBuffer.allFinite($0.baseAddress!, count: $0.count) }, "\(bad)")
            values[777] = 1
        }
    }
}
