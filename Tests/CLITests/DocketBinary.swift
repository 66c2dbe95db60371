// Running the built `docket` executable (TestSupport's docketBinary()) from CLI tests.
import Foundation
import TestSupport
import XCTest

/// Runs docket with `args` (and optional standard input); returns (exit code, stdout, stderr).
/// Input is fed and stderr drained on other threads while stdout is read, so large inputs or
/// outputs cannot dead-lock on a full pipe.
func runDocket(_ args: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = try docketBinary()
    p.arguments = args
    p.currentDirectoryURL = repositoryRoot
    if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    let inp = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
    try p.run()
    let errBox = DataBox()
    let group = DispatchGroup()
    if let stdin {
        let writer = inp.fileHandleForWriting
        group.enter()
        DispatchQueue.global().async { writer.write(Data(stdin.utf8)); try? writer.close(); group.leave() }
    }
    group.enter()
    DispatchQueue.global().async { errBox.set(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errBox.get(), as: UTF8.self))
}

/// Data handed from the stderr reader thread to the caller under a lock.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
