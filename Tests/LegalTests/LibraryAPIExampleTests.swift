// The library example of docs/legal.md, compiled and run (against the tiny 3-label fixture
// model instead of runs/main/model), so the documented API cannot drift from the code.
import Docket
import Foundation
import Legal
import TestSupport
import XCTest

final class LibraryAPIExampleTests: XCTestCase {
    func testDocumentedExampleRuns() throws {
        let modelDir = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier")
        let testFile = FileManager.default.temporaryDirectory.appendingPathComponent("docket-example-\(getpid()).jsonl")
        try Data(#"""
        {"text": "The plaintiff filed a complaint in the district court.", "label": "Litigation"}
        {"text": "This Agreement is entered into by the parties.", "label": "Contract"}
        {"text": "A patent claim recites a processor coupled to a memory.", "label": "Patent"}

        """#.utf8).write(to: testFile)
        defer { try? FileManager.default.removeItem(at: testFile) }
        let texts = ["RESOLUTIONS OF THE BOARD OF DIRECTORS", "The examiner rejected claim 1."]

        // --- as in docs/legal.md ---
        let classifier = try TextClassifier(directory: modelDir, options: .init(maxLength: 64, concurrency: 4, topK: 2))
        let p = try classifier.classify("RESOLUTIONS OF THE BOARD OF DIRECTORS ...")
        print(p.label, p.score, p.topK.map(\.label))
        let batch = try classifier.classify(texts, batchSize: 32)

        let test = try LabeledExample.load(from: testFile.path, labels: Set(classifier.labels))
        let predictions = try classifier.classify(test.map(\.text), batchSize: 16)
        let report = try EvaluationReport.make(
            labels: classifier.labels,
            gold: test.map { classifier.labels.firstIndex(of: $0.label)! },
            probabilities: predictions.map { p in classifier.labels.map { Double(p.probabilities[$0] ?? 0) } })
        print(report.metrics.accuracy, report.metrics.macroF1, report.calibration.ece)

        var parameters = SavingsParameters(); parameters.documentsPerMonth = 2_500
        let savings = try SavingsModel.report(accuracy: report.metrics.accuracy, parameters: parameters)
        print(savings.netMonthlySavings, savings.paybackMonths, savings.npv)
        // --- end of the documented example ---

        XCTAssertEqual(batch.count, texts.count)
        XCTAssertEqual(p.topK.count, 2)
        XCTAssertEqual(report.metrics.confusion.total, 3)
        let a = report.metrics.accuracy
        XCTAssertEqual(savings.netMonthlySavings, 2_500 * 0.49 * 300 - 2_500 * (1 - a) * 500, accuracy: 1e-6)
    }
}
