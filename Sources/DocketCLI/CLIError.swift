import ArgumentParser

/// Every command's user-facing failure: ArgumentParser prints "Error: message" and exits 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
