import ArgumentParser

// Placeholder: replaced by the issue that implements `kernels`.
struct BenchKernelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kernels", abstract: "Benchmark linear and attention kernels.")
    func run() async throws { throw ValidationError("'kernels' is not implemented yet") }
}
