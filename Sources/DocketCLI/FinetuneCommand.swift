import ArgumentParser

// Placeholder: replaced by the issue that implements `finetune`.
struct FinetuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "finetune", abstract: "Fine-tune a classifier on labelled JSONL/CSV.")
    func run() async throws { throw ValidationError("'finetune' is not implemented yet") }
}
