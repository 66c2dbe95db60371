// The reader against files written by Python `safetensors` + PyTorch
// (Scripts/fixtures/make_safetensors_fixtures.py). Conversions are exact, so the comparison is bit for
// bit (F16/BF16 → F32 is exact in both implementations; F64 → F32 is IEEE round-to-nearest).
import Foundation
import XCTest
@testable import SafeTensors
import TestSupport

final class SafeTensorsReferenceTests: XCTestCase {
    private let dir = fixturesDirectory.appendingPathComponent("safetensors")

    /// Bit patterns, with every NaN mapped to one canonical value (payload bits are not promised).
    private func bits(_ x: [Float]) -> [UInt32] { x.map { $0.isNaN ? 0x7FC0_0000 : $0.bitPattern } }

    func testDecodesF16AndBF16ExactlyAsPyTorch() throws {
        let f = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("dtypes.safetensors"))
        XCTAssertEqual(try f.info("values.f16").dtype, .f16)
        XCTAssertEqual(try f.info("values.f16").shape, [4, 16])
        XCTAssertEqual(try f.info("values.bf16").dtype, .bf16)
        XCTAssertEqual(try f.info("values.bf16").shape, [2, 4, 8])
        XCTAssertEqual(bits(try f.floats("values.f16")), bits(try f.floats("values.f16.as_f32")))
        XCTAssertEqual(bits(try f.floats("values.bf16")), bits(try f.floats("values.bf16.as_f32")))
        // The fixture really exercises the hard cases: subnormals, infinities, NaN.
        let h = try f.floats("values.f16.as_f32")
        XCTAssertTrue(h.contains { $0 != 0 && abs($0) < 6.1e-5 }, "f16 subnormal present")
        XCTAssertTrue(h.contains(.infinity) && h.contains { $0.isNaN })
    }

    func testOtherDTypesAndMetadata() throws {
        let f = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("dtypes.safetensors"))
        XCTAssertEqual(f.metadata["generator"], "Scripts/make_safetensors_fixtures.py")
        XCTAssertEqual(f.metadata["note"], "unicode ✓ \"quoted\"")
        XCTAssertEqual(Set(f.names), ["values.f32", "values.f16", "values.bf16", "values.f64", "ints.i64", "scalar.f32",
                                      "empty.f32", "mask.u8", "values.f16.as_f32", "values.bf16.as_f32"])
        // F64 → F32 rounds exactly like PyTorch's .float() on the same source values.
        let f64 = try f.floats("values.f64"), f32 = try f.floats("values.f32")
        XCTAssertEqual(bits(f64), bits(f32))
        XCTAssertEqual(try f.floats("ints.i64"), [0, 1, -1, 123456, -987654, 16_777_216])
        XCTAssertEqual(try f.info("scalar.f32").shape, [])
        XCTAssertEqual(try f.floats("scalar.f32"), [7.25])
        XCTAssertEqual(try f.info("empty.f32").shape, [0, 3])
        XCTAssertEqual(try f.floats("empty.f32"), [])
        XCTAssertEqual(try f.info("mask.u8").dtype, .u8)
        XCTAssertThrowsError(try f.floats("mask.u8")) {
            guard case .unsupportedDType(_, "mask.u8", "U8")? = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
        }
        try f.withRawBytes("mask.u8") { XCTAssertEqual(Array($0), [1, 0, 1]) }
    }

    /// Docket's BF16 writer gives the same bits as PyTorch's float32 → bfloat16 cast.
    func testBF16WriterMatchesPyTorchRounding() throws {
        let ref = try SafeTensorsFile(contentsOf: dir.appendingPathComponent("bf16_rounding.safetensors"))
        let input = try ref.floats("input")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("bf16-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: out) }
        try input.withUnsafeBufferPointer {
            try SafeTensorsWriter.write([("input", [input.count], $0)], metadata: [:], to: out, dtype: .bf16)
        }
        let mine = try SafeTensorsFile(contentsOf: out)
        let expectedBits = try ref.withRawBytes("expected") { Array($0) }
        let myBits = try mine.withRawBytes("input") { Array($0) }
        XCTAssertEqual(myBits.count, expectedBits.count)
        // Compare element by element; NaNs only need to stay NaN.
        let a = try mine.floats("input"), e = try ref.floats("expected")
        for i in 0..<a.count {
            if e[i].isNaN { XCTAssertTrue(a[i].isNaN, "element \(i)") } else {
                XCTAssertEqual(a[i].bitPattern, e[i].bitPattern, "element \(i): input bits \(String(input[i].bitPattern, radix: 16))")
            }
        }
    }
}
