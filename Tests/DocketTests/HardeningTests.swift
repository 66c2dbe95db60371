// Issue 12 items 1 (through init / finetune --config), 9, 10 and 11 at the library level:
// degenerate models refused, output keys never collide, blank lines reported, empty inputs
// and labels handled the same in every format, --max-length checked, one run per --output.
import DocketBase
import Encoder
import SafeTensors
import Foundation
import TestSupport
import Training
import XCTest
@testable import Docket

final class HardeningTests: XCTestCase {
    private var scratch: ScratchDirectory!
    private var dir: URL { scratch.url }

    override func setUpWithError() throws { scratch = try ScratchDirectory(prefix: "hardening") }
    override func tearDownWithError() throws { scratch?.remove() }

    private let vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "rent", "tenant", "claim", "invention", "motion", "appeal"]
    private let config = #"{"model_type":"distilbert","dim":16,"n_layers":1,"n_heads":2,"hidden_dim":32,"vocab_size":5,"max_position_embeddings":32}"#

    private func request(train: String, config: String? = nil, out: String = "out", maxLength: Int? = nil) throws -> FineTuneRequest {
        _ = try scratch.write("vocab.txt", vocab.joined(separator: "\n"))
        let cfg = try scratch.write("config.json", config ?? self.config)
        var o = TrainingOptions(); o.epochs = 1; o.batchSize = 4; o.seed = 1
        return FineTuneRequest(start: .config(URL(fileURLWithPath: cfg), tokenizer: dir.appendingPathComponent("vocab.txt")),
                               trainPath: try scratch.write("train.jsonl", train), outputDirectory: dir.appendingPathComponent(out),
                               options: o, maxLength: maxLength)
    }

    private let twoClasses = (0..<8).map { #"{"text": "\#($0 % 2 == 0 ? "rent tenant" : "claim invention")", "label": "\#($0 % 2 == 0 ? "lease" : "patent")"}"# }
        .joined(separator: "\n") + "\n"

    // MARK: item 1 through init and finetune --config

    func testOversizedConfigIsRefusedByInitAndFinetune() throws {
        let huge = #"{"model_type":"distilbert","dim":16,"n_layers":100000,"n_heads":2,"hidden_dim":32,"vocab_size":5}"#
        let cfg = try scratch.write("huge.json", huge)
        _ = try scratch.write("vocab.txt", vocab.joined(separator: "\n"))
        XCTAssertThrowsError(try CheckpointWriter.initialize(config: URL(fileURLWithPath: cfg), tokenizer: dir.appendingPathComponent("vocab.txt"),
                                                             output: dir.appendingPathComponent("init"), labels: ["a", "b"], seed: 1)) {
            XCTAssertTrue("\($0)".contains("'n_layers' is 100000, above the limit of 256"), "\($0)")
            XCTAssertTrue("\($0)".contains(cfg), "\($0)")
        }
        XCTAssertThrowsError(try FineTuner.run(try request(train: twoClasses, config: huge))) {
            XCTAssertTrue("\($0)".contains("'n_layers'"), "\($0)")
        }
    }

    // MARK: item 9: degenerate models

    func testSingleClassTrainingIsRefused() throws {
        let one = (0..<6).map { _ in #"{"text": "rent tenant", "label": "lease"}"# }.joined(separator: "\n")
        XCTAssertThrowsError(try FineTuner.run(try request(train: one))) { error in
            XCTAssertTrue("\(error)".contains("at least two classes"), "\(error)")
            XCTAssertTrue("\(error)".contains("train.jsonl"), "\(error)")
        }
    }

    func testCheckpointWithoutHeadNeedsAnExplicitFlag() throws {
        // tiny-bert's encoder tensors only (a bare BertModel checkpoint: no pooler, no classifier).
        let source = fixturesDirectory.appendingPathComponent("encoder/tiny-bert")
        let withTokenizer = dir.appendingPathComponent("bare")
        try FileManager.default.createDirectory(at: withTokenizer, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: withTokenizer.appendingPathComponent("config.json"))
        let (m, _) = try EncoderModel.load(directory: source)
        let encoderOnly = try m.layout.filter { !$0.role.isHead }.map { spec in
            (name: spec.name, shape: spec.shape, data: UnsafeBufferPointer(start: try m.parameters.pointer(spec.name), count: spec.count))
        }
        try SafeTensorsWriter.write(encoderOnly, to: withTokenizer.appendingPathComponent("model.safetensors"))
        try (0..<100).map { $0 < 5 ? vocab[$0] : "w\($0)" }.joined(separator: "\n")
            .write(to: withTokenizer.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: withTokenizer)) { error in
            guard case ClassifierError.missingHead = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("--allow-missing-head"), "\(error)")
        }
        var options = TextClassifier.Options(); options.allowMissingHead = true
        let c = try TextClassifier(directory: withTokenizer, options: options)
        XCTAssertFalse(c.notices.isEmpty)
    }

    // MARK: item 10: output keys

    func testCopiedFieldsNeverCollideWithOutputKeysOrEachOther() throws {
        let doc = Document(text: "t", fields: [RawField(key: "score", json: "1"), RawField(key: "input_score", json: "2"),
                                               RawField(key: "label", json: "3"), RawField(key: "input_input_label", json: "4")],
                           source: "x", line: 1)
        let p = Prediction(label: "a", score: 0.5, probabilities: ["a": 0.5, "b": 0.5], logits: [0, 0],
                           topK: [LabelScore(label: "a", score: 0.5)], windows: 1)
        let line = p.jsonLine(labels: ["a", "b"], document: doc)
        let members = try Data(line.utf8).withUnsafeBytes { try JSONParser.members(of: $0) }
        let keys = members.map(\.key)
        XCTAssertEqual(keys.count, Set(keys).count, "duplicate keys in \(line)")
        XCTAssertEqual(Array(keys.prefix(4)), ["input_input_score", "input_score", "input_label", "input_input_label"], line)
        XCTAssertEqual(members.prefix(4).map(\.value), [.number("1"), .number("2"), .number("3"), .number("4")])
    }

    // MARK: item 11

    func testBlankLinesAreReportedWithTheirLineNumbers() throws {
        let path = try scratch.write("docs.jsonl", "{\"text\": \"a\"}\n\n   \n{\"text\": \"b\"}\n")
        let reader = try DocumentReader(path: path)
        XCTAssertEqual(try reader.readAll().map(\.line), [1, 4])
        XCTAssertEqual(reader.skippedNotice, "\(path): skipped 2 blank lines (lines 2, 3)")
        let csv = try scratch.write("docs.csv", "text\n\nhello\n")
        let r2 = try DocumentReader(path: csv)
        XCTAssertEqual(try r2.readAll().count, 1)
        XCTAssertEqual(r2.skippedNotice, "\(csv): skipped 1 blank line (line 2)")
        let quoted = try scratch.write("quoted.csv", "text\nhello\n\"\"\n")
        XCTAssertThrowsError(try DocumentReader(path: quoted).readAll()) {
            XCTAssertEqual($0 as? DocumentError, .emptyText(file: quoted, line: 3), "a quoted empty field is an empty text, not a blank line")
        }
    }

    func testEmptyInputsAreTheSameErrorInEveryFormat() throws {
        for (name, content) in [("e.jsonl", ""), ("e.csv", ""), ("h.csv", "text,label\n"), ("b.jsonl", "\n\n"), ("e.txt", "")] {
            let path = try scratch.write(name, content)
            XCTAssertThrowsError(try DocumentReader(path: path).readAll(), name) {
                XCTAssertEqual($0 as? DocumentError, .noDocuments(file: path), name)
            }
        }
    }

    func testLabelsAreTrimmedInEveryFormat() throws {
        let jsonl = try scratch.write("l.jsonl", "{\"text\": \"a\", \"label\": \" Patent\"}\n{\"text\": \"b\", \"label\": \"Patent \\t\"}\n")
        let csv = try scratch.write("l.csv", "text,label\na, Patent\nb,Patent \n")
        for path in [jsonl, csv] {
            let examples = try LabeledExample.load(from: path)
            XCTAssertEqual(examples.map(\.label), ["Patent", "Patent"], path)
            XCTAssertEqual(LabeledExample.labelSet(examples), ["Patent"], path)
        }
        let blank = try scratch.write("blank.jsonl", "{\"text\": \"a\", \"label\": \"  \"}\n")
        XCTAssertThrowsError(try LabeledExample.load(from: blank)) {
            XCTAssertEqual($0 as? DocumentError, .wrongFieldType(file: blank, line: 1, field: "label", expected: "a non-empty label"))
        }
    }

    func testFinetuneMaxLengthAbovePositionsIsAnErrorLikeClassify() throws {
        XCTAssertThrowsError(try FineTuner.run(try request(train: twoClasses, maxLength: 33))) {
            XCTAssertTrue("\($0)".contains("--max-length 33 is above the model's max_position_embeddings (32)"), "\($0)")
        }
        let r = try FineTuner.run(try request(train: twoClasses))  // no length: 128 capped to 32 silently
        XCTAssertEqual(try CheckpointMetadata.load(directory: r.outputDirectory)?.maxLength, 32)
    }

    func testASecondRunOnTheSameOutputGetsALockMessage() throws {
        let out = dir.appendingPathComponent("locked")
        do {
            let held = try FineTuneOutput.lock(out)
            XCTAssertThrowsError(try FineTuner.run(try request(train: twoClasses, out: "locked"))) { error in
                guard case FineTuneOutputError.locked = error else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("another docket finetune is writing"), "\(error)")
                XCTAssertTrue("\(error)".contains("process \(getpid())"), "\(error)")
            }
            withExtendedLifetime(held) {}
        }
        _ = try FineTuner.run(try request(train: twoClasses, out: "locked"))  // released: the run goes ahead
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(FineTuneOutput.lockName).path))
    }
}
