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
        var cal = "Calibration: ECE (\(c.bins) bins) \(fixed(c.ece, 4))"
        if let t = c.temperature, let after = c.eceAfterTemperature {
            cal += " → \(fixed(after, 4)) after temperature scaling (T = \(fixed(t, 4)), fitted on \(inputs.calibrationSet ?? "dev"))"
        }
        out.append(cal)
        out.append("")
        out.append(savingsTable())
        return out.joined(separator: "\n") + "\n"
    }

    func savingsTable() -> String {
        let p = parameters, s = savings
        var lines = ["Savings report (per month unless stated)"]
        lines.append(table(["input", "value"], [
            ["documents per month", grouped(p.documentsPerMonth)],
            ["manual review, hours per document", fixed(p.manualHoursPerDocument, 3)],
            ["assisted review, hours per document", fixed(p.assistedHoursPerDocument, 3)],
            ["lawyer rate", dollars(p.hourlyRate) + "/h"],
            ["misclassification cost", inputs.costMatrixFile.map { "cost matrix \($0)" } ?? dollars(p.misclassificationCost)],
            ["development cost", dollars(p.developmentCost)],
            ["horizon, discount rate", "\(fixed(p.horizonYears, 1)) years, \(percent(p.annualDiscountRate)) a year (monthly compounding)"],
        ]))
        lines.append("")
        let columns = [("default model (§9)", s.defaultModel), ("per-class costs", s.perClass),
                       ("routing < \(fixed(s.routed.threshold, 3))" + thresholdNote, s.routed)]
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
        if s.thresholdSource == "fixed" {
            lines.append("Best routing threshold on the test set: \(fixed(s.bestThreshold, 3)) (net \(dollars(s.bestNetMonthlySavings))/month); "
                         + "--threshold auto picks one (on the --calibrate set when given).")
        }
        if s.thresholdSource == "dev" {
            lines.append("Routing threshold chosen on \(inputs.calibrationSet ?? "the dev set") (best there), scored on the test set; "
                         + "the best threshold on the test set itself would be \(fixed(s.bestThreshold, 3)).")
        }
        return lines.joined(separator: "\n")
    }

    /// " (best on dev)", " (best on test)" or "" for a fixed threshold.
    var thresholdNote: String {
        switch savings.thresholdSource {
        case "dev": return " (best on dev)"
        case "test": return " (best on test)"
        default: return ""
        }
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

func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "∞" : "-∞") }
    return String(format: "%.\(digits)f", x)
}

func percent(_ x: Double) -> String { fixed(x * 100, 2) + "%" }

/// "$1,234,567" (rounded to whole dollars), "-$1,234" for negatives.
func dollars(_ x: Double) -> String {
    guard x.isFinite else { return fixed(x, 0) }
    return (x < 0 ? "-$" : "$") + grouped(abs(x))
}

func grouped(_ x: Double) -> String {
    guard x.isFinite else { return fixed(x, 0) }
    guard abs(x) < 1e15 else { return String(format: "%.3e", x) }   // beyond Int and any real budget
    let r = x.rounded()
    return (r < 0 ? "-" : "") + LegalVocabulary.grouped(Int(abs(r)))
}
