// Issue #13 defect 5: one error convention for library users. This file imports only Docket:
// every error type a Docket call can throw is nameable from it, each is a LocalizedError whose
// localizedDescription is its message (not "The operation could not be completed. (… error
// 5.)"), and file-system failures name the file and a plain cause, never NSCocoaErrorDomain.
import Docket
import DocketBase
import Foundation
import XCTest

final class ErrorConventionTests: XCTestCase {
    func testEveryErrorTypeIsReachableAndDescribed() {
        let errors: [any Error & CustomStringConvertible] = [
            EncoderError.io(file: "m/config.json", reason: "no such file"),
            TokenizerError.unreadable(path: "m/vocab.txt", reason: "permission denied"),
            SafeTensorsError.io(file: "m/model.safetensors", message: "not a regular file"),
            TrainingError.data(file: "train.jsonl", line: 4, message: "empty text"),
            MetricsError.lengthMismatch(gold: 3, predicted: 2),
            KernelsError.unknownParameter("encoder.layer.9.weight"),
            DocumentError.missingText(file: "docs.jsonl", line: 2),
            ClassifierError.invalidArgument("top-k must be at least 1"),
            CalibrationError.empty,
            CheckpointMetadataError.invalidField(file: "m/docket.json", field: "max_length", detail: "is out of range"),
            FineTuneOutputError.notEmpty(directory: "out", resumable: false),
        ]
        let parseErrorType: any LocalizedError.Type = JSONParseError.self  // nameable and described too
        XCTAssertEqual("\(parseErrorType)", "JSONParseError")
        for error in errors {
            XCTAssertEqual(error.localizedDescription, error.description, "\(type(of: error))")
            XCTAssertFalse(error.localizedDescription.contains("could not be completed"), "\(type(of: error))")
        }
    }

    func testAFileGivenAsModelDirectoryNamesItWithoutFoundationInternals() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ErrorConventionTests.swift")
        XCTAssertThrowsError(try TextClassifier(directory: readme)) { error in
            guard let e = error as? EncoderError else { return XCTFail("\(type(of: error)): \(error)") }
            let message = e.localizedDescription
            XCTAssertTrue(message.contains("ErrorConventionTests.swift") && message.contains("not a checkpoint directory"), message)
            XCTAssertFalse(message.contains("NSCocoaErrorDomain"), message)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("config.json"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try TextClassifier(directory: dir)) { error in
            let message = error.localizedDescription
            XCTAssertTrue(message.contains("config.json") && message.contains("is a directory"), message)
            XCTAssertFalse(message.contains("NSCocoaErrorDomain"), message)
        }
    }

    func testFailedWritesNameTheFileAndCause() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("errors-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        let metadata = CheckpointMetadata(maxLength: 8)
        XCTAssertThrowsError(try metadata.write(to: blocker.appendingPathComponent("checkpoint"))) { error in
            let message = error.localizedDescription
            XCTAssertTrue(message.contains(blocker.path) && message.contains("is a file, not a directory"), message)
            XCTAssertFalse(message.contains("NSCocoaErrorDomain"), message)
        }
    }
}
