// The human-readable evaluation printed by `docket evaluate`: Docket's general evaluation
// tables (EvaluationSummary: metrics, per-class table, confusion matrix, calibration, baseline)
// followed by the savings report — its assumptions, the savings per column and the routing
// threshold's story. The savings figures are listed once here for both the text and HTML tables.
import Docket
import Foundation

extension LegalEvaluation {
    /// The general part of the report: what was evaluated, metrics, calibration, baseline, curve.
    public var summary: EvaluationSummary {
        EvaluationSummary(model: inputs.model, test: inputs.test, precision: inputs.precision, calibrationSet: inputs.calibrationSet,
                          evaluation: evaluation, baseline: baseline, trainingCurve: trainingCurve)
    }

    public func renderText() -> String {
        summary.renderText(extraSections: [savingsTable()])
    }

    /// See `EvaluationSummary.temperatureVerdict`.
    var temperatureVerdict: String? { summary.temperatureVerdict }

    func savingsTable() -> String {
        var lines = ["Savings report (per month unless stated)"]
        lines.append(textTable(["assumption", "value"], assumptionRows))
        lines.append("")
        let columns = savingsColumns
        lines.append(textTable(["figure"] + columns.map(\.0), savingsFigures.map { f in [f.text] + columns.map { f.value($0.1) } }))
        lines.append(thresholdStory)
        return lines.joined(separator: "\n")
    }

    /// One row of the savings tables: its name in the text table, its name in the HTML table
    /// (nil: text only), and the figure of one column.
    struct SavingsFigure {
        var text: String
        var html: String?
        var value: (SavingsReport) -> String
    }

    var savingsFigures: [SavingsFigure] {
        [
            SavingsFigure(text: "documents automated", html: "documents automated") { percent($0.automatedFraction) },
            SavingsFigure(text: "misclassified (share of all)", html: nil) { percent($0.misclassificationRate) },
            SavingsFigure(text: "lawyer hours saved", html: nil) { grouped($0.hoursSavedPerMonth) },
            SavingsFigure(text: "cost saved", html: nil) { dollars($0.costSavedPerMonth) },
            SavingsFigure(text: "misclassification cost", html: nil) { dollars($0.misclassificationCostPerMonth) },
            SavingsFigure(text: "net monthly savings", html: "net monthly savings") { dollars($0.netMonthlySavings) },
            SavingsFigure(text: "annual savings", html: "annual savings") { dollars($0.annualSavings) },
            SavingsFigure(text: "payback (months)", html: "payback (months)") { $0.paybackMonths.isFinite ? fixed($0.paybackMonths, 2) : "never" },
            SavingsFigure(text: "ROI over horizon", html: "ROI over \(fixed(parameters.horizonYears, 1)) years") { $0.roi.isFinite ? percent($0.roi) : "n/a" },
            SavingsFigure(text: "NPV over horizon", html: "NPV at \(percent(parameters.annualDiscountRate))/year") { dollars($0.npv) },
        ]
    }

    /// The savings assumptions (every one a flag of `docket evaluate`).
    var assumptionRows: [[String]] {
        let p = parameters
        return [
            ["documents per month", grouped(p.documentsPerMonth)],
            ["manual review, hours per document", fixed(p.manualHoursPerDocument, 3)],
            ["assisted review, hours per document", fixed(p.assistedHoursPerDocument, 3)],
            ["lawyer rate", dollars(p.hourlyRate) + "/h"],
            ["misclassification cost", inputs.costMatrixFile.map { "cost matrix \($0)" } ?? dollars(p.misclassificationCost) + " per document"],
            ["development cost", dollars(p.developmentCost)],
            ["horizon, discount rate", "\(fixed(p.horizonYears, 1)) years, \(percent(p.annualDiscountRate)) a year (monthly compounding)"],
        ]
    }

    /// The savings columns: from accuracy alone; at the per-class costs (only when a cost
    /// matrix was given: with uniform costs it equals the first); routed at the threshold.
    var savingsColumns: [(String, SavingsReport)] {
        var columns = [("accuracy only", savings.defaultModel)]
        if inputs.costMatrixFile != nil { columns.append(("per-class costs", savings.perClass)) }
        columns.append(("routing < \(fixed(savings.routed.threshold, 3))" + thresholdNote, savings.routed))
        return columns
    }

    /// Where the routing threshold came from, for its column header.
    var thresholdNote: String {
        switch savings.thresholdSource {
        case "dev": return " (chosen on dev)"
        case "test": return " (chosen on test: optimistic)"
        default: return " (fixed)"
        }
    }

    /// One story: the threshold in the table is the decision; the test-set optimum is only
    /// known in hindsight.
    var thresholdStory: String {
        let s = savings
        let hindsight = "the best threshold on the test set, known only in hindsight, is \(fixed(s.bestThreshold, 3)) "
            + "(net \(dollars(s.bestNetMonthlySavings))/month)"
        switch s.thresholdSource {
        case "dev":
            return "Routing threshold \(fixed(s.routed.threshold, 3)) is the decision: the best on \(inputs.calibrationSet ?? "the dev set"), "
                + "scored on the test set; \(hindsight)."
        case "test":
            return "Routing threshold \(fixed(s.routed.threshold, 3)) is the best on the test set itself (optimistic: chosen on the data "
                + "it is scored on); give --calibrate DEV to choose it on held-out data."
        default:
            return "Routing threshold \(fixed(s.routed.threshold, 3)) is fixed (--threshold); \(hindsight); "
                + "--threshold auto chooses one (on the --calibrate set when given)."
        }
    }
}

/// "$1,234,567" (rounded to whole dollars), "-$1,234" for negatives.
func dollars(_ x: Double) -> String {
    guard x.isFinite else { return fixed(x, 0) }
    return (x < 0 ? "-$" : "$") + grouped(abs(x))
}
