// A service-style example that uses only the public API (`import Docket`, no @testable):
// load a classifier once, classify documents from many concurrent tasks, check the results
// equal classifying them one at a time, then evaluate the predictions (accuracy, per-class
// metrics, expected calibration error, temperature scaling).
import Docket
import Foundation
import TestSupport
import XCTest

final class PublicAPIEvaluationExampleTests: XCTestCase {
    /// Documents of the three classes the tiny fixture model knows, from the embedded corpus.
    private func documents() throws -> [LabeledExample] {
        let all = try LabeledExample.load(from: repositoryRoot.appendingPathComponent("Corpora/test.jsonl").path)
        return Array(all.filter { ["Contract", "Litigation", "Patent"].contains($0.label) }.prefix(24))
    }

    func testConcurrentTasksEqualOneAtATimeAndEvaluate() async throws {
        let dir = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
        let classifier = try TextClassifier(directory: dir, options: .init(maxLength: 64, concurrency: 4, topK: 3))
        let docs = try documents()

        let sequential = try docs.map { try classifier.classify($0.text) }
        // 8 tasks, each classifying every 8th document, all sharing one classifier.
        let concurrent = try await withThrowingTaskGroup(of: [(Int, Prediction)].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try stride(from: worker, to: docs.count, by: 8).map { ($0, try classifier.classify(docs[$0].text)) }
                }
            }
            var out = [Prediction?](repeating: nil, count: docs.count)
            for try await part in group { for (i, p) in part { out[i] = p } }
            return out
        }
        for (i, (a, b)) in zip(sequential, concurrent).enumerated() {
            let b = try XCTUnwrap(b)
            XCTAssertEqual(a.label, b.label, "document \(i)")
            XCTAssertEqual(b.topK.count, 3)
            // Same code path per document; only BLAS threading may differ between runs: allow
            // float32 reassociation noise (1e-6 on probabilities in [0, 1]).
            assertClose(classifier.labels.map { b.probabilities[$0] ?? -1 }, classifier.labels.map { a.probabilities[$0] ?? -1 },
                        atol: 1e-6, "probabilities of document \(i)")
        }

        // Evaluate the predictions with the public evaluation API.
        let labels = classifier.labels
        let gold = docs.map { labels.firstIndex(of: $0.label) ?? -1 }
        let probabilities = sequential.map { p in labels.map { Double(p.probabilities[$0] ?? 0) } }
        let report = try EvaluationReport.make(labels: labels, gold: gold, probabilities: probabilities,
                                               dev: (gold, probabilities))
        let correct = zip(gold, sequential).filter { labels[$0] == $1.label }.count
        XCTAssertEqual(report.metrics.accuracy, Double(correct) / Double(docs.count), accuracy: 1e-12)
        XCTAssertEqual(report.metrics.confusion.total, docs.count)
        XCTAssertGreaterThanOrEqual(report.calibration.ece, 0)
        let t = try XCTUnwrap(report.calibration.temperature)
        XCTAssertGreaterThan(t, 0)
        // Temperature scaling never raises the NLL on the set it was fitted on.
        XCTAssertLessThanOrEqual(report.calibration.devNLLAfter ?? .infinity, (report.calibration.devNLLBefore ?? 0) + 1e-12)
    }
}
