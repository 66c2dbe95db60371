// Parity on ≥ 1 MB of real legal text (../shared/corpora/legal5-real/train.jsonl, read at test
// time; skipped when absent). The fixture holds only FNV-1a-64 digests of the HF (id, start, end)
// triples per 128-token chunk, so a mismatch is located to its chunk without storing any text.
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class LegalRealParityTests: XCTestCase {
    struct Doc: Decodable { let line: Int; let count: Int; let chunks: [String] }
    struct File: Decodable { let file: String; let chunk_tokens: Int; let utf8_bytes: Int; let documents: [Doc] }

    static func fnv1a64(_ values: ArraySlice<Int32>) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in values {
            let u = UInt32(bitPattern: v)
            for k in 0..<4 { h = (h ^ UInt64((u >> (8 * UInt32(k))) & 0xFF)) &* 0x100_0000_01b3 }
        }
        return String(h, radix: 16).leftPadded(to: 16)
    }

    func testRealLegalTextMatchesHuggingFace() throws {
        let corpus = try legalRealCorpus()
        let fixture = try loadJSON(File.self, "wordpiece_legal_real.json")
        let tok = try miniLMTokenizer(config: "uncased")
        let data = try Data(contentsOf: corpus.appendingPathComponent(fixture.file))
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var bytes = 0, tokens = 0
        for doc in fixture.documents {
            let obj = try JSONSerialization.jsonObject(with: Data(lines[doc.line])) as? [String: Any]
            let text = try XCTUnwrap(obj?["text"] as? String, "line \(doc.line) has no text")
            bytes += text.utf8.count
            let e = try tok.encode(text)
            tokens += e.count
            XCTAssertEqual(e.count, doc.count, "line \(doc.line): token count")
            let flat = zip(e.ids, e.offsets).flatMap { [$0.0, $0.1.start, $0.1.end] }
            let per = 3 * fixture.chunk_tokens
            for (k, want) in doc.chunks.enumerated() {
                let got = Self.fnv1a64(flat[(k * per)..<min(flat.count, (k + 1) * per)])
                if got != want {
                    let lo = k * fixture.chunk_tokens, hi = min(e.count, lo + fixture.chunk_tokens)
                    let scalars = Array(text.unicodeScalars)
                    let s = Int(e.offsets[lo].start), t = min(scalars.count, Int(e.offsets[hi - 1].end))
                    XCTFail("line \(doc.line): chunk \(k) (tokens \(lo)..<\(hi)) differs from HF. Our tokens: \(e.tokens[lo..<hi].joined(separator: " ")) — text: \(String(String.UnicodeScalarView(scalars[s..<max(s, t)])).prefix(600).debugDescription)")
                    break
                }
            }
        }
        XCTAssertGreaterThanOrEqual(bytes, 1_000_000, "the fixture must cover at least 1 MB of text")
        print("legal-real parity: \(fixture.documents.count) documents, \(bytes) bytes, \(tokens) tokens")
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
