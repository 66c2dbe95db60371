// The reader on the real all-MiniLM-L6-v2 checkpoint (90 MB, written by PyTorch), checked
// against per-tensor checksums computed by PyTorch (Scripts/fixtures/make_safetensors_fixtures.py).
// Skips when the checkpoint is not installed.
import Foundation
import XCTest
@testable import SafeTensors
import TestSupport

final class SafeTensorsMiniLMTests: XCTestCase {
    private struct Checksum: Decodable {
        let dtype: String
        let shape: [Int]
        let sum: Double
        let abs_sum: Double
        let first: [Double]
    }

    func testEveryTensorMatchesPyTorchChecksums() throws {
        let model = try miniLMDirectory().appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: fixturesDirectory.appendingPathComponent("safetensors/minilm_checksums.json"))
        let expected = try JSONDecoder().decode([String: Checksum].self, from: data)
        let f = try SafeTensorsFile(contentsOf: model)
        XCTAssertEqual(Set(f.names), Set(expected.keys))
        for (name, e) in expected {
            let t = try f.info(name)
            XCTAssertEqual(t.shape, e.shape, name)
            XCTAssertEqual("torch.\(t.dtype == .f32 ? "float32" : "int64")", e.dtype, name)
            let x = try f.floats(name)
            // F32 values are copied exactly, so the first values match to the bit and the sums
            // differ only by float64 summation order: |Δ| ≤ 1e-9 · Σ|x| is ~10⁴× that bound.
            XCTAssertEqual(x.prefix(4).map(Double.init), e.first, name)
            let sum = x.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, e.sum, accuracy: 1e-9 * max(e.abs_sum, 1), name)
        }
    }
}
