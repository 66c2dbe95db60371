// Exact parity with Hugging Face `tokenizers` 0.23 (BertNormalizer + BertPreTokenizer + WordPiece
// + TemplateProcessing) on the real all-MiniLM-L6-v2 uncased vocabulary. Fixtures come from
// Scripts/fixtures/make_tokenizer_fixtures.py; equality is exact (ids, tokens, type ids, masks, offsets).
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class WordPieceParityTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let config: String
        let text: String
        let pair: String?
        let add_special_tokens: Bool
        let max_length: Int?
        let stride: Int?
        let expected: ExpectedEncoding
        let decoded: String
    }
    struct BatchCase: Decodable {
        let texts: [String]
        let longest: [ExpectedEncoding]
        let fixed24: [ExpectedEncoding]
    }
    struct HardFile: Decodable { let cases: [Case]; let batch: BatchCase }

    func testHardStringsMatchHuggingFace() throws {
        let file = try loadJSON(HardFile.self, "wordpiece_hard.json")
        var tokenizers: [String: Tokenizer] = [:]
        for c in file.cases {
            let tok = try tokenizers[c.config] ?? miniLMTokenizer(config: c.config)
            tokenizers[c.config] = tok
            let strategy: TruncationStrategy = c.name.hasSuffix("only_second") ? .onlySecond : .longestFirst
            let got = try tok.encode(c.text, pair: c.pair, addSpecialTokens: c.add_special_tokens,
                                     maxLength: c.max_length, stride: c.stride ?? 0, truncationStrategy: strategy)
            assertSameEncoding(got, c.expected, c.name, text: c.text)
            XCTAssertEqual(tok.decode(got.ids), c.decoded, "\(c.name): decode")
        }
        XCTAssertGreaterThan(file.cases.count, 90)
    }

    func testBatchPaddingMatchesHuggingFace() throws {
        let file = try loadJSON(HardFile.self, "wordpiece_hard.json")
        let tok = try miniLMTokenizer(config: "uncased")
        let longest = try tok.encodeBatch(file.batch.texts, padding: .longest)
        let fixed = try tok.encodeBatch(file.batch.texts, padding: .fixed(24))
        for i in file.batch.texts.indices {
            assertSameEncoding(longest[i], file.batch.longest[i], "batch longest \(i)", text: file.batch.texts[i])
            assertSameEncoding(fixed[i], file.batch.fixed24[i], "batch fixed \(i)", text: file.batch.texts[i])
        }
    }

    /// vocab.txt alone must behave as the uncased tokenizer.json (HF's default for BERT vocabularies).
    func testVocabTxtAloneIsUncased() throws {
        let file = try loadJSON(HardFile.self, "wordpiece_hard.json")
        let dir = try miniLMDirectory()
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("docket-vocab-only-\(getpid())")
        try? FileManager.default.removeItem(at: tmp)
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("vocab.txt"), to: tmp.appendingPathComponent("vocab.txt"))
        let tok = try Tokenizer.load(from: tmp.appendingPathComponent("vocab.txt"))
        for c in file.cases where c.config == "uncased" && c.pair == nil && c.max_length == nil {
            let got = try tok.encode(c.text, addSpecialTokens: c.add_special_tokens)
            assertSameEncoding(got, c.expected, "vocab.txt " + c.name, text: c.text)
        }
    }
}

/// 400 seeded random strings × 2 configs drawn from every character class the BERT pipeline
/// distinguishes (Scripts/fixtures/make_tokenizer_fixtures.py `RANDOM_POOLS`): ids and offsets identical.
final class WordPieceRandomParityTests: XCTestCase {
    struct Case: Decodable { let config: String; let text: String; let ids: [Int32]; let offsets: [[Int32]] }
    struct File: Decodable { let cases: [Case] }

    func testRandomUnicodeStringsMatchHuggingFace() throws {
        let file = try loadJSON(File.self, "wordpiece_random.json")
        var tokenizers: [String: Tokenizer] = [:]
        var failures = 0
        for c in file.cases {
            let tok = try tokenizers[c.config] ?? miniLMTokenizer(config: c.config)
            tokenizers[c.config] = tok
            let e = try tok.encode(c.text)
            let offsets = e.offsets.map { [$0.start, $0.end] }
            if e.ids != c.ids || offsets != c.offsets {
                failures += 1
                if failures <= 5 {
                    let i = zip(e.ids, c.ids).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.ids.count, c.ids.count)
                    XCTFail("\(c.config) \(c.text.unicodeScalars.map { String($0.value, radix: 16) }): first difference at token \(i): got \(e.tokens) \(offsets) want ids \(c.ids) \(c.offsets)")
                }
            }
        }
        XCTAssertEqual(failures, 0, "\(failures) of \(file.cases.count) random strings differ")
        XCTAssertEqual(file.cases.count, 800)
    }
}
