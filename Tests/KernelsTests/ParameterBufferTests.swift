// ParameterBuffer layout, whole-buffer passes and typed errors.
import DocketBase
import XCTest
import Kernels

final class ParameterBufferTests: XCTestCase {
    func testLayoutAndLookups() throws {
        let p = try ParameterBuffer(layout: [("a.weight", [3, 5]), ("a.bias", [3]), ("b", [2, 2, 2])])
        XCTAssertEqual(p.entries.map(\.name), ["a.weight", "a.bias", "b"])
        XCTAssertEqual(p.entries.map(\.count), [15, 3, 8])
        XCTAssertEqual(p.entries.map(\.offset), [0, 16, 32])
        XCTAssertEqual(p.count, 48)
        XCTAssertEqual(Int(bitPattern: p.baseAddress) % 64, 0, "64-byte alignment")
        XCTAssertEqual(try p.pointer("a.bias"), p.baseAddress + 16)
        XCTAssertThrowsError(try p.pointer("missing")) {
            XCTAssertEqual($0 as? KernelsError, .unknownParameter("missing"))
        }
        XCTAssertThrowsError(try ParameterBuffer(layout: [("x", [1]), ("x", [2])])) {
            XCTAssertEqual($0 as? KernelsError, .duplicateParameter("x"))
        }
        XCTAssertThrowsError(try ParameterBuffer(layout: [("x", [-1])]))
    }

    /// Whole-buffer copy and zero (gradient clipping is Training's GradientClipping).
    func testCopyZero() throws {
        let p = try ParameterBuffer(layout: [("w", [37]), ("b", [5])])
        let w = try p.buffer("w"), b = try p.buffer("b")
        for i in 0..<w.count { w[i] = Float(i) * 0.1 - 1 }
        for i in 0..<b.count { b[i] = 2 }
        let g = p.makeZeroedLike()
        XCTAssertEqual(g.entries, p.entries)
        XCTAssertTrue(UnsafeBufferPointer(start: g.baseAddress, count: g.count).allSatisfy { $0 == 0 })
        try g.copy(from: p)
        XCTAssertEqual(Array(try g.buffer("w")), Array(w))
        XCTAssertEqual(Array(try g.buffer("b")), Array(b))
        g.zero()
        XCTAssertTrue(UnsafeBufferPointer(start: g.baseAddress, count: g.count).allSatisfy { $0 == 0 })
        let other = try ParameterBuffer(layout: [("w", [37])])
        XCTAssertThrowsError(try g.copy(from: other))
    }
}

final class KernelsErrorTests: XCTestCase {
    func testBadIdsLabelsAndProbabilities() {
        var out = [Float](repeating: 0, count: 4), table = [Float](repeating: 1, count: 8)
        XCTAssertThrowsError(try embeddingForward(out: &out, ids: [0, 4], table: &table, vocab: 4, rows: 2, dim: 2)) {
            XCTAssertEqual($0 as? KernelsError, .indexOutOfRange(what: "token id", index: 4, position: 1, limit: 4))
        }
        XCTAssertEqual(out, [0, 0, 0, 0], "nothing written before the check")
        var probs = [Float](repeating: 0, count: 4)
        XCTAssertThrowsError(try softmaxCrossEntropyForward(probs: &probs, logits: [0, 0, 0, 0], labels: [1, -1],
                                                           classWeights: nil, batch: 2, classes: 2))
        XCTAssertThrowsError(try softmaxCrossEntropyForward(probs: &probs, logits: [0, 0, 0, 0], labels: [1, 1],
                                                           classWeights: [1, 0], batch: 2, classes: 2)) {
            XCTAssertEqual($0 as? KernelsError, .invalidClassWeightSum(0))
        }
        var mask = [UInt8](repeating: 0, count: 4), rng = SeededRNG(seed: 1)
        XCTAssertThrowsError(try dropoutForward(out: &out, mask: &mask, input: [1, 2, 3, 4], count: 4, p: 1, rng: &rng))
        XCTAssertNoThrow(try dropoutForward(out: &out, mask: &mask, input: [1, 2, 3, 4], count: 4, p: 0, rng: &rng))
        XCTAssertEqual(out, [1, 2, 3, 4], "p = 0 is an identity copy")
        let x = out
        XCTAssertThrowsError(try attentionForward(out: &out, probs: &probs, q: x, k: x, v: x, keyMask: nil,
                                                  batch: 1, seqLen: 1, channels: 4, heads: 3, rng: &rng))
    }
}

final class DropoutMaskTests: XCTestCase {
    /// The bulk mask generator advances the RNG exactly like SeededRNG.next(), one draw per two
    /// entries, and keeps entries with probability 1 − p.
    func testMaskStreamAndKeepRate() {
        var a = SeededRNG(seed: 77), b = a
        var mask = [UInt8](repeating: 0, count: 200_001)
        drawDropoutMask(&mask, count: mask.count, p: 0.1, rng: &a)
        var expected = [UInt8](repeating: 0, count: mask.count)
        let threshold = UInt64(Double(Float(0.1)) * 4_294_967_296.0)
        for i in stride(from: 0, to: mask.count, by: 2) {
            let r = b.next()
            expected[i] = (r & 0xFFFF_FFFF) >= threshold ? 1 : 0
            if i + 1 < mask.count { expected[i + 1] = (r >> 32) >= threshold ? 1 : 0 }
        }
        XCTAssertEqual(mask, expected)
        XCTAssertEqual(a, b, "generator state after the bulk draw")
        let rate = Double(mask.filter { $0 == 1 }.count) / Double(mask.count)
        XCTAssertEqual(rate, 0.9, accuracy: 0.003, "keep rate (σ ≈ 0.0007)")
    }
}
