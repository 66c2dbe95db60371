// Issue #13 defects 5 and 6 through the built binary: one "Error: " prefix for every command,
// files named without Foundation internals, "did you mean" for mistyped flags and commands,
// negative numbers taken as values, Hugging Face Trainer spellings accepted as aliases.
import Foundation
import TestSupport
import XCTest

final class ErrorsAndTyposCLITests: XCTestCase {
    private let model = fixturesDirectory.appendingPathComponent("classifier/tiny-bert-classifier").path

    func testOnePrefixAndNoFoundationInternals() throws {
        let readme = repositoryRoot.appendingPathComponent("README.md").path
        for args in [["classify", "--model", readme], ["evaluate", "--model", readme, "--test", readme], ["inspect", readme],
                     ["corpus", "baseline", "--train", "/nonexistent/train.jsonl", "--test", "/nonexistent/test.jsonl"]] {
            let (code, _, err) = try runDocket(args)
            XCTAssertEqual(code, 1, "\(args)")
            XCTAssertTrue(err.hasPrefix("Error: "), "\(args): \(err)")
            XCTAssertFalse(err.contains("docket \(args[0]):") || err.contains("NSCocoaErrorDomain") || err.contains("could not be completed"),
                           "\(args): \(err)")
            XCTAssertTrue(err.contains("README.md") || err.contains("/nonexistent/"), "names the file: \(err)")
        }
    }

    func testTyposGetSuggestions() throws {
        var (code, _, err) = try runDocket(["classify", "--modle", model])
        XCTAssertEqual(code, 64)
        XCTAssertTrue(err.hasPrefix("Error: unknown option '--modle'; did you mean '--model'?"), err)
        (code, _, err) = try runDocket(["clasify", "--model", model])
        XCTAssertEqual(code, 64)
        XCTAssertTrue(err.hasPrefix("Error: unknown command 'clasify'; did you mean 'classify'?"), err)
        (code, _, err) = try runDocket(["bench", "kernel"])
        XCTAssertTrue(err.hasPrefix("Error: unknown command 'kernel'; did you mean 'kernels'?"), err)
    }

    func testNegativeNumbersAreValuesThatValidationJudges() throws {
        var (code, _, err) = try runDocket(["finetune", "--model", model, "--train", "t.jsonl", "--output", "o", "--learning-rate", "-1"])
        XCTAssertEqual(code, 64)
        XCTAssertTrue(err.contains("--learning-rate must be positive"), err)
        XCTAssertFalse(err.contains("Missing value"), err)
        (code, _, err) = try runDocket(["classify", "--model", model, "--top-k", "-2"])
        XCTAssertTrue(err.contains("--top-k must be in 1...100000, got -2"), err)
    }

    func testHuggingFaceSpellingsAreAliases() throws {
        let scratch = try ScratchDirectory(prefix: "cli-hf-aliases")
        defer { scratch.remove() }
        var train = ""
        for i in 0..<8 { train += "{\"text\":\"\(i % 2 == 0 ? "plaintiff motion" : "patent claim")\",\"label\":\"\(i % 2 == 0 ? "Litigation" : "Patent")\"}\n" }
        let data = try scratch.write("train.jsonl", train)
        let output = scratch.url.appendingPathComponent("model").path
        let (code, out, err) = try runDocket(["finetune", "--model_name_or_path", model, "--train_file", data, "--output-dir", output,
                                             "--num-train-epochs", "1", "--per-device-train-batch-size", "4", "--max-grad-norm", "0.5",
                                             "--lr-scheduler-type", "constant", "--learning_rate", "1e-4", "--max_seq_length", "16",
                                             "--weight-decay", "0", "--warmup-ratio", "0", "--seed", "7"])
        XCTAssertEqual(code, 0, err)
        XCTAssertTrue(out.contains("trained 2 steps (1 epoch)"), out)
    }
}
