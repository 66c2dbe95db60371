// `--precision fp32|bf16|int8` on classify, evaluate and bench classify: bf16 and int8 run and
// stay close to fp32, invalid values are rejected by the parser, and a CPU without
// AVX512_BF16 / AVX512_VNNI (forced here with DOCKET_DISABLE_BF16=1 / DOCKET_DISABLE_INT8=1, so
// the refusal is tested on every machine) gets a clear message and exit code 1.
import Foundation
import TestSupport
import XCTest

final class PrecisionCLITests: XCTestCase {
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path
    private var scratch: ScratchDirectory!
    private let texts = ["The plaintiff filed a motion to dismiss the complaint.",
                         "This lease agreement is made between the landlord and the tenant.",
                         "A patent claim covering the method of claim 1."]

    override func setUpWithError() throws { scratch = try ScratchDirectory(prefix: "cli-precision") }
    override func tearDownWithError() throws { scratch?.remove() }

    /// Skips unless /proc/cpuinfo lists `flag` (the instructions `precision` needs).
    private func require(_ flag: String, for precision: String) throws {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard info.contains(" \(flag)") else { throw XCTSkip("this CPU has no \(flag): --precision \(precision) cannot run here") }
    }

    private func probabilities(_ out: String) throws -> [[String: Double]] {
        try out.split(separator: "\n").map {
            let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            return try XCTUnwrap(row["probabilities"] as? [String: Double])
        }
    }

    /// classify at fp32 and at `precision`: every probability within `tolerance`.
    private func checkClassifyClose(_ precision: String, tolerance: Double) throws {
        let input = texts.map { "{\"text\": \"\($0)\"}\n" }.joined()
        var results: [[[String: Double]]] = []
        for p in ["fp32", precision] {
            let (code, out, err) = try runDocket(["classify", "--model", model, "--precision", p], stdin: input)
            XCTAssertEqual(code, 0, err)
            results.append(try probabilities(out))
        }
        XCTAssertEqual(results[1].count, texts.count)
        for (a, b) in zip(results[0], results[1]) {
            for (label, p) in a { XCTAssertEqual(b[label] ?? -1, p, accuracy: tolerance, "\(precision) \(label)") }
        }
    }

    /// evaluate --json records `precision`; bench classify runs at it.
    private func checkEvaluateAndBench(_ precision: String) throws {
        let labels = ["Litigation", "Contract", "Patent"]
        let test = try scratch.write("test.jsonl", zip(labels, texts).map { "{\"text\": \"\($1)\", \"label\": \"\($0)\"}\n" }.joined())
        var (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", test, "--precision", precision, "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual((doc["inputs"] as? [String: Any])?["precision"] as? String, precision, "the JSON records the precision")
        (code, out, err) = try runDocket(["bench", "classify", "--model", model, "--precision", precision, "--batch-size", "2",
                                          "--seq-len", "16", "--iterations", "1", "--latency-runs", "1", "--json"])
        XCTAssertEqual(code, 0, err)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(result["precision"] as? String, precision)
    }

    /// With `variable`=1 every command refuses `precision` with `message` and exit code 1,
    /// while the precisions in `unaffected` still run.
    private func checkRefusal(_ precision: String, variable: String, message: String, unaffected: [String]) throws {
        let test = try scratch.write("test.jsonl", "{\"text\": \"x\", \"label\": \"Patent\"}\n")
        let off = [variable: "1"]
        for args in [["classify", "--model", model], ["evaluate", "--model", model, "--test", test],
                     ["bench", "classify", "--model", model, "--iterations", "1"]] {
            let (code, out, err) = try runDocket(args + ["--precision", precision], stdin: "x\n", environment: off)
            XCTAssertEqual(code, 1, "\(args[0]): \(err)")
            XCTAssertEqual(out, "")
            XCTAssertTrue(err.contains(message), "\(args[0]): \(err)")
        }
        for p in unaffected {
            let (code, _, err) = try runDocket(["classify", "--model", model, "--precision", p], stdin: "x\n", environment: off)
            XCTAssertEqual(code, 0, "\(p): \(err)")
        }
    }

    // bf16 operands (unit roundoff 2⁻⁸) through 2 tiny layers: measured |Δp| ≤ 6e-4.
    func testClassifyBF16IsCloseToFP32() throws {
        try require("avx512_bf16", for: "bf16")
        try checkClassifyClose("bf16", tolerance: 0.02)
    }

    // int8 codes through 2 tiny layers: measured |Δp| ≤ 5e-3.
    func testClassifyInt8IsCloseToFP32() throws {
        try require("avx512_vnni", for: "int8")
        try checkClassifyClose("int8", tolerance: 0.05)
    }

    func testEvaluateAndBenchAcceptBF16() throws {
        try require("avx512_bf16", for: "bf16")
        try checkEvaluateAndBench("bf16")
    }

    func testEvaluateAndBenchAcceptInt8() throws {
        try require("avx512_vnni", for: "int8")
        try checkEvaluateAndBench("int8")
    }

    func testInvalidPrecisionIsRejected() throws {
        let test = try scratch.write("test.jsonl", "{\"text\": \"x\", \"label\": \"Patent\"}\n")
        for args in [["classify", "--model", model], ["evaluate", "--model", model, "--test", test],
                     ["bench", "classify", "--model", model]] {
            let (code, _, err) = try runDocket(args + ["--precision", "fp16"], stdin: "x\n")
            XCTAssertEqual(code, 64, "\(args[0]): \(err)")
            XCTAssertTrue(err.contains("'fp32'") && err.contains("'bf16'") && err.contains("'int8'"), err)
        }
    }

    func testBF16WithoutCPUSupportFailsClearly() throws {
        try checkRefusal("bf16", variable: "DOCKET_DISABLE_BF16", message: "needs a CPU with AVX512_BF16", unaffected: ["fp32"])
    }

    func testInt8WithoutCPUSupportFailsClearly() throws {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        try checkRefusal("int8", variable: "DOCKET_DISABLE_INT8", message: "needs a CPU with AVX512_VNNI",
                         unaffected: ["fp32"] + (cpu.contains(" avx512_bf16") ? ["bf16"] : []))
    }
}
