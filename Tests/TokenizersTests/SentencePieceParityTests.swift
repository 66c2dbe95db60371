// SentencePiece through Docket (libsentencepiece 0.1.97 via CSentencePiece) against Python
// `sentencepiece` 0.2.x on the same committed .model files: ids, pieces, offsets (Unicode
// scalars) and decoded text must be identical. Models and fixture: Scripts/fixtures/make_tokenizer_fixtures.py.
import Foundation
import XCTest
import TestSupport
@testable import Tokenizers

final class SentencePieceParityTests: XCTestCase {
    struct SPCase: Decodable { let text: String; let ids: [Int32]; let pieces: [String]; let offsets: [[Int32]]; let decoded: String }
    struct SPModel: Decodable { let file: String; let vocab_size: Int; let cases: [SPCase] }
    struct SPFile: Decodable { let models: [String: SPModel] }

    func testIdsPiecesOffsetsMatchPythonSentencePiece() throws {
        let file = try loadJSON(SPFile.self, "sentencepiece.json")
        XCTAssertEqual(Set(file.models.keys), ["unigram", "bpe"])
        for (kind, m) in file.models {
            let tok = try Tokenizer.load(from: tokenizerFixtures.appendingPathComponent(m.file))
            XCTAssertEqual(tok.kind, .sentencePiece)
            XCTAssertEqual(tok.vocabSize, m.vocab_size, kind)
            for c in m.cases {
                let e = try tok.encode(c.text, addSpecialTokens: false)
                XCTAssertEqual(e.ids, c.ids, "\(kind) ids for \(c.text.debugDescription)")
                // Python reports an unknown piece by its surface text; Docket's token is the
                // vocabulary's unknown piece ([UNK]), so pieces are compared where the id is known.
                let known = e.ids.indices.filter { e.ids[$0] != tok.unkId }
                XCTAssertEqual(known.map { e.tokens[$0] }, known.map { c.pieces[$0] }, "\(kind) pieces for \(c.text.debugDescription)")
                XCTAssertEqual(e.offsets.map { [$0.start, $0.end] }, c.offsets, "\(kind) offsets for \(c.text.debugDescription)")
                XCTAssertEqual(tok.decode(e.ids), c.decoded, "\(kind) decode")
            }
        }
    }

    func testSpecialTokensTemplateAndPadding() throws {
        let tok = try Tokenizer.load(from: tokenizerFixtures.appendingPathComponent("sp_unigram.model"))
        XCTAssertEqual(tok.token(for: tok.clsId), "[CLS]")
        XCTAssertEqual(tok.token(for: tok.sepId), "[SEP]")
        XCTAssertEqual(tok.padId, 0)
        let batch = try tok.encodeBatch(["The court held.", "Motion denied"], pairs: ["Yes.", "No"], padding: .longest)
        XCTAssertEqual(batch[0].count, batch[1].count)
        XCTAssertEqual(batch[0].ids.first, tok.clsId)
        XCTAssertEqual(batch[0].typeIds.last, 1)
        // "[MASK]" written in the text is matched as the control symbol, not split into pieces.
        let masked = try tok.encode("the [MASK] held", addSpecialTokens: false)
        XCTAssertTrue(masked.ids.contains(try XCTUnwrap(tok.id(for: "[MASK]"))))
    }

    func testTrainingProducesLoadableModels() throws {
        let texts = (0..<400).map { i in "The court held that motion \(i % 17) was denied; the appeal of section \(i % 31) failed." }
        for type in [SentencePieceTrainer.ModelType.unigram, .bpe] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("docket-sp-\(type.rawValue)-\(getpid()).model")
            try SentencePieceTrainer.train(texts: texts, type: type, vocabSize: 80, output: out)
            let tok = try Tokenizer.load(from: out)
            XCTAssertEqual(tok.token(for: 0), "[PAD]")
            XCTAssertEqual(tok.token(for: 1), "[UNK]")
            let e = try tok.encode("The court held that motion 3 was denied.", addSpecialTokens: false)
            XCTAssertFalse(e.ids.contains(tok.unkId), "\(type): seen text should not need [UNK]")
            XCTAssertEqual(tok.decode(e.ids), "The court held that motion 3 was denied.")
        }
    }
}

/// ≥ 1 MB of real legal text (read at test time, skipped when ../shared is absent) through both
/// committed models: per-document FNV-1a-64 of the ids must equal Python sentencepiece's.
final class SentencePieceLegalRealTests: XCTestCase {
    struct Doc: Decodable { let line: Int; let count: Int; let fnv: String }
    struct Model: Decodable { let utf8_bytes: Int; let documents: [Doc] }
    struct File: Decodable { let file: String; let models: [String: Model] }

    func testRealLegalTextIdsMatchPythonSentencePiece() throws {
        let corpus = try legalRealCorpus()
        let fixture = try loadJSON(File.self, "sentencepiece_legal_real.json")
        let data = try Data(contentsOf: corpus.appendingPathComponent(fixture.file))
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (kind, m) in fixture.models {
            XCTAssertGreaterThanOrEqual(m.utf8_bytes, 1_000_000)
            let tok = try Tokenizer.load(from: tokenizerFixtures.appendingPathComponent("sp_\(kind).model"))
            for doc in m.documents {
                let obj = try JSONSerialization.jsonObject(with: Data(lines[doc.line])) as? [String: Any]
                let text = try XCTUnwrap(obj?["text"] as? String)
                let e = try tok.encode(text, addSpecialTokens: false)
                XCTAssertEqual(e.count, doc.count, "\(kind) line \(doc.line): piece count")
                XCTAssertEqual(LegalRealParityTests.fnv1a64(e.ids[...]), doc.fnv, "\(kind) line \(doc.line): ids differ")
            }
        }
    }
}
