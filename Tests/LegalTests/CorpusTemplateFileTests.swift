// The corpus templates are data (Corpora/templates/*.json) embedded at build time by the
// CorpusTemplates plugin: the embedded copy must be exactly the files in the repository, and a
// broken file must give an error naming the file and the key, never a crash or an empty pool.
import Foundation
@testable import Legal
import TestSupport
import XCTest

final class CorpusTemplateFileTests: XCTestCase {
    private let directory = repositoryRoot.appendingPathComponent("Corpora/templates")

    private func files() throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: directory.appendingPathComponent($0))) })
    }

    func testEmbeddedTemplatesAreTheRepositoryFiles() throws {
        let onDisk = try files()
        let embedded = Dictionary(uniqueKeysWithValues: embeddedCorpusTemplates.map { ($0.file, Data(($0.json + "\n").utf8)) })
        XCTAssertEqual(Set(embedded.keys), Set(onDisk.keys))
        for (name, data) in onDisk { XCTAssertTrue(embedded[name] == data, "\(name): embedded copy differs (rebuild)") }
        XCTAssertNoThrow(try CorpusText.decode(onDisk))
    }

    func testBrokenTemplateFilesAreNamedInTheError() throws {
        let good = try files()
        func problem(_ file: String, _ edit: (String) -> String) -> String {
            var broken = good
            broken[file] = Data(edit(String(decoding: good[file] ?? Data(), as: UTF8.self)).utf8)
            do { _ = try CorpusText.decode(broken); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(problem("patent.json") { $0.replacingOccurrences(of: "\"wherein\"", with: "\"where_in\"") }
            .hasPrefix("corpus templates patent.json: wherein: missing"))
        let empty = problem("vocabulary.json") { s in
            s.replacingOccurrences(of: #""months": \[[^\]]*\]"#, with: #""months": []"#, options: .regularExpression)
        }
        XCTAssertEqual(empty, "corpus templates vocabulary.json: months: empty list")
        XCTAssertTrue(problem("litigation.json") { _ in "{\"caption\": " }.hasPrefix("corpus templates litigation.json: not valid JSON"))
        XCTAssertEqual(problem("cross-references.json") { $0.replacingOccurrences(of: "\"Patent\"", with: "\"Patents\"") },
                       "corpus templates cross-references.json: no entry for class Patent")
        var missing = good
        missing["ambiguous.json"] = nil
        XCTAssertThrowsError(try CorpusText.decode(missing)) { XCTAssertEqual("\($0)", "corpus templates ambiguous.json: missing") }
    }
}
