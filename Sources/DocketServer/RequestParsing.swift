// Request bodies of the JSON routes, parsed with the project's strict JSON parser (duplicate
// keys and trailing data are errors, nesting is capped). Every problem becomes an APIError
// naming the field: 400 invalid_json / invalid_utf8 / empty, 422 validation, 413 too many inputs.
import Docket
import DocketBase
import Foundation

/// One input of /predict: a text, or a pair of texts (TEI `Sequence`).
struct PredictInput: Equatable {
    var text: String
    var pair: String?
}

/// POST /predict (TEI `PredictRequest`).
struct PredictRequest {
    /// TEI answers a single input with one list and a batch with a list of lists.
    var isBatch: Bool
    var inputs: [PredictInput]
    var truncate: Bool?
    var rawScores: Bool
}

/// POST /v1/classify.
struct ClassifyRequest {
    var documents: [Document]
    var topK: Int?
}

/// POST /feedback: a gold label for a remembered prediction id, or a (predicted, gold) pair.
struct FeedbackItem {
    var id: String?
    var predicted: String?
    var gold: String
}

enum RequestParsing {
    /// The body as a top-level JSON object's members (key order kept, duplicates rejected).
    static func object(_ body: [UInt8]) throws -> [(key: String, value: JSONValue)] {
        guard String(validating: body, as: UTF8.self) != nil else { throw APIError.invalidUTF8 }
        let value: JSONValue
        do { value = try body.withUnsafeBytes { try JSONParser.parse($0) } } catch let e as JSONParseError {
            throw APIError.invalidJSON("\(e.message) at byte \(e.offset)")
        }
        guard case let .object(members) = value else { throw APIError.validation("the request body must be a JSON object") }
        var seen = Set<String>()
        for m in members where !seen.insert(m.key).inserted {
            throw APIError.validation("key \"\(m.key)\" appears twice")
        }
        return members
    }

    static func member(_ members: [(key: String, value: JSONValue)], _ key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    static func bool(_ v: JSONValue?, _ field: String) throws -> Bool? {
        switch v {
        case nil, .null?: return nil
        case let .bool(b)?: return b
        default: throw APIError.validation("\"\(field)\" must be true or false")
        }
    }

    static func text(_ v: JSONValue, _ field: String) throws -> String {
        guard case let .string(s) = v else { throw APIError.validation("\(field) must be a string") }
        guard !s.allSatisfy(\.isWhitespace) else { throw APIError.empty("\(field) is empty") }
        return s
    }

    /// TEI's input rules: "text" → one input; ["a"] → one input; ["a", "b"] → one pair;
    /// [["a"], ["b", "c"], ...] → a batch of texts and pairs. Anything else is 422.
    static func predict(_ body: [UInt8], maxInputs: Int) throws -> PredictRequest {
        let m = try object(body)
        guard let inputs = member(m, "inputs") else { throw APIError.validation("missing field \"inputs\"") }
        let truncate = try bool(member(m, "truncate"), "truncate")
        let raw = try bool(member(m, "raw_scores"), "raw_scores") ?? false
        func sequence(_ items: [JSONValue], _ field: String) throws -> PredictInput {
            switch items.count {
            case 1: return PredictInput(text: try text(items[0], "\(field)[0]"))
            case 2: return PredictInput(text: try text(items[0], "\(field)[0]"), pair: try text(items[1], "\(field)[1]"))
            default: throw APIError.validation("\(field) must be a string or a list of one or two strings (a text pair), not \(items.count) items")
            }
        }
        switch inputs {
        case let .string(s):
            return PredictRequest(isBatch: false, inputs: [PredictInput(text: try text(.string(s), "\"inputs\""))],
                                  truncate: truncate, rawScores: raw)
        case let .array(items):
            guard let first = items.first else { throw APIError.empty("\"inputs\" is an empty list") }
            if case .array = first {
                guard items.count <= maxInputs else {
                    throw APIError.tooLarge("batch size \(items.count) > maximum allowed batch size \(maxInputs) (--max-client-batch-size)")
                }
                let batch = try items.enumerated().map { i, item -> PredictInput in
                    guard case let .array(seq) = item else {
                        throw APIError.validation("\"inputs\"[\(i)] must be a list of one or two strings like the other batch items")
                    }
                    return try sequence(seq, "\"inputs\"[\(i)]")
                }
                return PredictRequest(isBatch: true, inputs: batch, truncate: truncate, rawScores: raw)
            }
            return PredictRequest(isBatch: false, inputs: [try sequence(items, "\"inputs\"")], truncate: truncate, rawScores: raw)
        default:
            throw APIError.validation("\"inputs\" must be a string, a list of one or two strings, or a list of such lists")
        }
    }

    /// {"documents": [{"text": ..., "id": ..., ...}, ...], "top_k": k}; each document follows
    /// `docket classify`'s JSONL rules (other members are copied to the output).
    static func classify(_ body: [UInt8], maxInputs: Int) throws -> ClassifyRequest {
        let m = try object(body)
        guard let docs = member(m, "documents") else { throw APIError.validation("missing field \"documents\"") }
        guard case let .array(items) = docs else { throw APIError.validation("\"documents\" must be a list of objects") }
        guard !items.isEmpty else { throw APIError.empty("\"documents\" is an empty list") }
        guard items.count <= maxInputs else {
            throw APIError.tooLarge("batch size \(items.count) > maximum allowed batch size \(maxInputs) (--max-client-batch-size)")
        }
        var topK: Int?
        switch member(m, "top_k") {
        case nil, .null?: topK = nil
        case let .number(s)?:
            guard let k = Int(s), k >= 1 else { throw APIError.validation("\"top_k\" must be a positive integer") }
            topK = k
        default: throw APIError.validation("\"top_k\" must be a positive integer")
        }
        let documents = try items.enumerated().map { i, item -> Document in
            let field = "documents[\(i)]"
            guard case .object = item else { throw APIError.validation("\(field) must be an object") }
            do {
                return try Document.parseJSONObject(Array(serialize(item).utf8), source: "request", line: i + 1)
            } catch let e as DocumentError {
                switch e {
                case .emptyText: throw APIError.empty("\(field).text is empty")
                case .missingText: throw APIError.validation("\(field) has no \"text\" field")
                case let .wrongFieldType(_, _, name, expected): throw APIError.validation("\(field).\(name) must be \(expected)")
                default: throw APIError.validation("\(field): \(e)")
                }
            }
        }
        return ClassifyRequest(documents: documents, topK: topK)
    }

    /// {"feedback": [{"id": "...", "label": "gold"} | {"predicted": "...", "label": "gold"}, ...]}
    static func feedback(_ body: [UInt8], labels: [String], maxItems: Int) throws -> [FeedbackItem] {
        let m = try object(body)
        guard case let .array(items)? = member(m, "feedback") else {
            throw APIError.validation("\"feedback\" must be a list of {\"id\" or \"predicted\", \"label\"} objects")
        }
        guard !items.isEmpty else { throw APIError.empty("\"feedback\" is an empty list") }
        guard items.count <= maxItems else { throw APIError.tooLarge("\(items.count) feedback items > \(maxItems)") }
        let known = Set(labels)
        return try items.enumerated().map { i, item in
            let field = "feedback[\(i)]"
            guard case let .object(f) = item else { throw APIError.validation("\(field) must be an object") }
            func label(_ key: String) throws -> String? {
                guard let v = member(f, key), v != .null else { return nil }
                let s = try text(v, "\(field).\(key)")
                guard known.contains(s) else {
                    throw APIError.validation("\(field).\(key) \"\(s)\" is not a label of the model (\(labels.joined(separator: ", ")))")
                }
                return s
            }
            guard let gold = try label("label") else { throw APIError.validation("\(field) has no \"label\" (the gold label)") }
            let predicted = try label("predicted")
            var id: String?
            switch member(f, "id") {
            case nil, .null?: id = nil
            case let .string(s)?: id = s
            case let .number(s)?: id = s
            default: throw APIError.validation("\(field).id must be a string or a number")
            }
            guard id != nil || predicted != nil else { throw APIError.validation("\(field) needs \"id\" or \"predicted\"") }
            return FeedbackItem(id: id, predicted: predicted, gold: gold)
        }
    }

    /// Compact JSON text of a parsed value (numbers keep their source text).
    static func serialize(_ v: JSONValue) -> String {
        switch v {
        case let .object(members): return "{" + members.map { JSONParser.quote($0.key) + ":" + serialize($0.value) }.joined(separator: ",") + "}"
        case let .array(items): return "[" + items.map(serialize).joined(separator: ",") + "]"
        case let .string(s): return JSONParser.quote(s)
        case let .number(s): return s
        case let .bool(b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    /// The JSON text of an "id" member value for remembering predictions (strings unquoted).
    static func idString(_ json: String) -> String {
        if json.hasPrefix("\""), let data = json.data(using: .utf8),
           let s = try? JSONDecoder().decode(String.self, from: data) { return s }
        return json
    }
}
