// The legal HTML report (`docket evaluate --report DIR` → DIR/report.html): Docket's general
// evaluation report (EvaluationSummary+HTML.swift: training curves, classification, calibration)
// with a Savings section added — the savings-versus-threshold and automation curves, the
// assumptions and the savings table.
import Docket
import Foundation

extension LegalEvaluation {
    public func renderHTML(generatedBy command: String = "docket evaluate") -> String {
        summary.renderHTML(generatedBy: command, extraSections: [savingsHTMLSection])
    }

    /// Writes DIR/report.html atomically (creating DIR) and returns its URL.
    @discardableResult
    public func writeHTMLReport(to directory: URL, command: String = "docket evaluate") throws -> URL {
        try summary.writeHTMLReport(to: directory, command: command, extraSections: [savingsHTMLSection])
    }

    var savingsHTMLSection: HTMLReportSection { HTMLReportSection(title: "Savings", html: savingsSection()) }

    func savingsSection() -> String {
        let sv = savings
        let curve = sv.thresholdCurve
        // One threshold story: the routed column's threshold is the decision (solid); the test
        // optimum is a hindsight marker (dashed, grey) unless it is the decision itself.
        var markers = [ChartMarker(x: sv.routed.threshold, label: "decision \(fixed(sv.routed.threshold, 3))" + thresholdNote,
                                   color: "#1b2631", dashed: false)]
        if sv.thresholdSource != "test" {
            markers.append(ChartMarker(x: sv.bestThreshold, label: "test optimum \(fixed(sv.bestThreshold, 3)) (hindsight)", color: "#7f8c8d"))
        }
        var s = "<div class=\"row\">"
        s += SVG.lineChart(title: "Net monthly savings vs routing threshold", xLabel: "confidence threshold (below → lawyer)", yLabel: "net savings per month ($)",
                           series: [LineSeries(name: "net monthly savings", color: "#1e8449", points: curve.map { ($0.threshold, $0.netMonthlySavings) })],
                           yFormat: { dollars($0) }, markers: markers, xRange: 0...1)
        s += SVG.lineChart(title: "Documents automated vs threshold", xLabel: "confidence threshold", yLabel: "share",
                           series: [LineSeries(name: "automated share", color: "#2e86c1", points: curve.map { ($0.threshold, $0.automatedFraction) }),
                                    LineSeries(name: "accuracy on automated", color: "#af601a", points: curve.map { ($0.threshold, $0.automatedAccuracy) }, dashed: true)],
                           yFormat: { fixed($0 * 100, 0) + "%" }, xRange: 0...1, yRange: 0...1)
        s += "</div>"
        s += "<div class=\"row\"><div><h3>Assumptions</h3>" + htmlTable(["assumption", "value"], assumptionRows) + "</div>"
        let columns = savingsColumns
        let rows = savingsFigures.compactMap { f in f.html.map { [$0] + columns.map { f.value($0.1) } } }
        s += "<div><h3>Savings (per month unless stated)</h3>" + htmlTable(["figure"] + columns.map(\.0), rows) + "</div></div>"
        return s + "<p class=\"note\">\(SVG.escape(thresholdStory))</p>"
    }
}
