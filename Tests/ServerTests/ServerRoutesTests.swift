// The real server over HTTP: /v1/classify equals `docket classify`, /predict has TEI's shapes,
// 64 concurrent clients each get their own answers, routing by model name, /info, /health.
import Docket
@testable import DocketServer
import DocketBase
import Foundation
import TestSupport
import XCTest

final class ServerRoutesTests: XCTestCase {
    /// Same documents through `docket classify --top-k 2` and POST /v1/classify: the same JSON lines.
    func testClassifyEqualsDocketClassifyOutput() async throws {
        let scratch = try ScratchDirectory(prefix: "serve-classify")
        defer { scratch.remove() }
        let texts = sampleTexts(40)
        let docs = texts.enumerated().map { i, t in "{\"id\":\"d\(i)\",\"text\":\(q(t)),\"source\":{\"n\":\(i)}}" }
        let input = try scratch.write("docs.jsonl", docs.joined(separator: "\n") + "\n")
        let (status, stdout, stderr) = try runDocket(["classify", "--model", tinyModel.path, "--input", input, "--top-k", "2"])
        XCTAssertEqual(status, 0, stderr)
        let expected = stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, 40)

        let server = try await RunningServer { $0.maxClientBatchSize = 64 }
        let reply = try await post("\(server.url)/v1/classify", "{\"documents\":[\(docs.joined(separator: ","))],\"top_k\":2}")
        await server.stop()
        XCTAssertEqual(reply.status, 200, reply.body)
        // The response wraps the lines: {"model": ..., "predictions": [line, line, ...]}. Same keys
        // in the same order, same ids, copied fields, labels and top-k labels; numbers equal up
        // to float rounding (the server's forwards run on another thread, where the BLAS split
        // of a GEMM can differ in the last bits).
        let prefix = "{\"model\":\"tiny\",\"predictions\":["
        XCTAssertTrue(reply.body.hasPrefix(prefix))
        let got = try XCTUnwrap(reply.object["predictions"] as? [[String: Any]])
        XCTAssertEqual(got.count, expected.count)
        for (line, (g, e)) in zip(got, jsonLines(expected.joined(separator: "\n"))).enumerated() {
            assertSameJSON(g, e, "document \(line)")
        }
        XCTAssertEqual(try serverKeyOrders(reply.body), try expected.map(keyOrder), "key order")
        XCTAssertEqual(reply.headers.first { $0.0.lowercased() == "content-type" }?.1, "application/json")
    }

    /// TEI shapes: a string → [{score, label}] over every label, best first, summing to 1; a pair;
    /// a batch → a list of lists; raw_scores → the logits.
    func testPredictHasTEIShapes() async throws {
        let server = try await RunningServer()
        let classifier = try TextClassifier(directory: tinyModel)
        let texts = sampleTexts(3)
        let expected = try classifier.classify(texts)

        let single = try await post("\(server.url)/predict", "{\"inputs\":\(q(texts[0]))}")
        XCTAssertEqual(single.status, 200, single.body)
        let list = try XCTUnwrap(single.json as? [[String: Any]])
        XCTAssertEqual(list.map { $0["label"] as? String }, rankedLabels(expected[0].probabilities))
        let scores = list.compactMap { $0["score"] as? Double }
        XCTAssertEqual(scores, scores.sorted(by: >))
        XCTAssertEqual(scores.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(scores[0], Double(expected[0].score), accuracy: 1e-6)

        let batch = try await post("\(server.url)/predict", "{\"inputs\":[[\(q(texts[1]))],[\(q(texts[2]))]]}")
        let lists = try XCTUnwrap(batch.json as? [[[String: Any]]], batch.body)
        XCTAssertEqual(lists.count, 2)
        for (l, e) in zip(lists, expected[1...]) {
            XCTAssertEqual(l.first?["label"] as? String, e.label)
            XCTAssertEqual(l.first?["score"] as? Double ?? 0, Double(e.score), accuracy: 1e-6)
        }

        let raw = try await post("\(server.url)/predict", "{\"inputs\":\(q(texts[0])),\"raw_scores\":true}")
        let rawList = try XCTUnwrap(raw.json as? [[String: Any]])
        let logits = Dictionary(uniqueKeysWithValues: rawList.map { ($0["label"] as! String, $0["score"] as! Double) })
        for (i, label) in classifier.labels.enumerated() {
            XCTAssertEqual(logits[label] ?? .nan, Double(expected[0].logits[i]), accuracy: 1e-5)
        }

        let pairExpected = try classifier.classify(texts[0], pair: texts[1])
        let pair = try await post("\(server.url)/predict", "{\"inputs\":[\(q(texts[0])),\(q(texts[1]))]}")
        let pairList = try XCTUnwrap(pair.json as? [[String: Any]], pair.body)
        XCTAssertEqual(pairList.first?["label"] as? String, pairExpected.label)
        XCTAssertEqual(pairList.first?["score"] as? Double ?? 0, Double(pairExpected.score), accuracy: 1e-6)
        await server.stop()
    }

    /// 64 clients at once, two documents each with their own ids: each gets its own answers.
    func testSixtyFourConcurrentClientsGetTheirOwnAnswers() async throws {
        try await assertSixtyFourClientsGetTheirOwnAnswers(workers: 1)
    }

    /// The same with two forward workers: each take leaves work for the other, and their
    /// forwards share the cores; answers stay each client's own and equal to `classify`'s.
    func testTwoWorkersGiveEveryClientItsOwnAnswers() async throws {
        try await assertSixtyFourClientsGetTheirOwnAnswers(workers: 2)
    }

    private func assertSixtyFourClientsGetTheirOwnAnswers(workers: Int) async throws {
        let server = try await RunningServer { $0.workers = workers }
        let texts = sampleTexts(128)
        let expected = try TextClassifier(directory: tinyModel).classify(texts)
        let url = server.url
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for c in 0..<64 {
                group.addTask {
                    let docs = (0..<2).map { j in "{\"id\":\"c\(c)-\(j)\",\"text\":\(q(texts[c * 2 + j]))}" }
                    let r = try await post("\(url)/v1/classify", "{\"documents\":[\(docs.joined(separator: ","))]}")
                    guard r.status == 200, let preds = r.object["predictions"] as? [[String: Any]], preds.count == 2 else {
                        return ["client \(c): \(r.status) \(r.body)"]
                    }
                    var problems: [String] = []
                    for (j, p) in preds.enumerated() {
                        let e = expected[c * 2 + j]
                        if p["id"] as? String != "c\(c)-\(j)" { problems.append("client \(c) doc \(j): id \(p["id"] ?? "nil")") }
                        if p["label"] as? String != e.label { problems.append("client \(c) doc \(j): label \(p["label"] ?? "nil") != \(e.label)") }
                        if abs((p["score"] as? Double ?? -1) - Double(e.score)) > 1e-5 { problems.append("client \(c) doc \(j): score") }
                    }
                    return problems
                }
            }
            var all: [String] = []
            for try await p in group { all += p }
            return all
        }
        XCTAssertEqual(failures, [])
        let metrics = try await get("\(url)/metrics")
        XCTAssertTrue(metrics.body.contains("docket_http_requests_total{route=\"/v1/classify\",status=\"200\"} 64"), metrics.body)
        await server.stop()
    }

    /// Several --model NAME=DIR: /models/NAME/... routes; the first model also answers the plain routes.
    func testRoutesByModelName() async throws {
        let server = try await RunningServer(models: [ModelSpec(name: "a", directory: tinyModel.path),
                                                      ModelSpec(name: "b", directory: tinyModel.path)])
        let b = try await post("\(server.url)/models/b/predict", "{\"inputs\":\"the court\"}")
        XCTAssertEqual(b.status, 200, b.body)
        let info = try await get("\(server.url)/models/b/info")
        XCTAssertEqual(info.object["model_id"] as? String, "b")
        XCTAssertEqual(info.object["labels"] as? [String], ["Contract", "Litigation", "Patent"])
        XCTAssertEqual(info.object["max_input_length"] as? Int, 64)
        XCTAssertEqual(info.object["precision"] as? String, "fp32")
        XCTAssertEqual(info.object["version"] as? String, DocketVersion.current)
        let plain = try await get("\(server.url)/info")
        XCTAssertEqual(plain.object["model_id"] as? String, "a")
        let health = try await get("\(server.url)/health")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.object["models"] as? [String], ["a", "b"])
        let missing = try await post("\(server.url)/models/c/predict", "{\"inputs\":\"x\"}")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.object["error_type"] as? String, "not_found")
        let metrics = try await get("\(server.url)/metrics")
        XCTAssertTrue(metrics.body.contains("docket_documents_classified_total{model=\"b\""), metrics.body)
        await server.stop()
    }

    func testModelSpecParsing() {
        XCTAssertEqual(ModelSpec.parse("legal=/m/dir"), ModelSpec(name: "legal", directory: "/m/dir"))
        XCTAssertEqual(ModelSpec.parse("/m/dir"), ModelSpec(name: "dir", directory: "/m/dir"))
        XCTAssertEqual(ModelSpec.parse("./a=b/c"), ModelSpec(name: "c", directory: "./a=b/c"))
    }

    /// Equal JSON values, numbers within 1e-5.
    private func assertSameJSON(_ a: Any, _ b: Any, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            XCTAssertEqual(Set(x.keys), Set(y.keys), path, file: file, line: line)
            for (k, v) in x { if let w = y[k] { assertSameJSON(v, w, "\(path).\(k)", file: file, line: line) } }
        case let (x as [Any], y as [Any]):
            XCTAssertEqual(x.count, y.count, path, file: file, line: line)
            for (i, (v, w)) in zip(x, y).enumerated() { assertSameJSON(v, w, "\(path)[\(i)]", file: file, line: line) }
        case let (x as String, y as String): XCTAssertEqual(x, y, path, file: file, line: line)
        case let (x as NSNumber, y as NSNumber): XCTAssertEqual(x.doubleValue, y.doubleValue, accuracy: 1e-5, path, file: file, line: line)
        default: XCTFail("\(path): \(a) vs \(b)", file: file, line: line)
        }
    }

    /// The keys of a JSON object line, in order (the project's order-keeping parser).
    private func keyOrder(_ line: String) throws -> [String] {
        try Array(line.utf8).withUnsafeBytes { try JSONParser.members(of: $0) }.map(\.key)
    }

    /// The keys of each object in the server's "predictions", in order.
    private func serverKeyOrders(_ body: String) throws -> [[String]] {
        guard case let .object(top) = try Array(body.utf8).withUnsafeBytes({ try JSONParser.parse($0) }),
              case let .array(items)? = top.first(where: { $0.key == "predictions" })?.value else { return [] }
        return items.map { item in
            if case let .object(members) = item { return members.map(\.key) }
            return []
        }
    }

    private func rankedLabels(_ p: [String: Float]) -> [String?] {
        ["Contract", "Litigation", "Patent"].enumerated().sorted { (p[$0.1]!, -$0.0) > (p[$1.1]!, -$1.0) }.map { $0.1 }
    }
}
