// Issue 12 at the command line: integer flags bounded before any arithmetic (item 4), inspect
// on a FIFO and on names holding terminal escapes, stale temp files of a killed
// `classify --output` cleaned up, and the flag that allows a checkpoint without its head.
import Foundation
import SafeTensors
import TestSupport
import XCTest

final class HardeningCLITests: XCTestCase {
    private var scratch: ScratchDirectory!
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    override func setUpWithError() throws { scratch = try ScratchDirectory(prefix: "cli-hardening") }
    override func tearDownWithError() throws { scratch?.remove() }

    func testHugeIntegerFlagsAreUsageErrorsNotTraps() throws {
        let docs = try scratch.write("d.jsonl", "{\"text\": \"the court\", \"label\": \"a\"}\n{\"text\": \"the patent\", \"label\": \"b\"}\n")
        let out = scratch.url.appendingPathComponent("o").path
        let big = "9223372036854775807"
        let cases: [([String], String)] = [
            (["classify", "--model", model, "--input", docs, "--batch-size", big], "--batch-size must be in 1...65536"),
            (["classify", "--model", model, "--input", docs, "--workers", big], "--workers must be in 1...256"),
            (["classify", "--model", model, "--input", docs, "--top-k", big], "--top-k must be in 1...100000"),
            (["finetune", "--model", model, "--train", docs, "--output", out, "--max-steps", big], "--max-steps must be in 1...1000000000"),
            (["finetune", "--model", model, "--train", docs, "--output", out, "--epochs", "4611686018427387904"], "--epochs must be in 1...100000"),
            (["finetune", "--model", model, "--train", docs, "--output", out, "--batch-size", big], "--batch-size must be in 1...65536"),
            (["evaluate", "--model", model, "--test", docs, "--max-length", big], "--max-length must be in 1...65536"),
        ]
        for (args, message) in cases {
            let (code, _, err) = try runDocket(args)
            XCTAssertEqual(code, 64, "\(args): \(err)")  // ArgumentParser's usage-error exit code
            XCTAssertTrue(err.contains(message), "\(args): \(err)")
        }
    }

    func testInspectRefusesAFIFOAndEscapesControlCharacters() throws {
        let fifo = scratch.url.appendingPathComponent("weights.safetensors").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let (code, _, err) = try runDocket(["inspect", fifo])  // would block forever in open() before
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("not a regular file"), err)

        let evil = scratch.url.appendingPathComponent("evil.safetensors")
        let values: [Float] = [1, 2]
        try values.withUnsafeBufferPointer { p in
            try SafeTensorsWriter.write([(name: "w\u{1B}[2J\u{1B}]0;pwned\u{07}", shape: [2], data: p)],
                                        metadata: ["note": "a\u{1B}[31mred"], to: evil)
        }
        let (c2, out, e2) = try runDocket(["inspect", evil.path])
        XCTAssertEqual(c2, 0, e2)
        XCTAssertFalse(out.contains("\u{1B}"), out)
        XCTAssertTrue(out.contains("w\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"), out)
        XCTAssertTrue(out.contains("a\\u{1b}[31mred"), out)
    }

    func testStaleTempFilesOfAKilledClassifyAreRemoved() throws {
        let docs = try scratch.write("d.jsonl", "{\"text\": \"the court\"}\n")
        let output = scratch.url.appendingPathComponent("preds.jsonl")
        // What `kill -9` during `classify --output preds.jsonl` leaves: a hidden temp file whose
        // writer (a pid that no longer exists) will never rename or remove it.
        let dead = scratch.url.appendingPathComponent(".preds.jsonl.tmp-999999999-12345")
        try Data("partial".utf8).write(to: dead)
        let (code, _, err) = try runDocket(["classify", "--model", model, "--input", docs, "--output", output.path])
        XCTAssertEqual(code, 0, err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dead.path), "the stale temp file is cleaned up")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted(), ["d.jsonl", "preds.jsonl"])
    }
}
