// The JSONL line `docket classify` writes: valid JSON, copied fields verbatim and first,
// clashing keys renamed, probabilities/logits in label-id order.
import Foundation
import XCTest
@testable import Docket

final class PredictionJSONTests: XCTestCase {
    private let prediction = Prediction(
        label: "B", score: 0.75, probabilities: ["A": 0.25, "B": 0.75], logits: [-1.5, 0.5],
        topK: [LabelScore(label: "B", score: 0.75), LabelScore(label: "A", score: 0.25)], windows: 2)

    func testLineLayoutAndCopiedFields() throws {
        let doc = Document(text: "t", label: "A", fields: [RawField(key: "id", json: "\"x-1\""),
                                                          RawField(key: "score", json: "{\"k\": [1, 2.50]}")],
                           source: "in.jsonl", line: 3)
        let line = prediction.jsonLine(labels: ["A", "B"], document: doc, includeTopK: true, includeWindows: true)
        XCTAssertEqual(line, #"{"id":"x-1","input_score":{"k": [1, 2.50]},"gold_label":"A","label":"B","score":0.75,"#
            + #""probabilities":{"A":0.25,"B":0.75},"logits":[-1.5,0.5],"top_k":[{"label":"B","score":0.75},{"label":"A","score":0.25}],"windows":2}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        XCTAssertEqual(parsed?["label"] as? String, "B")
        XCTAssertEqual((parsed?["logits"] as? [Double]) ?? [], [-1.5, 0.5])
    }

    func testNonFiniteNumbersBecomeNull() throws {
        let p = Prediction(label: "A", score: 1, probabilities: ["A": 1], logits: [.nan], topK: [], windows: 1)
        let line = p.jsonLine(labels: ["A"])
        XCTAssertEqual(line, #"{"label":"A","score":1.0,"probabilities":{"A":1.0},"logits":[null]}"#)
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)))
    }
}
