// The README's "library API" snippet, compiled and run against the tiny fixture checkpoint with
// only the imports the README shows (Docket for inference, Training for the options type).
// Scripts/checks/check-consumer-package.sh checks the README's Package.swift lines for a consumer.
import Docket
import Foundation
import TestSupport
import Training
import XCTest

final class ReadmeExampleTests: XCTestCase {
    func testReadmeSnippetClassifiesAndFineTunes() throws {
        let scratch = try ScratchDirectory(prefix: "readme-example")
        defer { scratch.remove() }
        let checkpoint = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path
        let rows = (0..<12).map { i in
            i % 2 == 0 ? #"{"text": "The plaintiff filed a motion \#(i)", "label": "Litigation"}"#
                       : #"{"text": "This agreement between the parties \#(i)", "label": "Contract"}"#
        }
        let train = try scratch.write("train.jsonl", rows.joined(separator: "\n") + "\n")
        let dev = try scratch.write("dev.jsonl", rows.prefix(4).joined(separator: "\n") + "\n")
        let texts = ["RESOLUTIONS OF THE BOARD OF DIRECTORS", "The court denied the appeal."]

        // --- README snippet (paths adapted) ---
        let classifier = try TextClassifier(directory: URL(fileURLWithPath: checkpoint),
                                            options: .init(maxLength: 32, topK: 2))
        let p = try classifier.classify(texts[0])
        XCTAssertEqual(p.topK.count, 2)
        XCTAssertEqual(p.probabilities.values.reduce(0, +), 1, accuracy: 1e-5)
        let batch = try classifier.classify(texts, batchSize: 32)
        XCTAssertEqual(batch[0].label, p.label)

        var options = TrainingOptions(); options.epochs = 2; options.learningRate = 5e-5
        var epochsSeen: [Int] = []
        let result = try FineTuner.run(FineTuneRequest(
            start: .checkpoint(URL(fileURLWithPath: checkpoint)), train: URL(fileURLWithPath: train),
            dev: URL(fileURLWithPath: dev), outputDirectory: scratch.url.appendingPathComponent("legal-minilm"),
            options: options, maxLength: 32),
            progress: { p in if let e = p.evaluation { epochsSeen.append(p.epoch + 1); _ = e.accuracy } })
        // --- end of snippet ---
        XCTAssertEqual(Set(result.labels), ["Contract", "Litigation"])
        XCTAssertEqual(epochsSeen, [1, 2])
        XCTAssertNoThrow(try TextClassifier(directory: scratch.url.appendingPathComponent("legal-minilm")))
    }
}
