// Multi-label through the library API: label lists from JSONL and CSV (DocumentReader,
// LabeledExample), FineTuner → config.json problem_type + thresholds → TextClassifier
// (`Prediction.labels` = every label above its threshold, sigmoid probabilities) →
// MultiLabelEvaluation; data errors name file and line.
import Docket
import Encoder
import Foundation
import TestSupport
import Training
import XCTest

final class MultiLabelAPITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-multilabel-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testLabelListsFromJSONLAndCSV() throws {
        let jsonl = try write("a.jsonl", #"{"text":"x","labels":["b","a"]}"# + "\n" + #"{"text":"y","labels":[]}"# + "\n")
        let ex = try LabeledExample.load(from: jsonl)
        XCTAssertEqual(ex.map(\.labels), [["b", "a"], []])
        XCTAssertEqual(LabeledExample.labelSet(ex), ["a", "b"])
        let csv = try write("a.csv", "id,text,labels\n1,x,a | b\n2,y,\n")
        let docs = try DocumentReader(path: csv).readAll()
        XCTAssertEqual(docs.map(\.labels), [["a", "b"], []])
        XCTAssertEqual(docs[0].fields.map(\.key), ["id"])
        let cases: [(String, String, String)] = [
            ("mixed.jsonl", #"{"text":"x","labels":["a"]}"# + "\n" + #"{"text":"y","label":"a"}"# + "\n", "mixed.jsonl:2"),
            ("both.jsonl", #"{"text":"x","label":"a","labels":["a"]}"# + "\n", "both.jsonl:1"),
            ("dup.jsonl", #"{"text":"x","labels":["a","a"]}"# + "\n", "dup.jsonl:1"),
            ("type.jsonl", #"{"text":"x","labels":"a"}"# + "\n", "type.jsonl:1"),
            ("both.csv", "text,label,labels\nx,a,a\n", "both.csv:1"),
        ]
        for (name, text, where_) in cases {
            let path = try write(name, text)
            XCTAssertThrowsError(try LabeledExample.load(from: path), name) { XCTAssertTrue("\($0)".contains(where_), "\($0)") }
        }
        XCTAssertThrowsError(try LabeledExample.load(from: jsonl, labels: ["a"])) { XCTAssertTrue("\($0)".contains("unknown label 'b'"), "\($0)") }
    }

    func testFineTuneClassifyAndEvaluateMultiLabel() throws {
        let topics = ["lease": "rent tenant landlord", "patent": "claim invention device", "court": "plaintiff motion appeal"]
        let words = topics.values.flatMap { $0.split(separator: " ").map(String.init) }.sorted()
        let vocab = try write("vocab.txt", (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the"] + words).joined(separator: "\n"))
        let config = try write("config.json", #"{"model_type":"bert","hidden_size":16,"num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":32,"max_position_embeddings":32}"#)
        let names = topics.keys.sorted()
        func lines(_ n: Int, _ seed: Int) -> String {
            (0..<n).map { i in
                let present = names.enumerated().filter { (i * 7 + seed + $0.offset * 3) % 5 < 2 }.map(\.element)
                let text = (["the"] + present.flatMap { topics[$0]!.split(separator: " ").map(String.init) }).joined(separator: " ")
                return #"{"text":"\#(text)","labels":[\#(present.map { "\"\($0)\"" }.joined(separator: ","))]}"#
            }.joined(separator: "\n") + "\n"
        }
        let train = try write("train.jsonl", lines(40, 0)), dev = try write("dev.jsonl", lines(15, 1))
        var o = TrainingOptions()
        o.epochs = 4; o.batchSize = 4; o.learningRate = 1e-2; o.seed = 3; o.gradientAccumulationSteps = 2; o.schedule = .cosine
        let out = dir.appendingPathComponent("model")
        let result = try FineTuner.run(FineTuneRequest(start: .config(URL(fileURLWithPath: config), tokenizer: URL(fileURLWithPath: vocab)),
                                                       trainPath: train, devPath: dev, outputDirectory: out, options: o, maxLength: 16))
        XCTAssertEqual(result.problemType, .multiLabel)
        XCTAssertEqual(result.summary.steps, 20, "10 micro-batches of 4 per epoch, 2 per step, 4 epochs")
        XCTAssertNotNil(result.summary.evaluations.last?.multiLabelMetrics)

        let classifier = try TextClassifier(directory: out)
        XCTAssertEqual(classifier.problemType, .multiLabel)
        XCTAssertEqual(classifier.labels, names)
        let saved = try XCTUnwrap(try ModelConfig.load(from: out.appendingPathComponent("config.json")).decisionThresholds)
        XCTAssertEqual(classifier.decisionThresholds, saved)
        let preds = try classifier.classify(["the rent tenant claim invention", "the", "the plaintiff motion appeal"])
        for p in preds {
            XCTAssertEqual(Set(p.labels), Set(names.enumerated().filter { p.probabilities[$0.element]! > saved[$0.offset] }.map(\.element)))
            for (j, name) in names.enumerated() {
                XCTAssertEqual(Double(p.probabilities[name]!), 1 / (1 + exp(-Double(p.logits[j]))), accuracy: 1e-6, "sigmoid, not softmax")
            }
        }
        let everyOne = try TextClassifier(directory: out, options: .init(decisionThresholds: [0, 0, 0]))
        XCTAssertEqual(try everyOne.classify("the").labels.count, 3, "thresholds 0: every label")
        let evaluation = try MultiLabelEvaluation.make(classifier: classifier, examples: try LabeledExample.load(from: dev))
        XCTAssertEqual(evaluation.metrics.documents, 15)
        XCTAssertEqual(evaluation.thresholds, saved)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: evaluation.jsonData()) as? [String: Any])
        XCTAssertTrue(evaluation.renderText().contains("subset accuracy"))
    }
}
