// Helpers for the tokenizer parity tests: fixture decoding, MiniLM tokenizer variants, and an
// exact comparison that reports the first differing token with its neighbours.
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

let tokenizerFixtures = fixturesDirectory.appendingPathComponent("tokenizers")

/// Expected encoding as written by Scripts/fixtures/make_tokenizer_fixtures.py.
struct ExpectedEncoding: Decodable {
    let ids: [Int32]
    let tokens: [String]
    let type_ids: [Int32]
    let attention_mask: [Int32]
    let offsets: [[Int32]]
    let overflowing: [ExpectedEncoding]?
}

func loadJSON<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
    let data = try Data(contentsOf: tokenizerFixtures.appendingPathComponent(name))
    return try JSONDecoder().decode(T.self, from: data)
}

/// The MiniLM uncased vocabulary loaded three ways: its tokenizer.json ("uncased"), and its
/// vocab.txt beside a tokenizer_config.json that makes it cased / lowercase-keep-accents.
func miniLMTokenizer(config: String) throws -> Tokenizer {
    let dir = try miniLMDirectory()
    if config == "uncased" { return try Tokenizer.load(from: dir.appendingPathComponent("tokenizer.json")) }
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tok-\(config)-\(getpid())")
    try? FileManager.default.removeItem(at: tmp)
    try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: dir.appendingPathComponent("vocab.txt"), to: tmp.appendingPathComponent("vocab.txt"))
    let cfg = config == "cased" ? #"{"do_lower_case": false}"# : #"{"do_lower_case": true, "strip_accents": false}"#
    try cfg.write(to: tmp.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
    return try Tokenizer.load(from: tmp)
}

/// Exact equality of every field; on a mismatch fails with the first differing position.
func assertSameEncoding(_ got: Encoding, _ want: ExpectedEncoding, _ label: String, text: String,
                        file: StaticString = #filePath, line: UInt = #line) {
    let gotOffsets = got.offsets.map { [$0.start, $0.end] }
    let n = max(got.ids.count, want.ids.count)
    for i in 0..<n {
        let g = i < got.ids.count ? "\(got.ids[i]) \(got.tokens[i]) \(gotOffsets[i]) t\(got.typeIds[i]) m\(got.attentionMask[i])" : "<end>"
        let w = i < want.ids.count ? "\(want.ids[i]) \(want.tokens[i]) \(want.offsets[i]) t\(want.type_ids[i]) m\(want.attention_mask[i])" : "<end>"
        if g != w {
            let lo = max(0, i - 3)
            let context = want.tokens[lo..<min(want.tokens.count, i + 3)].joined(separator: " ")
            let scalars = Array(text.unicodeScalars)
            var span = ""
            if i < want.offsets.count, want.offsets[i][1] <= scalars.count {
                let s = Int(want.offsets[i][0]), e = Int(want.offsets[i][1])
                span = String(String.UnicodeScalarView(scalars[max(0, s - 10)..<min(scalars.count, e + 10)]))
            }
            XCTFail("\(label): first difference at token \(i): got [\(g)] want [\(w)]; expected tokens around: \(context); text around: \(span.debugDescription)",
                    file: file, line: line)
            return
        }
    }
    let wantOver = want.overflowing ?? []
    guard got.overflowing.count == wantOver.count else {
        XCTFail("\(label): \(got.overflowing.count) overflowing windows, expected \(wantOver.count)", file: file, line: line)
        return
    }
    for (k, (g, w)) in zip(got.overflowing, wantOver).enumerated() {
        assertSameEncoding(g, w, "\(label) overflow[\(k)]", text: text, file: file, line: line)
    }
}
