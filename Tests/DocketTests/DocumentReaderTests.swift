// Document readers on good and malformed input: every error names the file and the line where
// the bad record starts; streaming reads keep memory flat on long inputs.
import Foundation
import XCTest
@testable import Docket
import TestSupport

final class DocumentReaderTests: XCTestCase {
    private var dir: URL!

    private var scratch: ScratchDirectory!

    override func setUpWithError() throws {
        scratch = try ScratchDirectory(prefix: "docs")
        dir = scratch.url
    }

    override func tearDownWithError() throws { scratch?.remove() }

    private func write(_ name: String, _ content: String) throws -> String { try scratch.write(name, content) }

    private func expect(_ path: String, format: DocumentFormat? = nil, options: DocumentReadOptions = .init(),
                        _ expected: DocumentError, line: UInt = #line) {
        XCTAssertThrowsError(try DocumentReader(path: path, format: format, options: options).readAll(), line: line) { error in
            XCTAssertEqual(error as? DocumentError, expected, line: line)
            XCTAssertTrue("\(error)".contains(path), "message names the file: \(error)", line: line)
        }
    }

    func testJSONLKeepsOtherFieldsVerbatim() throws {
        let p = try write("in.jsonl", """
        {"id": 7, "text": "Héllo \\"world\\"", "label": "Contract", "meta": {"a": [1, 2.50, null]}}

        {"text": "second", "text_pair": "pair", "label": 3, "tags": ["x"]}\r
        {"text":"third"}
        """)
        let r = try DocumentReader(path: p)
        XCTAssertEqual(r.format, .jsonl)
        let docs = try r.readAll()
        XCTAssertEqual(docs.count, 3)
        XCTAssertEqual(docs[0].text, "Héllo \"world\"")
        XCTAssertEqual(docs[0].label, "Contract")
        XCTAssertEqual(docs[0].fields, [RawField(key: "id", json: "7"), RawField(key: "meta", json: #"{"a": [1, 2.50, null]}"#)])
        XCTAssertEqual(docs[0].line, 1)
        XCTAssertEqual(docs[1].line, 3)
        XCTAssertEqual(docs[1].textPair, "pair")
        XCTAssertEqual(docs[1].label, "3")
        XCTAssertEqual(docs[1].fields, [RawField(key: "tags", json: #"["x"]"#)])
        XCTAssertEqual(docs[2], Document(text: "third", source: p, line: 4))
    }

    func testJSONLErrorsNameFileAndLine() throws {
        let p1 = try write("a.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"broken\"\n")
        expect(p1, .malformedJSON(file: p1, line: 2, detail: "unexpected end of input at column 18"))
        let p2 = try write("b.jsonl", "{\"text\": \"ok\"}\n\n{\"id\": 1}\n")
        expect(p2, .missingText(file: p2, line: 3))
        let p3 = try write("c.jsonl", "{\"text\": \"   \"}\n")
        expect(p3, .emptyText(file: p3, line: 1))
        let p4 = try write("d.jsonl", "{\"text\": 5}\n")
        expect(p4, .wrongFieldType(file: p4, line: 1, field: "text", expected: "a string"))
        let p5 = try write("e.jsonl", "{\"text\": \"a\", \"label\": \"X\"}\n{\"text\": \"b\"}\n")
        expect(p5, options: .init(requireLabel: true), .missingLabel(file: p5, line: 2))
        expect(p5, options: .init(labels: ["Y", "Z"]), .unknownLabel(file: p5, line: 1, label: "X", known: ["Y", "Z"]))
        let p6 = dir.appendingPathComponent("f.jsonl").path
        try Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A]).write(to: URL(fileURLWithPath: p6))
        expect(p6, .invalidUTF8(file: p6, line: 1))
        let p7 = try write("g.jsonl", "[\"text\"]\n")
        expect(p7, .malformedJSON(file: p7, line: 1, detail: "expected a JSON object at column 1"))
        let p8 = try write("h.jsonl", "{\"text\": \"a\", \"text\": \"b\"}\n")
        expect(p8, .malformedJSON(file: p8, line: 1, detail: "key \"text\" appears twice"))
        let missing = dir.appendingPathComponent("nope.jsonl").path
        XCTAssertThrowsError(try DocumentReader(path: missing)) {
            guard case .io(missing, _)? = $0 as? DocumentError else { return XCTFail("\($0)") }
        }
    }

    func testCSVQuotingAndColumns() throws {
        let p = try write("in.csv", "id,text,label,source\r\n" +
                          "1,plain text,Patent,web\r\n" +
                          "2,\"quoted, with comma and \"\"quotes\"\"\",Contract,\"\"\r\n" +
                          "3,\"spans\ntwo lines\",Litigation,mail\n" +
                          "\n" +
                          "4,\"ünïcode\",,x")
        let docs = try DocumentReader(path: p).readAll()
        XCTAssertEqual(docs.map(\.text), ["plain text", "quoted, with comma and \"quotes\"", "spans\ntwo lines", "ünïcode"])
        XCTAssertEqual(docs.map(\.label), ["Patent", "Contract", "Litigation", nil])
        XCTAssertEqual(docs.map(\.line), [2, 3, 4, 7])
        XCTAssertEqual(docs[0].fields, [RawField(key: "id", json: "\"1\""), RawField(key: "source", json: "\"web\"")])
        XCTAssertEqual(docs[1].fields[1], RawField(key: "source", json: "\"\""))
    }

    func testCSVErrorsNameFileAndLine() throws {
        let p1 = try write("a.csv", "name,label\nx,y\n")
        expect(p1, .malformedCSV(file: p1, line: 1, detail: "the header has no \"text\" column (columns: name, label)"))
        let p2 = try write("b.csv", "text,label\nok,A\n\"never closed,A\nmore\n")
        expect(p2, .malformedCSV(file: p2, line: 3, detail: "quoted field never closed"))
        let p3 = try write("c.csv", "text,label\nok,A\ntoo,many,fields\n")
        expect(p3, .malformedCSV(file: p3, line: 3, detail: "3 fields, the header has 2"))
        let p4 = try write("d.csv", "text,label\n\"a\"b,A\n")
        expect(p4, .malformedCSV(file: p4, line: 2, detail: "text after a closing quote"))
        let p5 = try write("e.csv", "text,label\n\"\",A\n")
        expect(p5, .emptyText(file: p5, line: 2))
        let p6 = try write("f.csv", "")
        expect(p6, .noDocuments(file: p6))
    }

    func testPlainTextAndTextDirectory() throws {
        let p = try write("in.txt", "first doc\n\n   \nsecond doc\r\nthird")
        let docs = try DocumentReader(path: p).readAll()
        XCTAssertEqual(docs.map(\.text), ["first doc", "second doc", "third"])
        XCTAssertEqual(docs.map(\.line), [1, 4, 5])

        _ = try write("folder/b.txt", "Bee document")
        _ = try write("folder/a.txt", "\u{FEFF}Ay document\nwith two lines")
        _ = try write("folder/notes.md", "ignored")
        let folder = dir.appendingPathComponent("folder").path
        let r = try DocumentReader(path: folder)
        XCTAssertEqual(r.format, .directory)
        let files = try r.readAll()
        XCTAssertEqual(files.map(\.text), ["Ay document\nwith two lines", "Bee document"])
        XCTAssertEqual(files.map(\.fields), [[RawField(key: "id", json: "\"a.txt\"")], [RawField(key: "id", json: "\"b.txt\"")]])
        let empty = try write("folder2/x.txt", " \n")
        expect(dir.appendingPathComponent("folder2").path, .emptyText(file: empty, line: 1))
    }

    func testClassFoldersGiveLabeledExamples() throws {
        _ = try write("corpus/Patent/p1.txt", "A patent claim")
        _ = try write("corpus/Contract/c2.txt", "Second contract")
        _ = try write("corpus/Contract/c1.txt", "First contract")
        let path = dir.appendingPathComponent("corpus").path
        XCTAssertEqual(DocumentFormat.infer(path: path), .classFolders)
        let ex = try LabeledExample.load(from: path)
        XCTAssertEqual(ex.map(\.label), ["Contract", "Contract", "Patent"])
        XCTAssertEqual(ex.map(\.text), ["First contract", "Second contract", "A patent claim"])
        XCTAssertEqual(LabeledExample.labelSet(ex), ["Contract", "Patent"])
        XCTAssertThrowsError(try LabeledExample.load(from: path, labels: ["Contract"])) {
            guard case .unknownLabel(_, 1, "Patent", ["Contract"])? = $0 as? DocumentError else { return XCTFail("\($0)") }
        }
        let jsonl = try write("train.jsonl", "{\"text\": \"a\", \"label\": \"X\"}\n{\"text\": \"b\"}\n")
        XCTAssertThrowsError(try LabeledExample.load(from: jsonl)) {
            XCTAssertEqual($0 as? DocumentError, .missingLabel(file: jsonl, line: 2))
        }
    }

    /// A 3 MB record spans several 1 MB read chunks and arrives whole.
    func testRecordLongerThanTheReadChunk() throws {
        let long = String(repeating: "abc ", count: 750_000)
        let p = try write("long.jsonl", "{\"text\": \"short\"}\n{\"text\": \"\(long)\", \"id\": 2}\n{\"text\": \"after\"}\n")
        let docs = try DocumentReader(path: p).readAll()
        XCTAssertEqual(docs.map(\.line), [1, 2, 3])
        XCTAssertEqual(docs[1].text.utf8.count, long.utf8.count)
        XCTAssertEqual(docs[1].fields, [RawField(key: "id", json: "2")])
        XCTAssertEqual(docs[2].text, "after")
    }

    /// A line beyond the limit is an error naming its line, not an unbounded allocation.
    func testOverlongLineIsAnError() throws {
        let p = try write("huge.txt", "ok\n" + String(repeating: "x", count: 3 << 20) + "\nnext\n")
        let lines = try ByteLineReader(path: p, maxLineLength: 1 << 20)
        XCTAssertEqual(try lines.nextLine().map(Array.init), Array("ok".utf8))
        XCTAssertThrowsError(try lines.nextLine()) {
            XCTAssertEqual($0 as? DocumentError, .lineTooLong(file: p, line: 2, limit: 1 << 20))
        }
    }

    /// Standard input without a format is sniffed: JSONL when the first record starts with '{'.
    func testSniffingLineFormat() throws {
        let j = try write("stdin-like-1", "\n  {\"text\": \"a\"}\n")
        let jr = LineDocuments(lines: try ByteLineReader(path: j), mode: nil)
        XCTAssertEqual(try jr.next()?.text, "a")
        XCTAssertEqual(jr.mode, .jsonl)
        let t = try write("stdin-like-2", "plain {not json}\n")
        let tr = LineDocuments(lines: try ByteLineReader(path: t), mode: nil)
        XCTAssertEqual(try tr.next()?.text, "plain {not json}")
        XCTAssertEqual(tr.mode, .text)
    }

    /// 200k lines (~12 MB, more than ten 1 MB read chunks) stream in batches with every line
    /// number right and no line lost at chunk boundaries.
    func testStreamingAcrossChunkBoundaries() throws {
        let url = dir.appendingPathComponent("big.jsonl")
        let n = 200_000
        var text = ""
        text.reserveCapacity(n * 64)
        for i in 0..<n { text += "{\"id\": \(i), \"text\": \"document number \(i) \(String(repeating: "x", count: i % 23))\"}\n" }
        try Data(text.utf8).write(to: url)
        let r = try DocumentReader(path: url.path)
        var count = 0
        while case let batch = try r.next(max: 1024), !batch.isEmpty {
            for (k, d) in batch.enumerated() where d.line != count + k + 1 || d.fields.first?.json != String(count + k) {
                XCTFail("record \(count + k): line \(d.line), fields \(d.fields)")
                return
            }
            count += batch.count
        }
        XCTAssertEqual(count, n)
    }
}
