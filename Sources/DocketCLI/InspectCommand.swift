import ArgumentParser

// Placeholder: replaced by the issue that implements `inspect`.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "List the tensors, dtypes, shapes and metadata of a safetensors file.")
    func run() async throws { throw ValidationError("'inspect' is not implemented yet") }
}
