// End-to-end runs of the built `docket` binary for `evaluate` and `corpus`: the --json
// document parsed and checked against the savings arithmetic, the text report, the HTML
// report, CSV and class-folder test sets, and exit codes / messages for bad arguments and files.
import Foundation
import TestSupport
import XCTest

final class EvaluateCorpusCLITests: XCTestCase {
    private var dir: URL!
    /// A 3-class tiny BERT (Contract, Litigation, Patent; max 64 positions) committed by the io engineer.
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    private var scratch: ScratchDirectory!

    override func setUpWithError() throws {
        scratch = try ScratchDirectory(prefix: "cli-legal")
        dir = scratch.url
    }

    override func tearDownWithError() throws { scratch?.remove() }

    private func write(_ name: String, _ text: String) throws -> String { try scratch.write(name, text) }

    private let texts = tinyLegalTexts

    private func jsonl() -> String {
        texts.map { "{\"text\": \"\($0.1)\", \"label\": \"\($0.0)\"}\n" }.joined()
    }

    func testEvaluateJSONHoldsEveryFigure() throws {
        let test = try write("test.jsonl", jsonl()), dev = try write("dev.jsonl", jsonl())
        let report = dir.appendingPathComponent("report").path
        let predictions = dir.appendingPathComponent("predictions.jsonl").path
        let (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", test, "--calibrate", dev, "--json",
                                              "--report", report, "--threshold", "0.5", "--hourly-rate", "200", "--max-length", "64",
                                              "--predictions", predictions])
        XCTAssertEqual(code, 0, err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "stdout is one JSON document")
        let inputs = try XCTUnwrap(doc["inputs"] as? [String: Any])
        XCTAssertEqual(inputs["threshold"] as? String, "0.5")
        XCTAssertEqual(inputs["calibration_set"] as? String, dev)
        let params = try XCTUnwrap(doc["parameters"] as? [String: Any])
        XCTAssertEqual((params["hourly_rate"] as? NSNumber)?.doubleValue, 200)
        XCTAssertEqual(doc["labels"] as? [String], ["Contract", "Litigation", "Patent"])
        let metrics = try XCTUnwrap(doc["metrics"] as? [String: Any])
        let accuracy = try XCTUnwrap((metrics["accuracy"] as? NSNumber)?.doubleValue)
        let counts = try XCTUnwrap((metrics["confusion"] as? [String: Any])?["counts"] as? [[Int]])
        XCTAssertEqual(counts.joined().reduce(0, +), 9)
        XCTAssertEqual(accuracy, Double((0..<3).map { counts[$0][$0] }.reduce(0, +)) / 9, accuracy: 1e-12)
        let savings = try XCTUnwrap(doc["savings"] as? [String: Any])
        let net = try XCTUnwrap(((savings["default_model"] as? [String: Any])?["net_monthly_savings"] as? NSNumber)?.doubleValue)
        XCTAssertEqual(net, 1000 * 0.49 * 200 - 1000 * (1 - accuracy) * 500, accuracy: 1e-6, "§9 with --hourly-rate 200")
        XCTAssertEqual(((savings["routed"] as? [String: Any])?["threshold"] as? NSNumber)?.doubleValue, 0.5)
        XCTAssertNotNil((doc["calibration"] as? [String: Any])?["temperature"])
        XCTAssertTrue(err.contains("report.html"), err)
        let html = try String(contentsOfFile: report + "/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"))
        // --predictions: one line per test document, gold labels in file order, confusion consistent.
        let rows = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
            .map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(rows.map { $0["label"] as? String }, texts.map(\.0))
        XCTAssertEqual(rows.map { $0["line"] as? Int }, Array(1...9))
        let labels = ["Contract", "Litigation", "Patent"]
        var fromRows = [[Int]](repeating: [0, 0, 0], count: 3)
        for r in rows {
            let g = labels.firstIndex(of: r["label"] as? String ?? "") ?? -1, p = labels.firstIndex(of: r["predicted"] as? String ?? "") ?? -1
            fromRows[g][p] += 1
        }
        XCTAssertEqual(fromRows, counts)
    }

    func testEvaluateTextReportOnCSVAndClassFolders() throws {
        let csv = try write("test.csv", "text,label\n" + texts.map { "\"\($0.1)\",\($0.0)\n" }.joined())
        for (i, (label, text)) in texts.enumerated() { _ = try write("folders/\(label)/doc\(i).txt", text) }
        for input in [csv, dir.appendingPathComponent("folders").path] {
            let (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", input, "--max-length", "64"])
            XCTAssertEqual(code, 0, err)
            for needle in ["(9 documents)", "Accuracy", "precision", "Confusion matrix", "Savings report", "net monthly savings",
                           "payback (months)", "the best threshold on the test set, known only in hindsight"] {
                XCTAssertTrue(out.contains(needle), "missing \(needle) in\n\(out)")
            }
            XCTAssertEqual(err, "", "nothing on stderr in a pipe")
        }
    }

    func testDefaultFlagsReduceToTheDefaultModel() throws {
        // No savings flags: threshold 0 (nothing routed) and uniform $500 → all three columns are §9.
        let test = try write("test.jsonl", jsonl())
        let (code, out, err) = try runDocket(["evaluate", "--model", model, "--test", test, "--max-length", "64", "--json"])
        XCTAssertEqual(code, 0, err)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        XCTAssertEqual((doc["inputs"] as? [String: Any])?["threshold"] as? String, "0")
        let savings = try XCTUnwrap(doc["savings"] as? [String: Any])
        XCTAssertEqual(savings["threshold_source"] as? String, "fixed")
        let nets = ["default_model", "per_class", "routed"].map { ((savings[$0] as? [String: Any])?["net_monthly_savings"] as? NSNumber)?.doubleValue }
        let net = try XCTUnwrap(nets[0])
        // Same figure by two summation orders (confusion-matrix rates vs 1 − accuracy): 1e-6 $.
        XCTAssertEqual(try XCTUnwrap(nets[1]), net, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(nets[2]), net, accuracy: 1e-6)
    }

    func testEvaluateRejectsBadArguments() throws {
        let test = try write("test.jsonl", jsonl())
        let cases: [([String], String)] = [
            (["--threshold", "2"], "--threshold must be a number in [0, 1]"),
            (["--batch-size", "0"], "--batch-size must be in 1...65536, got 0"),
            (["--long-documents", "split"], "--long-documents must be truncate or chunk"),
            (["--hourly-rate=-5"], "invalid hourly rate"),
            (["--stride", "8"], "--stride needs --long-documents chunk"),
        ]
        for (extra, message) in cases {
            let (code, _, err) = try runDocket(["evaluate", "--model", model, "--test", test] + extra)
            XCTAssertEqual(code, 64, "\(extra): \(err)")
            XCTAssertTrue(err.contains(message), "\(extra): \(err)")
        }
        let (code, _, err) = try runDocket(["evaluate", "--model", model])
        XCTAssertEqual(code, 64)
        XCTAssertTrue(err.contains("--test"), err)
    }

    func testEvaluateReportsBadFilesWithFileAndLine() throws {
        let unknown = try write("unknown.jsonl", jsonl() + "{\"text\": \"Board minutes\", \"label\": \"Corporate\"}\n")
        let malformed = try write("malformed.jsonl", "{\"text\": \"ok\", \"label\": \"Patent\"}\n{\"text\": oops}\n")
        let badCosts = try write("costs.json", "{\"costs\": [[0, 1], [1, 0]]}")
        let test = try write("test.jsonl", jsonl())
        let cases: [([String], [String])] = [
            (["--test", unknown], ["unknown.jsonl:10", "Corporate"]),
            (["--test", malformed], ["malformed.jsonl:2"]),
            (["--test", test, "--cost-matrix", badCosts], ["costs.json", "2 classes, but the model has 3"]),
            (["--test", dir.appendingPathComponent("missing.jsonl").path], ["missing.jsonl"]),
        ]
        for (args, needles) in cases {
            let (code, out, err) = try runDocket(["evaluate", "--model", model, "--max-length", "64"] + args)
            XCTAssertEqual(code, 1, "\(args): \(err)")
            XCTAssertEqual(out, "", "nothing on stdout on failure")
            for n in needles { XCTAssertTrue(err.contains(n), "\(args): expected '\(n)' in \(err)") }
        }
        let (code, _, err) = try runDocket(["evaluate", "--model", dir.appendingPathComponent("no-model").path, "--test", test])
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("no-model"), err)
    }

    func testCorpusGenerateReproducesTheCommittedCorpusAndBaselineRuns() throws {
        let out = dir.appendingPathComponent("corpus")
        let (code, stdout, err) = try runDocket(["corpus", "generate", "--seed", "42", "--output", out.path])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(stdout.contains("train: 2000 documents (Contract 400, Patent 400, Litigation 400, Compliance 400, Corporate 400)"), stdout)
        for split in ["train", "dev", "test"] {
            let made = try Data(contentsOf: out.appendingPathComponent("\(split).jsonl"))
            let committed = try Data(contentsOf: repositoryRoot.appendingPathComponent("Corpora/\(split).jsonl"))
            XCTAssertTrue(made == committed, "\(split).jsonl differs from Corpora/")
        }
        let (c2, s2, e2) = try runDocket(["corpus", "generate", "--kind", "template", "--output", out.path])
        XCTAssertEqual(c2, 0, e2)
        XCTAssertTrue(s2.contains("train: 640 documents"), s2)
        let (c3, s3, e3) = try runDocket(["corpus", "baseline", "--train", out.appendingPathComponent("train.jsonl").path,
                                          "--test", out.appendingPathComponent("test.jsonl").path, "--json"])
        XCTAssertEqual(c3, 0, e3)
        let score = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s3.utf8)) as? [String: Any])
        XCTAssertEqual(score["total"] as? Int, 80)
        XCTAssertGreaterThan((score["accuracy"] as? NSNumber)?.doubleValue ?? 0, 0.95, "template corpus is keyword-separable")
        let (c4, _, e4) = try runDocket(["corpus", "generate", "--kind", "fancy"])
        XCTAssertEqual(c4, 64)
        XCTAssertTrue(e4.contains("fancy"), e4)
        let blocker = try write("plain-file", "not a directory")
        let (c5, _, e5) = try runDocket(["corpus", "generate", "--output", blocker + "/corpus"])
        XCTAssertEqual(c5, 1)
        XCTAssertTrue(e5.contains("plain-file/corpus: cannot create the directory"), e5)
    }
}
