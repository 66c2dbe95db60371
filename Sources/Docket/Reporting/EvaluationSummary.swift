// A classifier's evaluation ready to read: what was evaluated (model, test set, precision),
// the metrics and calibration (EvaluationReport), and the optional baseline and training curve.
// Renders the text tables `docket evaluate` prints (this file) and the self-contained HTML
// report (EvaluationSummary+HTML.swift). Nothing domain-specific: a showcase such as Legal adds
// its own sections after the general ones (`extraSections`).
import Foundation

public struct EvaluationSummary: Sendable {
    /// The model and test set as named on the command line.
    public var model: String
    public var test: String
    /// Inference precision: "fp32", "bf16" or "int8" (named in the heading unless fp32).
    public var precision: String
    /// The dev set temperature scaling was fitted on (named in the calibration verdict).
    public var calibrationSet: String?
    public var evaluation: EvaluationReport
    public var baseline: BaselineScore?
    public var trainingCurve: TrainingCurve?

    public init(model: String, test: String, precision: String = "fp32", calibrationSet: String? = nil,
                evaluation: EvaluationReport, baseline: BaselineScore? = nil, trainingCurve: TrainingCurve? = nil) {
        self.model = model; self.test = test; self.precision = precision; self.calibrationSet = calibrationSet
        self.evaluation = evaluation; self.baseline = baseline; self.trainingCurve = trainingCurve
    }

    public var testDocuments: Int { evaluation.documents.count }

    /// Heading, accuracy (and baseline), per-class table, confusion matrix and calibration,
    /// then each of `extraSections`, blank-line separated, ending in a newline.
    public func renderText(extraSections: [String] = []) -> String {
        var out: [String] = []
        let m = evaluation.metrics
        out.append("Evaluation of \(model) on \(test) (\(testDocuments) document\(testDocuments == 1 ? "" : "s")"
                   + (precision == "fp32" ? ")" : ", \(precision) inference)"))
        out.append("Accuracy \(percent(m.accuracy))   macro F1 \(fixed(m.macroF1, 4))   weighted F1 \(fixed(m.weightedF1, 4))")
        if let b = baseline {
            out.append("Baseline (\(b.name)): accuracy \(percent(b.accuracy)) (\(b.correct)/\(b.total))" + (b.macroF1.map { ", macro-F1 \(String(format: "%.4f", $0))" } ?? ""))
        }
        out.append("")
        out.append(textTable(["class", "precision", "recall", "F1", "support"], perClassRows + [
            ["macro avg", fixed(m.macroPrecision, 4), fixed(m.macroRecall, 4), fixed(m.macroF1, 4), "\(testDocuments)"],
            ["weighted avg", fixed(m.weightedPrecision, 4), fixed(m.weightedRecall, 4), fixed(m.weightedF1, 4), "\(testDocuments)"],
        ]))
        out.append("")
        out.append("Confusion matrix (rows: true class, columns: predicted)")
        out.append(textTable([""] + evaluation.labels, zip(evaluation.labels, m.confusion.counts).map { [$0] + $1.map { "\($0)" } }))
        out.append("")
        let c = evaluation.calibration
        out.append("Calibration: ECE (\(c.bins) bins) \(fixed(c.ece, 4))" + (temperatureVerdict.map { ". " + $0 } ?? ""))
        for section in extraSections { out += ["", section] }
        return out.joined(separator: "\n") + "\n"
    }

    /// One row per class: label, precision, recall, F1 (4 decimals), support.
    var perClassRows: [[String]] {
        evaluation.metrics.perClass.map { [$0.label, fixed($0.precision, 4), fixed($0.recall, 4), fixed($0.f1, 4), "\($0.support)"] }
    }

    /// What temperature scaling did, in plain words (nil without a dev set). A T that makes
    /// the test ECE worse is reported as such and not applied.
    public var temperatureVerdict: String? {
        let c = evaluation.calibration
        guard let t = c.temperature, let after = c.eceAfterTemperature else { return nil }
        let fitted = "Temperature scaling (T = \(fixed(t, 4)), fitted on \(calibrationSet ?? "the dev set"))"
        if after >= c.ece {
            return "\(fitted) made calibration worse on the test set (ECE \(fixed(c.ece, 4)) → \(fixed(after, 4))), so it is not applied: "
                + "every figure here uses the model's own probabilities"
        }
        return "\(fitted) lowers the ECE to \(fixed(after, 4)) (reported only: the figures here use the model's own probabilities)"
    }
}

/// A plain-text table: left-aligned first column, right-aligned others, two spaces between
/// columns, a rule of dashes under the header.
package func textTable(_ header: [String], _ rows: [[String]]) -> String {
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
