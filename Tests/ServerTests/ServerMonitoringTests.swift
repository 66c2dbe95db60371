// Monitoring: PSI of the served predictions against docket.json's training distribution,
// confidence, feedback accuracy with its alert (gauge + report), the same report offline from
// `docket monitor`, and checkpoints that recorded nothing.
@testable import DocketServer
import Foundation
import TestSupport
import XCTest

final class ServerMonitoringTests: XCTestCase {
    /// A copy of the tiny fixture with a docket.json training record.
    private func modelWithRecord(_ scratch: ScratchDirectory) throws -> URL {
        let dir = scratch.url.appendingPathComponent("model")
        try FileManager.default.copyItem(at: tinyModel, to: dir)
        try #"{"train_label_counts": [{"label": "Contract", "count": 50}, {"label": "Litigation", "count": 30}, {"label": "Patent", "count": 20}], "eval_accuracy": 0.9}"#
            .write(to: dir.appendingPathComponent("docket.json"), atomically: true, encoding: .utf8)
        return dir
    }

    func testPSIConfidenceFeedbackAlertAndOfflineReport() async throws {
        let scratch = try ScratchDirectory(prefix: "serve-monitor")
        defer { scratch.remove() }
        let model = try modelWithRecord(scratch)
        let server = try await RunningServer(models: [ModelSpec(name: "m", directory: model.path)]) {
            $0.alertMinFeedback = 4; $0.routingThreshold = 0.5
        }
        let texts = sampleTexts(20)
        let docs = texts.enumerated().map { i, t in "{\"id\":\"d\(i)\",\"text\":\(q(t))}" }
        let r = try await post("\(server.url)/v1/classify", "{\"documents\":[\(docs.joined(separator: ","))]}")
        let preds = try XCTUnwrap(r.object["predictions"] as? [[String: Any]], r.body)
        let labels = preds.map { $0["label"] as! String }, scores = preds.map { $0["score"] as! Double }

        // Expected figures computed here from the predictions.
        let training = ["Contract": 0.5, "Litigation": 0.3, "Patent": 0.2]
        var psi = 0.0
        for l in ["Contract", "Litigation", "Patent"] {
            let p = max(Double(labels.filter { $0 == l }.count) / 20, 1e-4), t = training[l]!
            psi += (p - t) * log(p / t)
        }
        let report = try await get("\(server.url)/monitor").object
        XCTAssertEqual(report["predictions"] as? Int, 20)
        XCTAssertEqual(report["psi"] as? Double ?? -1, psi, accuracy: 1e-9)
        XCTAssertEqual(report["mean_confidence"] as? Double ?? -1, scores.reduce(0, +) / 20, accuracy: 1e-6)
        XCTAssertEqual(report["low_confidence_share"] as? Double ?? -1, Double(scores.filter { $0 < 0.5 }.count) / 20, accuracy: 1e-9)
        XCTAssertEqual(report["accuracy_alert"] as? Bool, false)

        // Gold labels that disagree with every prediction: accuracy 0 < 0.9 - 0.05 → alert.
        let wrong = preds.prefix(6).map { p -> String in
            let gold = p["label"] as! String == "Patent" ? "Contract" : "Patent"
            return "{\"id\":\(q(p["id"] as! String)),\"label\":\(q(gold))}"
        }
        let fb = try await post("\(server.url)/feedback", "{\"feedback\":[\(wrong.joined(separator: ",")),{\"id\":\"unknown\",\"label\":\"Patent\"}]}")
        XCTAssertEqual(fb.status, 200, fb.body)
        XCTAssertEqual(fb.object["accepted"] as? Int, 6)
        XCTAssertEqual(fb.object["unknown_ids"] as? [String], ["unknown"])
        XCTAssertEqual(fb.object["feedback_accuracy"] as? Double, 0)
        XCTAssertEqual(fb.object["accuracy_alert"] as? Bool, true)
        let metrics = try await get("\(server.url)/metrics").body
        XCTAssertTrue(metrics.contains("docket_monitor_accuracy_alert{model=\"m\"} 1"), metrics)
        XCTAssertTrue(metrics.contains("docket_monitor_psi{model=\"m\"}"), metrics)
        XCTAssertTrue(metrics.contains("docket_batch_size_bucket{model=\"m\""), metrics)
        XCTAssertTrue(metrics.contains("docket_queue_duration_seconds_bucket{model=\"m\""), metrics)
        // Correct feedback brings the rolling accuracy back up and the alert off.
        let right = preds.map { "{\"predicted\":\(q($0["label"] as! String)),\"label\":\(q($0["label"] as! String))}" }
        let fb2 = try await post("\(server.url)/feedback", "{\"feedback\":[\(right.joined(separator: ","))]}")
        XCTAssertEqual(fb2.object["feedback_accuracy"] as? Double ?? -1, 20.0 / 26, accuracy: 1e-9)
        XCTAssertEqual(fb2.object["accuracy_alert"] as? Bool, true)  // 0.77 is still below 0.85
        await server.stop()

        // Offline: the same predictions and gold labels through `docket monitor`.
        let predsFile = try scratch.write("preds.jsonl", preds.map {
            String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }.joined(separator: "\n") + "\n")
        let goldFile = try scratch.write("gold.jsonl", wrong.joined(separator: "\n") + "\n")
        let (status, out, err) = try runDocket(["monitor", "--model", model.path, "--predictions", predsFile, "--labels", goldFile,
                                                "--alert-min-feedback", "4"])
        XCTAssertEqual(status, 0, err)
        let offline = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], out)
        XCTAssertEqual(offline["psi"] as? Double ?? -1, psi, accuracy: 1e-9)
        XCTAssertEqual(offline["feedback"] as? Int, 6)
        XCTAssertEqual(offline["feedback_accuracy"] as? Double, 0)
        XCTAssertEqual(offline["accuracy_alert"] as? Bool, true)
        XCTAssertEqual(offline["eval_accuracy"] as? Double, 0.9)
    }

    func testCheckpointWithoutTrainingRecord() async throws {
        let server = try await RunningServer()
        _ = try await post("\(server.url)/predict", "{\"inputs\":\"the court\"}")
        let report = try await get("\(server.url)/monitor").object
        XCTAssertNil(report["psi"] as? Double)
        let notes = report["notes"] as? [String] ?? []
        XCTAssertTrue(notes.contains { $0.contains("no training distribution recorded") }, "\(notes)")
        XCTAssertEqual(report["predictions"] as? Int, 1)
        await server.stop()
    }

    func testOfflineMonitorNamesTheBadLine() throws {
        let scratch = try ScratchDirectory(prefix: "monitor-bad")
        defer { scratch.remove() }
        let preds = try scratch.write("p.jsonl", "{\"label\":\"Patent\",\"score\":0.9}\n{\"label\":\"Nope\",\"score\":0.5}\n")
        let (status, _, err) = try runDocket(["monitor", "--model", tinyModel.path, "--predictions", preds])
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(err.contains("p.jsonl:2"), err)
        XCTAssertTrue(err.contains("Nope"), err)
    }

    func testPSIFormula() {
        XCTAssertEqual(ModelMonitor.psi(actual: [0.5, 0.5], expected: [0.5, 0.5]), 0)
        // (0.7-0.5)ln(0.7/0.5) + (0.3-0.5)ln(0.3/0.5)
        XCTAssertEqual(ModelMonitor.psi(actual: [0.7, 0.3], expected: [0.5, 0.5]), 0.2 * log(1.4) - 0.2 * log(0.6), accuracy: 1e-12)
        XCTAssertEqual(ModelMonitor.driftLevel(0.05), "none")
        XCTAssertEqual(ModelMonitor.driftLevel(0.2), "moderate")
        XCTAssertEqual(ModelMonitor.driftLevel(0.3), "significant")
    }
}
