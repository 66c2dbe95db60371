// Streaming and progress of the built binary (issue #13 defects 2 and 7):
// - `classify` reading a pipe prints a document's line before the input is closed (it used to
//   wait for 1,024 documents or the end of input);
// - piped `finetune` prints plain progress lines (every --logging-steps steps, one per epoch)
//   without carriage returns or escape sequences (the terminal mode: TerminalProgressCLITests).
import Foundation
import TestSupport
import XCTest

final class StreamingProgressCLITests: XCTestCase {
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    func testClassifyPrintsWhatArrivedBeforeTheInputCloses() throws {
        let p = Process()
        p.executableURL = try docketBinary()
        p.arguments = ["classify", "--model", model]
        let inp = Pipe(), out = Pipe()
        p.standardInput = inp; p.standardOutput = out; p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() }; p.waitUntilExit() }
        inp.fileHandleForWriting.write(Data("{\"id\": 1, \"text\": \"The plaintiff filed a motion\"}\n".utf8))
        // The input stays open: the first line must come out anyway.
        let first = try readLine(out.fileHandleForReading, timeout: 60)
        XCTAssertTrue(first.contains("\"id\":1") || first.contains("\"id\": 1"), first)
        XCTAssertTrue(p.isRunning, "still reading the open input")
        inp.fileHandleForWriting.write(Data("{\"id\": 2, \"text\": \"A patent claim\"}\n".utf8))
        let second = try readLine(out.fileHandleForReading, timeout: 60)
        XCTAssertTrue(second.contains("2"), second)
        try inp.fileHandleForWriting.close()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }

    /// Reads one '\n'-terminated line from `handle` on another thread, failing after `timeout` s.
    private func readLine(_ handle: FileHandle, timeout: TimeInterval) throws -> String {
        let box = LineBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var bytes: [UInt8] = []
            while true {
                let d = handle.readData(ofLength: 1)
                if d.isEmpty || d.first == 0x0A { break }
                bytes.append(contentsOf: d)
            }
            box.set(String(decoding: bytes, as: UTF8.self))
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success else { throw NoLine(seconds: timeout) }
        return box.get()
    }

    func testPipedFinetunePrintsPlainLinesPerStepsAndEpoch() throws {
        let scratch = try ScratchDirectory(prefix: "cli-progress")
        defer { scratch.remove() }
        var train = ""
        for i in 0..<12 { train += "{\"text\":\"\(i % 2 == 0 ? "plaintiff motion court" : "patent claim device")\",\"label\":\"\(i % 2 == 0 ? "Litigation" : "Patent")\"}\n" }
        let data = try scratch.write("train.jsonl", train)
        let output = scratch.url.appendingPathComponent("model").path
        let (code, out, err) = try runDocket(["finetune", "--model", model, "--train", data, "--dev", data, "--output", output,
                                             "--epochs", "2", "--batch-size", "4", "--logging-steps", "2", "--max-length", "16"])
        XCTAssertEqual(code, 0, err)
        XCTAssertFalse(err.contains("\r"), "no carriage returns in a pipe")
        XCTAssertFalse(err.contains("\u{1B}"), "no escape sequences in a pipe (TerminalProgressCLITests checks the terminal)")
        let lines = err.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("step ") }.map { $0.split(separator: " ")[1] }, ["2/6", "4/6", "6/6"], err)
        XCTAssertEqual(lines.filter { $0.hasPrefix("epoch ") }.count, 2, err)
        XCTAssertTrue(lines.contains { $0.hasPrefix("epoch 1 done at step 3/6: train loss") && $0.contains("dev loss") }, err)
        XCTAssertTrue(out.contains("trained 6 steps (2 epochs)"), out)
    }
}

private struct NoLine: Error, CustomStringConvertible {
    let seconds: TimeInterval
    var description: String { "no output line within \(seconds) s while the input was still open" }
}

private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func set(_ s: String) { lock.lock(); value = s; lock.unlock() }
    func get() -> String { lock.lock(); defer { lock.unlock() }; return value }
}
