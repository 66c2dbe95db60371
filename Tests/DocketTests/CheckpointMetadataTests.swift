// docket.json (CheckpointMetadata): written with every fine-tuned checkpoint, and its training
// max length used by TextClassifier by default (issue #13 defect 3: the default used to be
// max_position_embeddings, not what the model was trained with). Checkpoints without the file
// keep the old default; a bad file is an error naming it and the field.
import Docket
import Foundation
import Training
import XCTest

final class CheckpointMetadataTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-metadata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let words = ["rent", "tenant", "claim", "device", "court", "appeal"]
        try (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words).joined(separator: "\n")
            .write(to: dir.appendingPathComponent("vocab.txt"), atomically: true, encoding: .utf8)
        try #"{"model_type":"distilbert","dim":16,"n_layers":1,"n_heads":2,"hidden_dim":32,"vocab_size":5,"max_position_embeddings":40}"#
            .write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        var lines = ""
        for i in 0..<12 {
            let (a, b) = i % 2 == 0 ? ("rent", "tenant") : ("claim", "device")
            lines += "{\"text\":\"\(a) \(b) \(a)\",\"label\":\"\(i % 2 == 0 ? "lease" : "patent")\"}\n"
        }
        try lines.write(to: dir.appendingPathComponent("train.jsonl"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func fineTune(maxLength: Int) throws -> URL {
        var o = TrainingOptions()
        o.epochs = 1; o.batchSize = 6; o.seed = 3
        let out = dir.appendingPathComponent("out")
        _ = try FineTuner.run(FineTuneRequest(
            start: .config(dir.appendingPathComponent("config.json"), tokenizer: dir.appendingPathComponent("vocab.txt")),
            trainPath: dir.appendingPathComponent("train.jsonl").path, outputDirectory: out, options: o, maxLength: maxLength))
        return out
    }

    func testFineTuneRecordsMaxLengthAndClassifierUsesIt() throws {
        let out = try fineTune(maxLength: 12)
        let text = try String(contentsOf: out.appendingPathComponent("docket.json"), encoding: .utf8)
        XCTAssertTrue(text.contains(#""max_length" : 12"#) && text.contains(#""long_documents" : "truncate""#), text)
        XCTAssertTrue(text.contains(#""docket_version" : "\#(DocketVersion.current)""#), text)
        let metadata = try XCTUnwrap(try CheckpointMetadata.load(directory: out))
        var expected = CheckpointMetadata(maxLength: 12, longDocuments: "truncate")
        // The training record for serving monitors (checked in FineTuneTests).
        XCTAssertNotNil(metadata.trainLabelCounts)
        expected.trainLabelCounts = metadata.trainLabelCounts
        expected.evalAccuracy = metadata.evalAccuracy
        XCTAssertEqual(metadata, expected)

        let classifier = try TextClassifier(directory: out)
        XCTAssertEqual(classifier.maxLength, 12, "the training max length, not max_position_embeddings (40)")
        XCTAssertEqual(classifier.longDocuments, .truncate)
        XCTAssertEqual(try TextClassifier.defaultMaxLength(directory: out), 12)
        XCTAssertEqual(try TextClassifier(directory: out, options: .init(maxLength: 20)).maxLength, 20, "an explicit length wins")

        // Without docket.json (e.g. a checkpoint from the Hub): the old default.
        try FileManager.default.removeItem(at: out.appendingPathComponent("docket.json"))
        XCTAssertEqual(try TextClassifier(directory: out).maxLength, 40)
        XCTAssertNil(try TextClassifier(directory: out).metadata)
    }

    func testRecordedChunkModeIsTheDefaultAndUnknownKeysAreIgnored() throws {
        let out = try fineTune(maxLength: 16)
        try #"{"docket_version":"9.9.9","max_length":16,"long_documents":"chunk","window_pooling":"max","field_from_the_future":[1,2]}"#
            .write(to: out.appendingPathComponent("docket.json"), atomically: true, encoding: .utf8)
        let classifier = try TextClassifier(directory: out)
        XCTAssertEqual(classifier.longDocuments, .chunk(stride: 4, pooling: .max), "stride defaults to a quarter of the max length")
        XCTAssertEqual(try TextClassifier(directory: out, options: .init(longDocuments: .truncate)).longDocuments, .truncate)
        let long = Array(repeating: "rent tenant claim", count: 10).joined(separator: " ")
        XCTAssertGreaterThan(try classifier.classify(long).windows, 1)
    }

    func testBadMetadataNamesFileAndField() throws {
        let out = try fineTune(maxLength: 12)
        let file = out.appendingPathComponent("docket.json")
        for (json, expected) in [(#"{"max_length":"twelve"}"#, "\"max_length\""), (#"{"long_documents":"split"}"#, "\"long_documents\""),
                                 (#"{"max_length":-3}"#, "\"max_length\""), ("[1,", "not a JSON object")] {
            try json.write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try TextClassifier(directory: out), json) { error in
                let message = error.localizedDescription
                XCTAssertTrue(message.contains("docket.json") && message.contains(expected), message)
            }
        }
    }
}
