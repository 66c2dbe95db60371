// Behaviour beyond parity: typed errors for bad files and arguments, thread safety, save/load
// round trips, and WordPiece vocabulary training.
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class TokenizerBehaviourTests: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("docket-tok-behaviour-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = tmp.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Asserts `body` throws a TokenizerError whose message mentions `fragment`.
    func assertTokenizerError(_ fragment: String, _ body: () throws -> Any, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error mentioning \(fragment)", line: line)
        } catch let e as TokenizerError {
            XCTAssertTrue(e.description.contains(fragment), "\(e.description) should mention \(fragment)", line: line)
        } catch {
            XCTFail("unexpected error type \(error)", line: line)
        }
    }

    func testBadFilesGiveTypedErrorsNamingTheFile() throws {
        assertTokenizerError("no such file") { try Tokenizer.load(from: self.tmp.appendingPathComponent("missing.txt")) }
        let badUTF8 = try write("vocab.txt", [0x5B, 0x55, 0x4E, 0x4B, 0x5D, 0x0A, 0xFF, 0xFE, 0x0A])
        assertTokenizerError("invalid UTF-8 in \(badUTF8.path)") { try Tokenizer.load(from: badUTF8) }
        let empty = try write("empty.txt", [])
        assertTokenizerError("empty") { try Tokenizer.load(from: empty) }
        let noUnk = try write("nounk.txt", Array("[PAD]\n[CLS]\n[SEP]\nhello\n".utf8))
        assertTokenizerError("[UNK]") { try Tokenizer.load(from: noUnk) }
        let notJSON = try write("tokenizer.json", Array("{ not json".utf8))
        assertTokenizerError("malformed tokenizer file \(notJSON.path)") { try Tokenizer.load(from: notJSON) }
        let bpe = try write("bpe.json", Array(#"{"model": {"type": "BPE", "vocab": {}}}"#.utf8))
        assertTokenizerError("model type BPE") { try Tokenizer.load(from: bpe) }
        let badNorm = try write("norm.json", Array(#"{"normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}"#.utf8))
        assertTokenizerError("normalizer type NFKC") { try Tokenizer.load(from: badNorm) }
        let gaps = try write("gaps.json", Array(#"{"normalizer": null, "pre_tokenizer": {"type": "BertPreTokenizer"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 2}}}"#.utf8))
        assertTokenizerError("not dense") { try Tokenizer.load(from: gaps) }
        let garbageModel = try write("x.model", Array("not a model".utf8))
        assertTokenizerError("malformed tokenizer file \(garbageModel.path): invalid SentencePiece model") { try Tokenizer.load(from: garbageModel) }
        let emptyDir = tmp.appendingPathComponent("emptydir")
        try FileManager.default.createDirectory(at: emptyDir, withIntermediateDirectories: true)
        assertTokenizerError("no tokenizer in \(emptyDir.path)") { try Tokenizer.load(from: emptyDir) }
    }

    func testInvalidEncodeArgumentsThrow() throws {
        let tok = try miniLMTokenizer(config: "uncased")
        assertTokenizerError("below the 2 special tokens") { try tok.encode("hello world", maxLength: 1) }
        assertTokenizerError("stride") { try tok.encode(String(repeating: "word ", count: 50), maxLength: 10, stride: 8) }
        assertTokenizerError("pairs") { try tok.encodeBatch(["a", "b"], pairs: ["c"]) }
        assertTokenizerError("negative") { try tok.encode("hello", addSpecialTokens: false, maxLength: -3) }
        assertTokenizerError("negative") { try tok.encode("hello", maxLength: 8, stride: -1) }
    }

    func testConcurrentEncodingMatchesSerial() async throws {
        let tok = try miniLMTokenizer(config: "uncased")
        let texts = (0..<64).map { i in "Document \(i): Smith v. Jones, \(100 + i) F.3d \(i * 7) (2d Cir. 1997) — café naïve 中文 \(String(repeating: "x", count: i))" }
        let serial = try texts.map { try tok.encode($0, maxLength: 32, stride: 4) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, Encoding).self) { group in
            for (i, t) in texts.enumerated() { group.addTask { (i, try tok.encode(t, maxLength: 32, stride: 4)) } }
            var out = [Int: Encoding]()
            for try await (i, e) in group { out[i] = e }
            return out
        }
        for i in texts.indices { XCTAssertEqual(concurrent[i], serial[i], "text \(i)") }
    }

    func testSaveAndReloadGiveIdenticalEncodings() throws {
        let texts = ["Café naïve RÉSUMÉ", "Smith v. Jones, 123 F.3d 456 (2d Cir. 1997)", "中文 [MASK] ok"]
        for config in ["uncased", "cased"] {
            let tok = try miniLMTokenizer(config: config)
            let dir = tmp.appendingPathComponent("saved-\(config)")
            try tok.save(to: dir)
            let back = try Tokenizer.load(from: dir)
            XCTAssertEqual(back.vocabSize, tok.vocabSize)
            for t in texts { XCTAssertEqual(try back.encode(t), try tok.encode(t), "\(config): \(t)") }
        }
        let sp = try Tokenizer.load(from: tokenizerFixtures.appendingPathComponent("sp_unigram.model"))
        let dir = tmp.appendingPathComponent("saved-sp")
        try sp.save(to: dir)
        let back = try Tokenizer.load(from: dir)
        for t in texts { XCTAssertEqual(try back.encode(t), try sp.encode(t)) }
    }

    func testWordPieceTrainingIsDeterministicAndCoversTheCorpus() throws {
        let texts = (0..<300).map { i in "The Court held that the motion \(i % 13) to dismiss was DENIED; appeal of § \(i % 7)(a) failed. Café." }
        let a = try WordPieceTrainer.train(texts: texts, vocabSize: 120)
        let b = try WordPieceTrainer.train(texts: texts, vocabSize: 120)
        XCTAssertEqual(a, b, "training must be deterministic")
        XCTAssertEqual(Array(a.prefix(5)), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        XCTAssertLessThanOrEqual(a.count, 120)
        XCTAssertEqual(Set(a).count, a.count, "no duplicates")
        XCTAssertTrue(a.contains("§") && a.contains("##e") && a.contains("the"), "characters, ## forms and frequent words")
        let vocabURL = tmp.appendingPathComponent("vocab.txt")
        try (a.joined(separator: "\n") + "\n").write(to: vocabURL, atomically: true, encoding: .utf8)
        let tok = try Tokenizer.load(from: vocabURL)
        for t in texts.prefix(20) { XCTAssertFalse(try tok.encode(t).ids.contains(tok.unkId), "seen text needs no [UNK]: \(t)") }
        XCTAssertLessThan(try tok.encode(texts[0]).count, texts[0].count / 2, "merges shorten the encoding")
    }

    func testOffsetsPointIntoTheOriginalText() throws {
        let tok = try miniLMTokenizer(config: "uncased")
        let text = "Ünïcödé\u{200B}text, 𝐀 and 中文"
        let e = try tok.encode(text)
        let scalars = Array(text.unicodeScalars)
        XCTAssertEqual(e.offsets.first, TokenOffset(0, 0))
        XCTAssertEqual(e.offsets.last, TokenOffset(0, 0))
        for o in e.offsets.dropFirst().dropLast() {
            XCTAssertLessThan(o.start, o.end)
            XCTAssertLessThanOrEqual(Int(o.end), scalars.count)
        }
    }
}
