// Hostile and broken files, generated here: each must give a specific typed error (naming the
// file), never a crash, hang or huge allocation. Offsets rules mirror the Rust crate: any JSON
// order, but sorted by offset the tensors must tile the data section exactly.
import Foundation
import XCTest
@testable import SafeTensors
import TestSupport

final class SafeTensorsCorruptInputTests: XCTestCase {
    private var dir: URL!
    private var counter = 0

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Writes `lengthPrefix` (default: the header's length) + header bytes + `dataBytes` zero bytes.
    private func file(header: [UInt8], dataBytes: Int, lengthPrefix: UInt64? = nil) throws -> URL {
        counter += 1
        let url = dir.appendingPathComponent("case\(counter).safetensors")
        var d = Data()
        withUnsafeBytes(of: (lengthPrefix ?? UInt64(header.count)).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: header)
        d.append(Data(count: dataBytes))
        try d.write(to: url)
        return url
    }

    private func file(_ header: String, dataBytes: Int, lengthPrefix: UInt64? = nil) throws -> URL {
        try file(header: Array(header.utf8), dataBytes: dataBytes, lengthPrefix: lengthPrefix)
    }

    /// Opens `url` expecting an error that `matches`; also checks the message names the file.
    private func expectError(_ url: URL, _ what: String, line: UInt = #line, _ matches: (SafeTensorsError) -> Bool) {
        do {
            _ = try SafeTensorsFile(contentsOf: url)
            XCTFail("\(what): opened without error", line: line)
        } catch let e as SafeTensorsError {
            XCTAssertTrue(matches(e), "\(what): unexpected error \(e)", line: line)
            XCTAssertTrue(e.description.contains(url.path), "\(what): message does not name the file: \(e)", line: line)
        } catch {
            XCTFail("\(what): untyped error \(error)", line: line)
        }
    }

    private let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#

    func testValidBaselineOpens() throws {
        let f = try SafeTensorsFile(contentsOf: try file(good, dataBytes: 12))
        XCTAssertEqual(f.names, ["a", "b"])
    }

    func testTruncatedAtSeveralPoints() throws {
        let full = try Data(contentsOf: try file(good, dataBytes: 12))
        // Inside the length prefix, inside the header, and inside the data section.
        for cut in [0, 1, 7, 8, 9, 50, full.count - 13, full.count - 5, full.count - 1] {
            counter += 1
            let url = dir.appendingPathComponent("cut\(cut).safetensors")
            try full.prefix(cut).write(to: url)
            expectError(url, "cut at \(cut)") {
                switch $0 {
                case .truncated, .badOffsets: return true  // header gone vs. data too short for the offsets
                default: return false
                }
            }
        }
    }

    func testHeaderLengthLies() throws {
        expectError(try file(good, dataBytes: 12, lengthPrefix: 1 << 60), "absurd 2^60") {
            if case .headerTooLarge(_, 1 << 60, SafeTensorsFile.maxHeaderLength) = $0 { return true } else { return false }
        }
        expectError(try file(good, dataBytes: 12, lengthPrefix: UInt64.max), "UInt64.max") {
            if case .headerTooLarge = $0 { return true } else { return false }
        }
        expectError(try file(good, dataBytes: 12, lengthPrefix: 5000), "longer than the file") {
            if case .truncated = $0 { return true } else { return false }
        }
        // Shorter than the real header: the JSON is cut and the rest counts as data.
        expectError(try file(good, dataBytes: 12, lengthPrefix: 20), "shorter than the header") {
            if case .invalidHeaderJSON = $0 { return true } else { return false }
        }
    }

    func testOffsetsOutOfBoundsReversedGapsAndTrailingBytes() throws {
        expectError(try file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 4), "end beyond data") {
            if case .badOffsets(_, "a", 0, 8, _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[9223372036854775800,9223372036854775807]}}"#, dataBytes: 8), "huge offsets") {
            if case .badOffsets = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, dataBytes: 8), "reversed") {
            if case .badOffsets(_, "a", 8, 0, _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, dataBytes: 8), "gap before") {
            if case .badOffsets(_, "a", 4, 8, _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 8), "trailing bytes") {
            if case .trailingBytes(_, 4, 8) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, dataBytes: 4), "three offsets") {
            if case .invalidEntry(_, "a", _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4.0]}}"#, dataBytes: 4), "float offset") {
            if case .invalidEntry(_, "a", _) = $0 { return true } else { return false }
        }
    }

    func testOverlapAndOrdering() throws {
        let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectError(try file(overlapping, dataBytes: 12), "overlap") {
            if case .overlap(_, "a", "b") = $0 { return true } else { return false }
        }
        let same = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        expectError(try file(same, dataBytes: 4), "identical ranges") {
            if case .overlap = $0 { return true } else { return false }
        }
        // Header order differing from offset order is fine (the Rust crate sorts by offset too).
        let unordered = #"{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let f = try SafeTensorsFile(contentsOf: try file(unordered, dataBytes: 12))
        XCTAssertEqual(f.names, ["b", "a"])
        XCTAssertEqual(try f.info("b").byteOffset, 8)
    }

    func testShapeDTypeMismatchAndOverflow() throws {
        expectError(try file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8), "3 floats in 8 bytes") {
            if case .shapeMismatch(_, "a", [3], "F32", _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8), "bf16 size") {
            if case .shapeMismatch = $0 { return true } else { return false }
        }
        let overflow = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
        expectError(try file(overflow, dataBytes: 8), "shape product overflows") {
            if case .shapeMismatch = $0 { return true } else { return false }
        }
        let bytesOverflow = #"{"a":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}}"#
        expectError(try file(bytesOverflow, dataBytes: 8), "bytes overflow") {
            if case .shapeMismatch = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, dataBytes: 8), "negative shape") {
            if case .invalidEntry(_, "a", _) = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,8]}}"#, dataBytes: 8), "shape beyond Int") {
            if case .invalidEntry = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}"#, dataBytes: 8), "string shape") {
            if case .invalidEntry = $0 { return true } else { return false }
        }
        expectError(try file(#"{"a":{"shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8), "missing dtype") {
            if case .invalidEntry = $0 { return true } else { return false }
        }
    }

    func testWrongDTypeStrings() throws {
        for dtype in ["float32", "f32", "F31", "", "FLOAT"] {
            expectError(try file(#"{"a":{"dtype":"\#(dtype)","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8), "dtype \(dtype)") {
                if case .unknownDType(_, "a", dtype) = $0 { return true } else { return false }
            }
        }
    }

    func testDuplicateNames() throws {
        let dup = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(try file(dup, dataBytes: 8), "duplicate") {
            if case .duplicateName(_, "a") = $0 { return true } else { return false }
        }
        // The same name spelled with an escape is still the same key.
        let escaped = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\u0061":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(try file(escaped, dataBytes: 8), "escaped duplicate") {
            if case .duplicateName(_, "a") = $0 { return true } else { return false }
        }
    }

    func testNonJSONAndNonUTF8Headers() throws {
        let cases: [(String, [UInt8])] = [
            ("garbage", Array("not json at all".utf8)),
            ("array", Array("[1,2,3]".utf8)),
            ("unterminated", Array(#"{"a":{"dtype":"F32""#.utf8)),
            ("trailing comma", Array(#"{"a":1,}"#.utf8)),
            ("invalid UTF-8", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]),
            ("NUL padding", Array("{}".utf8) + [0, 0, 0, 0, 0, 0]),
            ("deep nesting", Array(String(repeating: "[", count: 100_000).utf8)),
            ("metadata not strings", Array(#"{"__metadata__":{"k":1}}"#.utf8)),
            ("empty header", []),
        ]
        for (what, bytes) in cases {
            expectError(try file(header: bytes, dataBytes: 0), what) {
                if case .invalidHeaderJSON = $0 { return true } else { return false }
            }
        }
        // Trailing spaces (the writers' padding) are valid; an empty object is a file with no tensors.
        let f = try SafeTensorsFile(contentsOf: try file("{}      ", dataBytes: 0))
        XCTAssertEqual(f.names, [])
    }

    /// Random byte flips, insertions and cuts of a valid file (seeded, 1,000 cases): every
    /// outcome is either a successful open whose tensors all read back, or a SafeTensorsError.
    func testRandomCorruptionNeverCrashes() throws {
        let base = Array(try Data(contentsOf: try file(good, dataBytes: 12)))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let url = dir.appendingPathComponent("fuzz.safetensors")
        var opened = 0
        for _ in 0..<1000 {
            var bytes = base
            for _ in 0...next(3) {
                switch next(4) {
                case 0: bytes[next(bytes.count)] = UInt8(next(256))
                case 1: bytes[next(bytes.count)] = Array(#"{}[],:"0123456789-e."#.utf8)[next(19)]
                case 2: bytes.insert(UInt8(next(256)), at: next(bytes.count))
                default: bytes.removeLast(next(min(bytes.count, 20)))
                }
            }
            try Data(bytes).write(to: url)
            do {
                let f = try SafeTensorsFile(contentsOf: url)
                for name in f.names where f.tensors.first(where: { $0.name == name })!.dtype.isReadableAsFloat {
                    _ = try f.floats(name)
                }
                opened += 1
            } catch is SafeTensorsError {
                continue
            }
        }
        XCTAssertLessThan(opened, 1000, "mutations must produce rejected files too")
    }

    func testNotARegularFileAndMissingFile() {
        expectError(dir, "directory") { if case .io = $0 { return true } else { return false } }
        expectError(dir.appendingPathComponent("nope.safetensors"), "missing") { if case .io = $0 { return true } else { return false } }
    }
}
