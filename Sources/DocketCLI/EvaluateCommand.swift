import ArgumentParser

// Placeholder: replaced by the issue that implements `evaluate`.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Evaluate a classifier: metrics, calibration, savings report.")
    func run() async throws { throw ValidationError("'evaluate' is not implemented yet") }
}
