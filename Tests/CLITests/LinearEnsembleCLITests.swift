// `docket train-linear` and `docket ensemble` end to end: a linear model and an ensemble of the
// committed tiny BERT with it, each one model directory that evaluate (with calibration and
// auto routing on the pooled probabilities) and classify load.
import Foundation
import TestSupport
import XCTest

final class LinearEnsembleCLITests: XCTestCase {
    private var scratch: ScratchDirectory!
    private let tinyBERT = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path
    private let texts = tinyLegalTexts

    override func setUpWithError() throws { scratch = try ScratchDirectory(prefix: "cli-linear") }
    override func tearDownWithError() throws { scratch?.remove() }

    func testTrainLinearEnsembleEvaluateAndClassify() throws {
        let data = try scratch.write("train.jsonl", texts.map { "{\"text\": \"\($0.1)\", \"label\": \"\($0.0)\"}\n" }.joined())
        let linear = scratch.url.appendingPathComponent("linear").path, ensemble = scratch.url.appendingPathComponent("ensemble").path
        let (c1, s1, e1) = try runDocket(["train-linear", "--train", data, "--dev", data, "--output", linear, "--c", "1,10", "--folds", "3"])
        XCTAssertEqual(c1, 0, e1)
        XCTAssertTrue(s1.contains("by 3-fold cross-validation") && s1.contains("dev: accuracy 1.0000"), s1)
        XCTAssertTrue(e1.contains("C = 1: cross-validated accuracy"), e1)

        let (c2, s2, e2) = try runDocket(["ensemble", "--member", tinyBERT, "--member", linear, "--dev", data, "--output", ensemble])
        XCTAssertEqual(c2, 0, e2)
        XCTAssertTrue(s2.contains("member member-0-encoder") && s2.contains("member member-1-linear") && s2.contains("cross-fitted"), s2)
        let config = try String(contentsOf: URL(fileURLWithPath: ensemble + "/ensemble.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("\"member-1-linear\"") && config.contains("balanced_nll"), config)

        let (c3, s3, e3) = try runDocket(["evaluate", "--model", ensemble, "--test", data, "--calibrate", data,
                                          "--threshold", "auto", "--baseline", data, "--json"])
        XCTAssertEqual(c3, 0, e3)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s3.utf8)) as? [String: Any])
        let metrics = try XCTUnwrap(doc["metrics"] as? [String: Any])
        XCTAssertEqual((metrics["accuracy"] as? NSNumber)?.doubleValue, 1, "the linear member fits its training texts")
        let baseline = try XCTUnwrap(doc["baseline"] as? [String: Any])
        XCTAssertEqual(baseline["macro_f1"] as? Double, 1)
        XCTAssertNotNil(doc["calibration"])

        let input = try scratch.write("in.jsonl", "{\"text\": \"The patent claims a charging device.\"}\n{\"text\": \"The licensee shall pay.\"}\n")
        for model in [linear, ensemble] {
            let (c4, s4, e4) = try runDocket(["classify", "--model", model, "--input", input])
            XCTAssertEqual(c4, 0, e4)
            let lines = s4.split(separator: "\n")
            XCTAssertEqual(lines.count, 2, s4)
            XCTAssertTrue(lines[0].contains("\"label\":\"Patent\"") && lines[1].contains("\"label\":\"Contract\""), s4)
        }
        let (c5, _, e5) = try runDocket(["ensemble", "--member", linear, "--dev", data, "--output", ensemble])
        XCTAssertEqual(c5, 64, "one member is a usage error")
        XCTAssertTrue(e5.contains("2 to 16"), e5)
        let (c6, _, e6) = try runDocket(["ensemble", "--member", linear, "--member", ensemble, "--weights", "1,1", "--output", ensemble + "2"])
        XCTAssertEqual(c6, 1)
        XCTAssertTrue(e6.contains("an ensemble cannot be a member"), e6)
    }
}
