// Every error path answers its status and a JSON body {"error", "error_type"}, and none of
// them disturbs a request that is waiting in the queue meanwhile.
@testable import DocketServer
import Foundation
import Logging
import TestSupport
import XCTest

final class ServerErrorTests: XCTestCase {
    private func assertError(_ r: Reply, _ status: Int, _ type: String, _ fragment: String = "",
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.body, file: file, line: line)
        XCTAssertEqual(r.object["error_type"] as? String, type, r.body, file: file, line: line)
        let message = r.object["error"] as? String ?? ""
        XCTAssertFalse(message.isEmpty, file: file, line: line)
        XCTAssertTrue(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", file: file, line: line)
        XCTAssertEqual(r.object.count, 2, r.body, file: file, line: line)
    }

    func testBadRequestsAnswerTheirStatusAndNeverDisturbAWaitingRequest() async throws {
        let server = try await RunningServer {
            $0.maxClientBatchSize = 4; $0.maxBodyBytes = 4_096
        }
        let url = server.url
        // A valid request waits in the queue while the bad ones arrive.
        server.setPaused(true)
        let waiting = Task { try await post("\(url)/predict", "{\"inputs\":\"the court granted the motion\"}") }
        try await Task.sleep(for: .milliseconds(200))

        let cases: [(String, [UInt8], Int, String, String)] = [
            ("/predict", Array("{\"inputs\": [\"a\",".utf8), 400, "invalid_json", "malformed JSON"),
            ("/predict", [0x7B, 0x22, 0x69, 0x6E, 0x70, 0x75, 0x74, 0x73, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D], 400, "invalid_utf8", "UTF-8"),
            ("/predict", Array("[\"not an object\"]".utf8), 422, "validation", "JSON object"),
            ("/predict", Array("{\"text\":\"x\"}".utf8), 422, "validation", "inputs"),
            ("/predict", Array("{\"inputs\":42}".utf8), 422, "validation", "inputs"),
            ("/predict", Array("{\"inputs\":[\"a\",\"b\",\"c\"]}".utf8), 422, "validation", "3 items"),
            ("/predict", Array("{\"inputs\":\"x\",\"truncate\":\"yes\"}".utf8), 422, "validation", "truncate"),
            ("/predict", Array("{\"inputs\":\"x\",\"inputs\":\"y\"}".utf8), 422, "validation", "twice"),
            ("/predict", Array("{\"inputs\":[]}".utf8), 400, "empty", "empty"),
            ("/predict", Array("{\"inputs\":\"   \"}".utf8), 400, "empty", "empty"),
            ("/predict", Array("{\"inputs\":[[\"a\"],[\"b\"],[\"c\"],[\"d\"],[\"e\"]]}".utf8), 413, "validation", "batch size 5"),
            ("/predict", Array(("{\"inputs\":\"" + String(repeating: "the court ", count: 40) + "\"}").utf8), 413, "validation", "truncate"),
            ("/predict", Array(("{\"inputs\":\"" + String(repeating: "a", count: 5_000) + "\"}").utf8), 413, "payload_too_large", "4096"),
            ("/v1/classify", Array("{\"documents\":[{\"id\":1}]}".utf8), 422, "validation", "documents[0]"),
            ("/v1/classify", Array("{\"documents\":[{\"text\":7}]}".utf8), 422, "validation", "documents[0].text"),
            ("/v1/classify", Array("{\"documents\":[{\"text\":\"\"}]}".utf8), 400, "empty", "documents[0].text"),
            ("/v1/classify", Array("{\"documents\":[]}".utf8), 400, "empty", "documents"),
            ("/v1/classify", Array("{\"documents\":[{\"text\":\"a\"}],\"top_k\":0}".utf8), 422, "validation", "top_k"),
            ("/feedback", Array("{\"feedback\":[{\"id\":\"x\",\"label\":\"Unknown\"}]}".utf8), 422, "validation", "not a label"),
            ("/feedback", Array("{\"feedback\":[{\"label\":\"Patent\"}]}".utf8), 422, "validation", "predicted"),
            ("/models/nope/predict", Array("{\"inputs\":\"x\"}".utf8), 404, "not_found", "nope"),
            ("/no/such/route", Array("{}".utf8), 404, "not_found", "/no/such/route"),
        ]
        for (path, body, status, type, fragment) in cases {
            let r = try await exchange(.POST, "\(url)\(path)", body: body)
            assertError(r, status, type, fragment)
        }
        // The waiting request was not disturbed.
        server.setPaused(false)
        let ok = try await waiting.value
        XCTAssertEqual(ok.status, 200, ok.body)
        XCTAssertEqual((ok.json as? [[String: Any]])?.count, 3)
        // An over-long input is truncated when asked.
        let long = try await post("\(url)/predict", "{\"inputs\":\"" + String(repeating: "the court ", count: 40) + "\",\"truncate\":true}")
        XCTAssertEqual(long.status, 200, long.body)
        await server.stop()
    }

    /// Past --max-concurrent-requests: 429; the admitted requests still complete.
    func testOverloadAnswers429() async throws {
        let server = try await RunningServer { $0.maxConcurrentRequests = 2 }
        let url = server.url
        server.setPaused(true)
        let admitted = (0..<2).map { i in Task { try await post("\(url)/predict", "{\"inputs\":\"party \(i)\"}") } }
        try await Task.sleep(for: .milliseconds(300))
        let rejected = try await post("\(url)/predict", "{\"inputs\":\"the court\"}")
        assertError(rejected, 429, "overloaded", "--max-concurrent-requests")
        server.setPaused(false)
        for t in admitted { let r = try await t.value; XCTAssertEqual(r.status, 200, r.body) }
        let metrics = try await get("\(url)/metrics")
        XCTAssertTrue(metrics.body.contains("docket_http_requests_total{route=\"/predict\",status=\"429\"} 1"), metrics.body)
        await server.stop()
    }

    /// A request still queued after --request-timeout: 504; the server keeps working.
    func testRequestTimeoutAnswers504() async throws {
        let server = try await RunningServer { $0.requestTimeout = 0.3 }
        server.setPaused(true)
        let r = try await post("\(server.url)/v1/classify", "{\"documents\":[{\"text\":\"the court\"}]}")
        assertError(r, 504, "timeout", "--request-timeout")
        server.setPaused(false)
        let ok = try await post("\(server.url)/v1/classify", "{\"documents\":[{\"text\":\"the court\"}]}")
        XCTAssertEqual(ok.status, 200, ok.body)
        await server.stop()
    }

    func testWrongMethodIsAJSON404() async throws {
        let server = try await RunningServer()
        let r = try await get("\(server.url)/predict")
        assertError(r, 404, "not_found", "GET /predict")
        await server.stop()
    }

    /// Settings out of range and duplicate model names stop the server before it listens.
    func testConfigurationErrorsNameTheFlag() throws {
        var o = ServerOptions()
        o.maxBatchTokens = 0
        XCTAssertThrowsError(try o.validate()) { XCTAssertTrue("\($0)".contains("--max-batch-tokens"), "\($0)") }
        let spec = ModelSpec(name: "a", directory: tinyModel.path)
        XCTAssertThrowsError(try DocketHTTPServer(models: [spec, spec], classifierOptions: { _ in .init() }, topK: nil,
                                                  options: ServerOptions(), logger: .init(label: "test"))) {
            XCTAssertTrue("\($0)".contains("two models are named \"a\""), "\($0)")
        }
        let (status, _, err) = try runDocket(["serve", "--model", tinyModel.path, "--port", "70000"])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(err.contains("--port must be in 0...65535"), err)
    }
}
