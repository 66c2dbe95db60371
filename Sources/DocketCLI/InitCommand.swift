import ArgumentParser

// Placeholder: replaced by the issue that implements `init`.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a freshly initialised model directory from a config.")
    func run() async throws { throw ValidationError("'init' is not implemented yet") }
}
