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

    private func requireBF16() throws {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard info.contains(" avx512_bf16") else { throw XCTSkip("this CPU has no AVX512_BF16: --precision bf16 cannot run here") }
    }

    private func requireVNNI() throws {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        guard info.contains(" avx512_vnni") else { throw XCTSkip("this CPU has no AVX512_VNNI: --precision int8 cannot run here") }
    }

    private func probabilities(_ out: String) throws -> [[String: Double]] {
        try out.split(separator: "\n").map {
            let row = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            return try XCTUnwrap(row["probabilities"] as? [String: Double])
        }
    }

    func testClassifyBF16IsCloseToFP32() throws {
        try requireBF16()
        let input = texts.map { "{\"text\": \"\($0)\"}\n" }.joined()
        var results: [[[String: Double]]] = []
        for precision in ["fp32", "bf16"] {
            let (code, out, err) = try runDocket(["classify", "--model", model, "--precision", precision], stdin: input)
            XCTAssertEqual(code, 0, err)
            results.append(try probabilities(out))
        }
        XCTAssertEqual(results[1].count, texts.count)
        // bf16 operands (unit roundoff 2⁻⁸) through 2 tiny layers: measured |Δp| ≤ 6e-4.
        for (a, b) in zip(results[0], results[1]) {
            for (label, p) in a { XCTAssertEqual(b[label] ?? -1, p, accuracy: 0.02, label) }
        }
    }

    func testEvaluateAndBenchAcceptBF16() throws {
        try requireBF16()
        let labels = ["Litigation", "Contract", "Patent"]
        let test = try scratch.write("test.jsonl", zip(labels, texts).map { "{\"text\": \"\($1)\", \"label\": \"\($0)\"}\n" }.joined())
        var (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", test, "--precision", "bf16", "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual((doc["inputs"] as? [String: Any])?["precision"] as? String, "bf16", "the JSON records the precision")
        (code, out, err) = try runDocket(["bench", "classify", "--model", model, "--precision", "bf16", "--batch-size", "2",
                                          "--seq-len", "16", "--iterations", "1", "--latency-runs", "1", "--json"])
        XCTAssertEqual(code, 0, err)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(result["precision"] as? String, "bf16")
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
        let test = try scratch.write("test.jsonl", "{\"text\": \"x\", \"label\": \"Patent\"}\n")
        let off = ["DOCKET_DISABLE_BF16": "1"]
        for args in [["classify", "--model", model], ["evaluate", "--model", model, "--test", test],
                     ["bench", "classify", "--model", model, "--iterations", "1"]] {
            let (code, out, err) = try runDocket(args + ["--precision", "bf16"], stdin: "x\n", environment: off)
            XCTAssertEqual(code, 1, "\(args[0]): \(err)")
            XCTAssertEqual(out, "")
            XCTAssertTrue(err.contains("needs a CPU with AVX512_BF16"), "\(args[0]): \(err)")
        }
        // fp32 is unaffected by the switch.
        let (code, _, err) = try runDocket(["classify", "--model", model, "--precision", "fp32"], stdin: "x\n", environment: off)
        XCTAssertEqual(code, 0, err)
    }

    func testClassifyInt8IsCloseToFP32() throws {
        try requireVNNI()
        let input = texts.map { "{\"text\": \"\($0)\"}\n" }.joined()
        var results: [[[String: Double]]] = []
        for precision in ["fp32", "int8"] {
            let (code, out, err) = try runDocket(["classify", "--model", model, "--precision", precision], stdin: input)
            XCTAssertEqual(code, 0, err)
            results.append(try probabilities(out))
        }
        XCTAssertEqual(results[1].count, texts.count)
        // int8 codes through 2 tiny layers: measured |Δp| ≤ 5e-3.
        for (a, b) in zip(results[0], results[1]) {
            for (label, p) in a { XCTAssertEqual(b[label] ?? -1, p, accuracy: 0.05, label) }
        }
    }

    func testEvaluateAndBenchAcceptInt8() throws {
        try requireVNNI()
        let labels = ["Litigation", "Contract", "Patent"]
        let test = try scratch.write("test.jsonl", zip(labels, texts).map { "{\"text\": \"\($1)\", \"label\": \"\($0)\"}\n" }.joined())
        var (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", test, "--precision", "int8", "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual((doc["inputs"] as? [String: Any])?["precision"] as? String, "int8", "the JSON records the precision")
        (code, out, err) = try runDocket(["bench", "classify", "--model", model, "--precision", "int8", "--batch-size", "2",
                                          "--seq-len", "16", "--iterations", "1", "--latency-runs", "1", "--json"])
        XCTAssertEqual(code, 0, err)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual(result["precision"] as? String, "int8")
    }

    func testInt8WithoutCPUSupportFailsClearly() throws {
        let test = try scratch.write("test.jsonl", "{\"text\": \"x\", \"label\": \"Patent\"}\n")
        let off = ["DOCKET_DISABLE_INT8": "1"]
        for args in [["classify", "--model", model], ["evaluate", "--model", model, "--test", test],
                     ["bench", "classify", "--model", model, "--iterations", "1"]] {
            let (code, out, err) = try runDocket(args + ["--precision", "int8"], stdin: "x\n", environment: off)
            XCTAssertEqual(code, 1, "\(args[0]): \(err)")
            XCTAssertEqual(out, "")
            XCTAssertTrue(err.contains("needs a CPU with AVX512_VNNI"), "\(args[0]): \(err)")
        }
        // fp32 and bf16 are unaffected by the switch.
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        for precision in ["fp32"] + (cpu.contains(" avx512_bf16") ? ["bf16"] : []) {
            let (code, _, err) = try runDocket(["classify", "--model", model, "--precision", precision], stdin: "x\n", environment: off)
            XCTAssertEqual(code, 0, "\(precision): \(err)")
        }
    }
}
