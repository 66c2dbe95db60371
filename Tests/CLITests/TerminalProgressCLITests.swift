// The progress renderer's terminal mode, seen through a real pseudo-terminal (issue #13, items
// 7 and 8): `docket finetune` with stdout and stderr on a pty redraws one status line in place
// ("\r" + ESC[K, no newline between steps), prints each epoch line over it, and leaves no stray
// status characters: what a terminal shows at the end is the epoch lines and the summary.
// The piped mode is checked in StreamingProgressCLITests.
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class TerminalProgressCLITests: XCTestCase {
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    func testFinetuneOnATerminalRedrawsOneStatusLineInPlace() throws {
        let scratch = try ScratchDirectory(prefix: "cli-terminal")
        defer { scratch.remove() }
        var train = ""
        for i in 0..<12 { train += "{\"text\":\"\(i % 2 == 0 ? "plaintiff motion court" : "patent claim device")\",\"label\":\"\(i % 2 == 0 ? "Litigation" : "Patent")\"}\n" }
        let data = try scratch.write("train.jsonl", train)
        let output = scratch.url.appendingPathComponent("model").path
        let (code, raw) = try runOnTerminal(["finetune", "--model", model, "--train", data, "--dev", data, "--output", output,
                                             "--epochs", "2", "--batch-size", "4", "--max-length", "16"])
        XCTAssertEqual(code, 0, raw)
        // The pty's line discipline turns "\n" into "\r\n" (ONLCR); every other "\r" is Docket's.
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n")
        let clear = "\r\u{1B}[K"
        for step in 1...6 { XCTAssertTrue(text.contains(clear + "step \(step)/6  epoch"), "status of step \(step) redrawn: \(text.debugDescription)") }
        let physical = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstEpoch = try XCTUnwrap(physical.first { $0.contains("step 1/6") }, text.debugDescription)
        XCTAssertTrue(firstEpoch.contains("step 2/6") && firstEpoch.contains(clear + "epoch 1 done at step 3/6"),
                      "steps 1-3 and epoch 1's line share one terminal line: \(firstEpoch.debugDescription)")
        // What the terminal shows: per line, the text after the last carriage return, ESC[K erasing
        // the rest of what a longer earlier status left.
        let visible = physical.map { line in
            String(line.split(separator: "\r", omittingEmptySubsequences: false).last ?? "")
                .replacingOccurrences(of: "\u{1B}[K", with: "")
        }.filter { !$0.isEmpty }
        XCTAssertFalse(visible.contains { $0.hasPrefix("step ") }, "no status line is left on screen: \(visible)")
        XCTAssertFalse(visible.joined().contains("\u{1B}"), "no other escape sequence: \(visible)")
        XCTAssertTrue(visible.first?.hasPrefix("epoch 1 done at step 3/6: train loss") ?? false, "\(visible)")
        XCTAssertTrue(visible.contains { $0.hasPrefix("epoch 2 done at step 6/6: train loss") && $0.contains("; dev loss") }, "\(visible)")
        XCTAssertTrue(visible.contains { $0.hasPrefix("trained 6 steps (2 epochs)") }, "\(visible)")
        XCTAssertEqual(visible.last, "checkpoint: \(output)", "the summary is the last line")
    }

    /// Runs docket with stdout and stderr on the slave side of a new pseudo-terminal (stdin
    /// empty); returns the exit code and every byte read from the master side.
    private func runOnTerminal(_ args: [String], timeout: TimeInterval = 120) throws -> (Int32, String) {
        var descriptors: (master: Int32, slave: Int32) = (-1, -1)
        guard openpty(&descriptors.master, &descriptors.slave, nil, nil, nil) == 0 else {
            throw XCTSkip("no pseudo-terminal: errno \(errno)")
        }
        let (master, slave) = descriptors
        defer { close(master) }
        // Other tests' children must not inherit either side (the master read ends only when
        // every slave descriptor is closed); the child's stdout/stderr copies are not close-on-exec.
        _ = fcntl(master, F_SETFD, FD_CLOEXEC); _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        let p = Process()
        p.executableURL = try docketBinary()
        p.arguments = args
        p.currentDirectoryURL = repositoryRoot
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardOutput = terminal; p.standardError = terminal; p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { close(slave); throw error }
        close(slave)  // the child holds the only slave descriptors: reading the master ends (EIO) when it exits
        let box = BytesBox(), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                box.append(buffer[0..<n])
            }
            done.signal()
        }
        if done.wait(timeout: .now() + timeout) != .success {
            p.terminate()
            p.waitUntilExit()
            XCTFail("docket did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: box.get(), as: UTF8.self))
    }
}

/// Bytes appended by the master reader thread, read by the caller after it finished.
private final class BytesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func append(_ b: ArraySlice<UInt8>) { lock.lock(); bytes += b; lock.unlock() }
    func get() -> [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes }
}
