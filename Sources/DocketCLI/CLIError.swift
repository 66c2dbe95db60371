import ArgumentParser

/// The CLI's one error convention: a command fails by throwing (a CLIError with the message,
/// or a library error); ArgumentParser prints "Error: message" and exits 1. Commands never
/// write errors to stderr themselves nor exit with their own codes (only the argument
/// rewriting in Docket.swift, before parsing, exits 64 as ArgumentParser's usage errors do).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
