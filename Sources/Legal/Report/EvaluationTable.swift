// The human-readable evaluation printed by `docket evaluate`: metrics, per-class table,
// confusion matrix, calibration, baseline, and the savings report as aligned tables.
import Docket
import Foundation

extension LegalEvaluation {
    public func renderText() -> String {
        var out: [String] = []
        let m = evaluation.metrics
        out.append("Evaluation of \(inputs.model) on \(inputs.test) (\(testDocuments) document\(testDocuments == 1 ? "" : "s")"
                   + (inputs.precision == "fp32" ? ")" : ", \(inputs.precision) inference)"))
        out.append("Accuracy \(percent(m.accuracy))   macro F1 \(fixed(m.macroF1, 4))   weighted F1 \(fixed(m.weightedF1, 4))")
        if let b = baseline {
            out.append("Baseline (\(b.name)): accuracy \(percent(b.accuracy)) (\(b.correct)/\(b.total))" + (b.macroF1.map { ", macro-F1 \(String(format: "%.4f", $0))" } ?? ""))
        }
        out.append("")
        out.append(table(["class", "precision", "recall", "F1", "support"],
                         m.perClass.map { [$0.label, fixed($0.precision, 4), fixed($0.recall, 4), fixed($0.f1, 4), "\($0.support)"] }
                         + [["macro avg", fixed(m.macroPrecision, 4), fixed(m.macroRecall, 4), fixed(m.macroF1, 4), "\(testDocuments)"],
                            ["weighted avg", fixed(m.weightedPrecision, 4), fixed(m.weightedRecall, 4), fixed(m.weightedF1, 4), "\(testDocuments)"]]))
        out.append("")
        out.append("Confusion matrix (rows: true class, columns: predicted)")
        out.append(table([""] + evaluation.labels, zip(evaluation.labels, m.confusion.counts).map { [$0] + $1.map { "\($0)" } }))
        out.append("")
        let c = evaluation.calibration
        out.append("Calibration: ECE (\(c.bins) bins) \(fixed(c.ece, 4))" + (temperatureVerdict.map { ". " + $0 } ?? ""))
        out.append("")
        out.append(savingsTable())
        return out.joined(separator: "\n") + "\n"
    }

    func savingsTable() -> String {
        var lines = ["Savings report (per month unless stated)"]
        lines.append(table(["assumption", "value"], assumptionRows))
        lines.append("")
        let columns = savingsColumns
        func row(_ name: String, _ f: (SavingsReport) -> String) -> [String] { [name] + columns.map { f($0.1) } }
        lines.append(table(["figure"] + columns.map(\.0), [
            row("documents automated") { percent($0.automatedFraction) },
            row("misclassified (share of all)") { percent($0.misclassificationRate) },
            row("lawyer hours saved") { grouped($0.hoursSavedPerMonth) },
            row("cost saved") { dollars($0.costSavedPerMonth) },
            row("misclassification cost") { dollars($0.misclassificationCostPerMonth) },
            row("net monthly savings") { dollars($0.netMonthlySavings) },
            row("annual savings") { dollars($0.annualSavings) },
            row("payback (months)") { $0.paybackMonths.isFinite ? fixed($0.paybackMonths, 2) : "never" },
            row("ROI over horizon") { $0.roi.isFinite ? percent($0.roi) : "n/a" },
            row("NPV over horizon") { dollars($0.npv) },
        ]))
        lines.append(thresholdStory)
        return lines.joined(separator: "\n")
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

    /// What temperature scaling did, in plain words (nil without a dev set). A T that makes
    /// the test ECE worse is reported as such and not applied.
    var temperatureVerdict: String? {
        let c = evaluation.calibration
        guard let t = c.temperature, let after = c.eceAfterTemperature else { return nil }
        let fitted = "Temperature scaling (T = \(fixed(t, 4)), fitted on \(inputs.calibrationSet ?? "the dev set"))"
        if after >= c.ece {
            return "\(fitted) made calibration worse on the test set (ECE \(fixed(c.ece, 4)) → \(fixed(after, 4))), so it is not applied: "
                + "every figure here uses the model's own probabilities"
        }
        return "\(fitted) lowers the ECE to \(fixed(after, 4)) (reported only: the figures here use the model's own probabilities)"
    }
}

/// Left-aligned first column, right-aligned others, two spaces between columns.
func table(_ header: [String], _ rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
    func render(_ r: [String]) -> String {
        r.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
            return i == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([render(header), rule] + rows.map(render)).joined(separator: "\n")
}

/// "$1,234,567" (rounded to whole dollars), "-$1,234" for negatives.
func dollars(_ x: Double) -> String {
    guard x.isFinite else { return fixed(x, 0) }
    return (x < 0 ? "-$" : "$") + grouped(abs(x))
}

