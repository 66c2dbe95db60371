// Issue #13, "The report and the savings output": round axis ticks, no negative loss axis, an
// accuracy axis with a sensible floor, a reliability diagram with bin counts and grey sparse
// bins, a plain verdict when temperature scaling made ECE worse, one routing-threshold story
// (the dev-chosen decision, the test optimum only as a hindsight marker), the savings
// assumptions in the HTML, no "§9" in user-facing text, no per-class-cost column without a
// cost matrix.
import Docket
@testable import Legal
import Training
import XCTest

final class ReportReadabilityTests: XCTestCase {
    let labels = ["A", "B", "C"]
    let pairs: [(Int, Int, Double)] = [(0, 0, 0.9), (0, 0, 0.8), (0, 0, 0.95), (0, 1, 0.5), (1, 1, 0.7), (1, 1, 0.85),
                                       (1, 2, 0.45), (2, 2, 0.9), (2, 2, 0.6), (2, 0, 0.55)]

    func probabilities(_ predicted: Int, _ confidence: Double) -> [Double] {
        (0..<3).map { $0 == predicted ? confidence : (1 - confidence) / 2 }
    }

    /// A report whose auto threshold is chosen on a dev set (errors only at confidence 0.45:
    /// decision 0.5, test optimum 0.6), with a training curve, optionally a cost matrix.
    func report(costs: Bool = false, dev devDocs: Bool = true) throws -> LegalEvaluation {
        let probs = pairs.map { probabilities($0.1, $0.2) }
        let eval = try EvaluationReport.make(labels: labels, gold: pairs.map(\.0), probabilities: probs, dev: (pairs.map(\.0), probs))
        let dev = [(0, 0, 0.9), (0, 1, 0.45), (1, 1, 0.5)].map { EvaluatedDocument(gold: $0.0, probabilities: probabilities($0.1, $0.2)) }
        let matrix = costs ? try CostMatrix(costs: [[0, 100, 200], [300, 0, 100], [50, 50, 0]]) : nil
        var r = try LegalEvaluation.make(inputs: .init(model: "m", test: "t", calibrationSet: "dev.jsonl", costMatrixFile: costs ? "c.json" : nil),
                                         evaluation: eval, parameters: SavingsParameters(), costs: matrix, threshold: nil,
                                         devDocuments: devDocs ? dev : nil)
        r.trainingCurve = TrainingCurve(epochs: [EpochPoint(epoch: 1, trainLoss: 0.9, devLoss: 0.5, devAccuracy: 0.96),
                                                 EpochPoint(epoch: 2, trainLoss: 0.3, devLoss: 0.2, devAccuracy: 0.95),
                                                 EpochPoint(epoch: 3, trainLoss: 0.1, devLoss: 0.15, devAccuracy: 0.97)], steps: 30)
        return r
    }

    func testTicksAreRoundAndLossAxesStayNonNegative() {
        XCTAssertEqual(SVG.niceTicks(0...1), [0, 0.2, 0.4, 0.6, 0.8, 1.0].map { $0 }, accuracyEach: 1e-12)
        XCTAssertEqual(SVG.niceRange(0.22...0.67), 0.2...0.7)
        XCTAssertEqual(SVG.niceTicks(-3_012...135_700).first, 0, "a multiple of the step")
        for t in SVG.niceTicks(0.013...0.0411) { XCTAssertEqual((t / 0.005).rounded() * 0.005, t, accuracy: 1e-12) }
        let chart = SVG.lineChart(title: "Loss", xLabel: "epoch", yLabel: "loss",
                                  series: [LineSeries(name: "loss", color: "#000", points: [(1, 0.02), (2, 0.9)])])
        XCTAssertFalse(chart.contains(">-0."), "no negative tick on a loss axis")
        XCTAssertTrue(chart.contains(">0.0<") || chart.contains(">0<"), chart)
    }

    func testAccuracyAxisStartsAtASensibleFloorAndTicksAreRound() throws {
        let html = try report().renderHTML()
        let accuracy = try chart(html, "Dev accuracy per epoch")
        for tick in ["80%", "85%", "90%", "95%", "100%"] { XCTAssertTrue(accuracy.contains(">\(tick)<"), "tick \(tick)") }
        XCTAssertFalse(accuracy.contains(">95.50%<"), "round ticks, not 95.50%")
    }

    func testReliabilityDiagramShowsCountsAndGreysSparseBins() throws {
        let html = try report().renderHTML()
        let diagram = try chart(html, "Reliability: accuracy per confidence bin")
        XCTAssertTrue(diagram.contains("fill=\"#d5d5d5\""), "bins with fewer than 10 documents are grey")
        XCTAssertTrue(diagram.contains(": 2 documents, accuracy") && diagram.contains(">2</text>"), "each bar carries its count")
        XCTAssertTrue(diagram.contains("fewer than 10 documents"))
    }

    func testTemperatureThatMakesECEWorseIsNamedAndNotApplied() throws {
        var r = try report()
        r.evaluation.calibration.ece = 0.0218
        r.evaluation.calibration.eceAfterTemperature = 0.0411
        let verdict = try XCTUnwrap(r.temperatureVerdict)
        XCTAssertTrue(verdict.contains("made calibration worse") && verdict.contains("0.0218 → 0.0411") && verdict.contains("not applied"), verdict)
        XCTAssertTrue(r.renderHTML().contains("made calibration worse"))
        XCTAssertTrue(r.renderText().contains("not applied"))
        r.evaluation.calibration.eceAfterTemperature = 0.01
        XCTAssertTrue(try XCTUnwrap(r.temperatureVerdict).contains("lowers the ECE to 0.0100"))
    }

    func testOneThresholdStoryDecisionOnDevOptimumInHindsight() throws {
        let r = try report()
        XCTAssertEqual(r.savings.routed.threshold, 0.5)
        XCTAssertEqual(r.savings.bestThreshold, 0.6)
        let html = r.renderHTML()
        XCTAssertTrue(html.contains("decision 0.500 (chosen on dev)"), "the chart marks the decision")
        XCTAssertTrue(html.contains("test optimum 0.600 (hindsight)"), "the test optimum only as a hindsight marker")
        XCTAssertFalse(html.contains(">best 0.600<"))
        XCTAssertTrue(html.contains("routing &lt; 0.500 (chosen on dev)"), "the table uses the same decision")
        XCTAssertTrue(r.renderText().contains("is the decision"))
    }

    func testAssumptionsShownNoSectionSignPerClassColumnOnlyWithCosts() throws {
        let plain = try report()
        let html = plain.renderHTML(), text = plain.renderText()
        for needle in ["documents per month", "1,000", "manual review, hours per document", "$300/h", "$500 per document", "$150,000"] {
            XCTAssertTrue(html.contains(needle), "assumption '\(needle)' in the HTML")
        }
        XCTAssertFalse(html.contains("§") || text.contains("§"), "no section signs in user-facing text")
        XCTAssertFalse(html.contains("per-class costs") || text.contains("per-class costs"), "no cost matrix → no per-class column")
        let withCosts = try report(costs: true)
        XCTAssertTrue(withCosts.renderHTML().contains("per-class costs") && withCosts.renderText().contains("per-class costs"))
    }
}

/// The `<svg …>…</svg>` element whose aria-label is `title`.
private func chart(_ html: String, _ title: String) throws -> String {
    let start = try XCTUnwrap(html.range(of: "aria-label=\"\(title)\""), "no chart '\(title)'")
    let end = try XCTUnwrap(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
    return String(html[start.lowerBound..<end.upperBound])
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracyEach: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracyEach, "\(a) vs \(b)", file: file, line: line) }
}
