// Writer → reader round trips: F32 bit-exact, BF16 equal to round-to-nearest-even of the input,
// names in write order, metadata, 8-byte data alignment, writer input validation.
import Foundation
import XCTest
@testable import SafeTensors
import TestSupport

final class SafeTensorsRoundTripTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Deterministic test values covering signs, magnitudes, ±0, ±inf, subnormals.
    private func values(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed
        var out: [Float] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        while out.count < n {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            out.append(Float(bitPattern: UInt32(truncatingIfNeeded: s >> 33) & 0x7F7F_FFFF) * (s & 1 == 0 ? 1 : -1))
        }
        return Array(out.prefix(n))
    }

    private func write(_ tensors: [(String, [Int], [Float])], metadata: [String: String] = [:],
                       dtype: SafeTensorsWriter.StorageType, to url: URL) throws {
        // Keep every array alive while its buffer pointer is used.
        func go(_ i: Int, _ acc: [SafeTensorsWriter.Tensor]) throws {
            if i == tensors.count { return try SafeTensorsWriter.write(acc, metadata: metadata, to: url, dtype: dtype) }
            try tensors[i].2.withUnsafeBufferPointer { try go(i + 1, acc + [(tensors[i].0, tensors[i].1, $0)]) }
        }
        try go(0, [])
    }

    func testF32RoundTripIsBitExactAndKeepsOrder() throws {
        let url = dir.appendingPathComponent("model.safetensors")
        let a = values(6 * 5, seed: 1), b = values(7, seed: 2)
        let meta = ["format": "pt", "note": "quote \" backslash \\ newline \n unicode é✓"]
        try write([("z.weight", [6, 5], a), ("a.bias", [7], b), ("scalar", [], [3.5]), ("empty", [0, 4], [])],
                  metadata: meta, dtype: .f32, to: url)
        let f = try SafeTensorsFile(contentsOf: url)
        XCTAssertEqual(f.names, ["z.weight", "a.bias", "scalar", "empty"])
        XCTAssertEqual(f.metadata, meta)
        XCTAssertEqual(try f.info("z.weight").shape, [6, 5])
        XCTAssertEqual(try f.info("z.weight").dtype, .f32)
        XCTAssertEqual(try f.info("scalar").count, 1)
        XCTAssertEqual(try f.info("empty").count, 0)
        XCTAssertEqual(try f.floats("z.weight").map(\.bitPattern), a.map(\.bitPattern))
        XCTAssertEqual(try f.floats("a.bias").map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertEqual(try f.floats("scalar"), [3.5])
        XCTAssertEqual(try f.floats("empty"), [])
        // copyFloats into a caller buffer; wrong count is a typed error.
        var out = [Float](repeating: 0, count: 7)
        try out.withUnsafeMutableBufferPointer { try f.copyFloats("a.bias", into: $0.baseAddress!, count: 7) }
        XCTAssertEqual(out.map(\.bitPattern), b.map(\.bitPattern))
        XCTAssertThrowsError(try out.withUnsafeMutableBufferPointer { try f.copyFloats("z.weight", into: $0.baseAddress!, count: 7) }) {
            guard case .countMismatch(_, "z.weight", 30, 7)? = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try f.floats("missing")) {
            guard case .unknownTensor(_, "missing")? = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
        }
    }

    func testHeaderIsPaddedSoDataIsEightByteAligned() throws {
        for nameLength in 1...9 {
            let url = dir.appendingPathComponent("pad\(nameLength).safetensors")
            try write([(String(repeating: "x", count: nameLength), [2], [1, 2])], dtype: .f32, to: url)
            let bytes = try Data(contentsOf: url)
            let n = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            XCTAssertEqual((8 + Int(n)) % 8, 0, "data start for name length \(nameLength)")
            XCTAssertEqual(bytes.count, 8 + Int(n) + 8)
            XCTAssertEqual(try SafeTensorsFile(contentsOf: url).floats(String(repeating: "x", count: nameLength)), [1, 2])
        }
    }

    func testBF16WriteRoundsToNearestEven() throws {
        let url = dir.appendingPathComponent("bf16.safetensors")
        // 1 + 2^-8 is exactly halfway between bf16 1.0 and 1.0078125: ties go to even (1.0);
        // 1 + 3·2^-8 is halfway between 1.0078125 (odd) and 1.015625 (even) → 1.015625.
        let x: [Float] = [1 + 1.0 / 256, 1 + 3.0 / 256, 1 + 1.0 / 256 + 1e-6, -2.5, .nan, .greatestFiniteMagnitude]
        try write([("x", [6], x)], dtype: .bf16, to: url)
        let f = try SafeTensorsFile(contentsOf: url)
        XCTAssertEqual(try f.info("x").dtype, .bf16)
        let y = try f.floats("x")
        XCTAssertEqual(Array(y[0..<4]), [1.0, 1.015625, 1.0078125, -2.5])
        XCTAssertTrue(y[4].isNaN)
        XCTAssertEqual(y[5], .infinity)  // FLT_MAX rounds up past the largest bf16
    }

    func testWriterRejectsBadInput() throws {
        let url = dir.appendingPathComponent("bad.safetensors")
        XCTAssertThrowsError(try write([("a", [1], [1]), ("a", [1], [2])], dtype: .f32, to: url)) {
            guard case .duplicateName(_, "a")? = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try write([("a", [2, 2], [1, 2, 3])], dtype: .f32, to: url)) {
            guard case .shapeMismatch(_, "a", _, _, _)? = $0 as? SafeTensorsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try write([("a", [-1], [])], dtype: .f32, to: url))
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
        // No temp file is left behind after failures or success.
        try write([("a", [1], [1])], dtype: .f32, to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["bad.safetensors"])
    }
}
