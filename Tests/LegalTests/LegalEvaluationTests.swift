// The evaluation pipeline on hand-made probabilities: metrics on a known confusion matrix
// (values worked by hand, identical to sklearn's classification_report), savings wiring,
// the JSON document, the text report, the training-log parser and the HTML report.
import Docket
import Foundation
import Legal
import Training
import XCTest

final class LegalEvaluationTests: XCTestCase {
    let labels = ["A", "B", "C"]
    // Gold/predicted pairs giving confusion [[3,1,0],[0,2,1],[1,0,2]] (N = 10, 7 correct).
    let pairs: [(Int, Int, Double)] = [(0, 0, 0.9), (0, 0, 0.8), (0, 0, 0.95), (0, 1, 0.5), (1, 1, 0.7), (1, 1, 0.85),
                                       (1, 2, 0.45), (2, 2, 0.9), (2, 2, 0.6), (2, 0, 0.55)]

    func probabilities(_ predicted: Int, _ confidence: Double) -> [Double] {
        (0..<3).map { $0 == predicted ? confidence : (1 - confidence) / 2 }
    }

    func makeReport(threshold: Double? = nil, dev: Bool = false) throws -> LegalEvaluation {
        let probs = pairs.map { probabilities($0.1, $0.2) }
        let eval = try EvaluationReport.make(labels: labels, gold: pairs.map(\.0), probabilities: probs,
                                             dev: dev ? (pairs.map(\.0), probs) : nil)
        let inputs = LegalEvaluation.Inputs(model: "m", test: "t.jsonl", calibrationSet: dev ? "d.jsonl" : nil, costMatrixFile: nil,
                                            threshold: threshold.map { "\($0)" } ?? "auto", longDocuments: "truncate", maxLength: nil, batchSize: 8)
        return try LegalEvaluation.make(inputs: inputs, evaluation: eval, parameters: SavingsParameters(), costs: nil, threshold: threshold)
    }

    func testMetricsOnAKnownConfusionMatrix() throws {
        let m = try makeReport().evaluation.metrics
        XCTAssertEqual(m.confusion.counts, [[3, 1, 0], [0, 2, 1], [1, 0, 2]])
        XCTAssertEqual(m.accuracy, 0.7, accuracy: 1e-15)
        // A: P 3/4, R 3/4; B: P 2/3, R 2/3; C: P 2/3, R 2/3 → F1 equal to P here.
        XCTAssertEqual(m.perClass.map(\.precision), [0.75, 2.0 / 3, 2.0 / 3])
        XCTAssertEqual(m.perClass.map(\.recall), [0.75, 2.0 / 3, 2.0 / 3])
        XCTAssertEqual(m.macroF1, (0.75 + 4.0 / 3) / 3, accuracy: 1e-15)
        XCTAssertEqual(m.weightedF1, (4 * 0.75 + 3 * 2.0 / 3 + 3 * 2.0 / 3) / 10, accuracy: 1e-15)
    }

    func testEvaluationRejectsMalformedInputs() {
        XCTAssertThrowsError(try EvaluationReport.make(labels: labels, gold: [0], probabilities: [[0.5, 0.5]])) {
            XCTAssertEqual($0 as? CalibrationError, .rowLength(index: 0, got: 2, expected: 3))
        }
        XCTAssertThrowsError(try EvaluationReport.make(labels: labels, gold: [3], probabilities: [[0.2, 0.3, 0.5]])) {
            XCTAssertEqual($0 as? CalibrationError, .badLabel(index: 0, label: 3, classes: 3))
        }
        XCTAssertThrowsError(try EvaluationReport.make(labels: labels, gold: [0], probabilities: [[.nan, 0.3, 0.5]]))
        XCTAssertThrowsError(try EvaluationReport.make(labels: labels, gold: [], probabilities: []))
        XCTAssertThrowsError(try EvaluationReport.make(labels: labels, gold: [0, 1], probabilities: [[0.2, 0.3, 0.5]]))
    }

    func testSavingsFiguresAreWiredFromTheEvaluation() throws {
        let r = try makeReport()
        XCTAssertEqual(r.savings.defaultModel.netMonthlySavings, 147_000 - 1000 * 0.3 * 500, accuracy: 1e-6)
        XCTAssertEqual(r.savings.perClass.netMonthlySavings, r.savings.defaultModel.netMonthlySavings, accuracy: 1e-6)
        // Errors have confidences 0.5, 0.45, 0.55; the lowest correct one is 0.6: routing below 0.6
        // sends exactly the 3 errors to a lawyer → 0.7 × 147,000 = 102,900.
        XCTAssertEqual(r.savings.bestThreshold, 0.6)
        XCTAssertEqual(r.savings.routed.netMonthlySavings, 102_900, accuracy: 1e-6)
        let fixed = try makeReport(threshold: 0.5)
        XCTAssertEqual(fixed.savings.routed.threshold, 0.5)
        XCTAssertEqual(fixed.savings.routed.automatedFraction, 0.9, accuracy: 1e-15)
    }

    func testAutoThresholdIsChosenOnTheDevSetWhenGiven() throws {
        // Dev: errors only at confidence 0.45 → best dev threshold 0.5 (routes it: 2/3 automated,
        // 98,000 > −19,667 at 0, 49,000 at 0.9). On the test set, routing < 0.5 sends only the
        // 0.45 error to a lawyer: 0.9 · 147,000 − 1000 · 0.2 · 500 = 32,300 (the test-optimal 0.6 gives 102,900).
        let probs = pairs.map { probabilities($0.1, $0.2) }
        let eval = try EvaluationReport.make(labels: labels, gold: pairs.map(\.0), probabilities: probs)
        let dev = [(0, 0, 0.9), (0, 1, 0.45), (1, 1, 0.5)].map { EvaluatedDocument(gold: $0.0, probabilities: probabilities($0.1, $0.2)) }
        let r = try LegalEvaluation.make(inputs: .init(model: "m", test: "t", calibrationSet: "d"), evaluation: eval,
                                         parameters: SavingsParameters(), costs: nil, threshold: nil, devDocuments: dev)
        XCTAssertEqual(r.savings.thresholdSource, "dev")
        XCTAssertEqual(r.savings.routed.threshold, 0.5)
        XCTAssertEqual(r.savings.routed.netMonthlySavings, 32_300, accuracy: 1e-6)
        XCTAssertEqual(r.savings.bestThreshold, 0.6)
        XCTAssertTrue(r.renderText().contains("routing < 0.500 (chosen on dev)"))
        XCTAssertEqual(try makeReport().savings.thresholdSource, "test")
        XCTAssertEqual(try makeReport(threshold: 0.5).savings.thresholdSource, "fixed")
    }

    func testJSONDocumentHoldsInputsAndOutputs() throws {
        let r = try makeReport(dev: true)
        let object = try JSONSerialization.jsonObject(with: r.jsonData()) as? [String: Any]
        let keys = Set(object?.keys.map { $0 } ?? [])
        XCTAssertEqual(keys, ["inputs", "parameters", "labels", "test_documents", "metrics", "calibration", "savings"])
        let savings = object?["savings"] as? [String: Any]
        let def = savings?["default_model"] as? [String: Any]
        XCTAssertEqual((def?["net_monthly_savings"] as? NSNumber)?.doubleValue ?? 0, -3_000, accuracy: 1e-6)
        let params = object?["parameters"] as? [String: Any]
        XCTAssertEqual((params?["hourly_rate"] as? NSNumber)?.doubleValue, 300)
        let cal = object?["calibration"] as? [String: Any]
        XCTAssertNotNil(cal?["temperature"], "dev set given → temperature fitted")
        XCTAssertNotNil(cal?["ece_after_temperature"])
    }

    func testTextReportShowsTheTables() throws {
        let text = try makeReport().renderText()
        for needle in ["Accuracy 70.00%", "macro avg", "Confusion matrix", "ECE (15 bins)", "net monthly savings", "-$3,000", "payback (months)", "$102,900"] {
            XCTAssertTrue(text.contains(needle), "missing '\(needle)' in:\n\(text)")
        }
    }

    func testTrainingLogParsingAndHTMLReport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("docket-report-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("training_log.jsonl")
        try Data("""
        {"type":"step","step":1,"epoch":0.5,"loss":1.5,"lr":0.001}
        {"type":"step","step":2,"epoch":1.0,"loss":1.3,"lr":0.001}
        {"type":"eval","step":2,"epoch":1,"loss":1.2,"accuracy":0.5,"macro_f1":0.4,"best":true}
        {"type":"step","step":3,"epoch":1.5,"loss":0.9,"lr":0.001}
        {"type":"eval","step":3,"epoch":2,"loss":0.8,"accuracy":0.75,"macro_f1":0.7,"best":true}

        """.utf8).write(to: log)
        let curve = try TrainingCurve.load(log)
        XCTAssertEqual(curve.steps, 3)
        XCTAssertEqual(curve.epochs.map(\.epoch), [1, 2])
        XCTAssertEqual(curve.epochs[0].trainLoss ?? 0, 1.4, accuracy: 1e-12)
        XCTAssertEqual(curve.epochs[1].devAccuracy, 0.75)
        try Data("{\"type\":\"step\"}\nnot json\n".utf8).write(to: log)
        XCTAssertThrowsError(try TrainingCurve.load(log)) { XCTAssertTrue("\($0)".contains("training_log.jsonl:2"), "\($0)") }

        var report = try makeReport(dev: true)
        report.trainingCurve = curve
        // DOCKET_REPORT_PREVIEW=DIR keeps a copy for looking at in a browser.
        if let keep = ProcessInfo.processInfo.environment["DOCKET_REPORT_PREVIEW"] { try report.writeHTMLReport(to: URL(fileURLWithPath: keep)) }
        let url = try report.writeHTMLReport(to: dir.appendingPathComponent("out"))
        let html = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 7, "loss, accuracy, heat map, bars, reliability, savings, automated share")
        XCTAssertTrue(html.contains("Confusion matrix") && html.contains("Net monthly savings vs routing threshold"))
        XCTAssertFalse(html.contains("<script"), "no scripts")
        let external = html.components(separatedBy: "http").count - 1
        let namespaces = html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1
        XCTAssertEqual(external, namespaces, "no network references besides the SVG namespace")
    }
}
