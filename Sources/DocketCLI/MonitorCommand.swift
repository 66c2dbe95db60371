// `docket monitor`: the serving monitor's report (label drift as PSI against the training
// distribution, confidence, accuracy against gold labels) computed offline from a predictions file.
import ArgumentParser
import DocketServer
import Foundation

struct MonitorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Drift and accuracy report for a predictions file (the report GET /monitor gives while serving).",
        discussion: """
        --predictions: docket classify output (JSONL with "label", "score", optional "id", "gold_label"). \
        --labels: gold labels as JSONL with "id" and "label", joined on "id" (default: the predictions' own \
        "gold_label"). The training label distribution and eval accuracy come from the model's docket.json. \
        Prints the report as JSON; exits 0 (an accuracy alert is in the report, not the exit code).
        """)

    @Option(help: "Checkpoint directory (config.json labels, docket.json training record).")
    var model: String

    @Option(help: "Predictions JSONL (docket classify output).")
    var predictions: String

    @Option(help: "Gold labels JSONL with \"id\" and \"label\".")
    var labels: String?

    @Option(help: "Confidence below this counts as routed to a person (low_confidence_share).")
    var threshold: Double = 0.5

    @Option(help: "Alert when accuracy is this far below the eval accuracy saved at training.")
    var alertAccuracyDrop: Double = 0.05

    @Option(help: "Gold labels needed before the accuracy alert can fire.")
    var alertMinFeedback = 50

    func validate() throws {
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be in [0, 1]") }
        guard (0...1).contains(alertAccuracyDrop) else { throw ValidationError("--alert-accuracy-drop must be in [0, 1]") }
        guard alertMinFeedback >= 1 else { throw ValidationError("--alert-min-feedback must be at least 1") }
    }

    func run() throws {
        do {
            let report = try OfflineMonitor.report(
                model: URL(fileURLWithPath: model), predictions: predictions, gold: labels,
                settings: .init(routingThreshold: threshold, alertAccuracyDrop: alertAccuracyDrop, alertMinFeedback: alertMinFeedback))
            print(report.json)
            for note in report.notes { FileHandle.standardError.write(Data("docket monitor: note: \(note)\n".utf8)) }
        } catch { throw CLIError("\(error)") }
    }
}
