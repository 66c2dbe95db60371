// `docket.json`: what Docket knows about a checkpoint beyond the HF files (config.json,
// model.safetensors, tokenizer). Written by fine-tuning and `docket init` into the same atomic
// checkpoint write; read by TextClassifier (and so by `classify`, `evaluate`, services) to use
// the training settings by default. A checkpoint without it (e.g. straight from the Hub) keeps
// the old defaults.
//
//   {"docket_version": "0.1.0", "max_length": 128, "long_documents": "truncate"}
//
// Every field is optional and keys are the snake_case form of the property names (encoder
// `.convertToSnakeCase`, decoder `.convertFromSnakeCase`), so adding a field is adding one
// optional property; unknown keys written by newer versions are ignored when reading.
import DocketBase
import Foundation

public struct CheckpointMetadata: Codable, Sendable, Equatable {
    /// The file name inside a checkpoint directory.
    public static let fileName = "docket.json"

    /// The Docket version that wrote the checkpoint.
    public var docketVersion: String?
    /// Tokens per sequence (special tokens included) the model was trained with: the default
    /// max length for inference.
    public var maxLength: Int?
    /// Default handling of documents longer than `maxLength`: "truncate" or "chunk".
    public var longDocuments: String?
    /// Tokens shared by consecutive windows in chunk mode (nil: a quarter of the max length).
    public var stride: Int?
    /// How chunk-mode window probabilities are pooled: "mean" or "max".
    public var windowPooling: String?
    /// Training examples per label, in label-id order (serving monitors drift against it).
    /// A list of {label, count} rather than an object: key strategies would rewrite label names.
    public var trainLabelCounts: [LabelCount]?
    /// Accuracy on the dev set of the saved checkpoint (serving alerts when live accuracy drops below it).
    public var evalAccuracy: Double?

    public struct LabelCount: Codable, Sendable, Equatable {
        public var label: String
        public var count: Int
        public init(label: String, count: Int) { self.label = label; self.count = count }
    }

    public init(docketVersion: String? = DocketVersion.current, maxLength: Int? = nil, longDocuments: String? = nil,
                stride: Int? = nil, windowPooling: String? = nil) {
        self.docketVersion = docketVersion; self.maxLength = maxLength; self.longDocuments = longDocuments
        self.stride = stride; self.windowPooling = windowPooling
    }

    /// The recorded long-document mode, nil when none is recorded. `defaultMaxLength` gives the
    /// stride when none is recorded (a quarter of it, as `--stride` defaults).
    public func longDocumentMode(maxLength defaultMaxLength: Int) -> LongDocumentMode? {
        switch longDocuments {
        case "truncate"?: return .truncate
        case "chunk"?:
            return .chunk(stride: stride ?? defaultMaxLength / 4,
                          pooling: windowPooling.flatMap(LongDocumentMode.Pooling.init(rawValue:)) ?? .mean)
        default: return nil
        }
    }

    /// Reads `directory/docket.json`; nil when the file does not exist.
    public static func load(directory: URL) throws -> CheckpointMetadata? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CheckpointMetadataError.unreadable(file: url.path, detail: "cannot read the file")
        }
        guard data.count <= maxFileBytes else {
            throw CheckpointMetadataError.unreadable(file: url.path, detail: "larger than \(maxFileBytes) bytes")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let metadata = try decoder.decode(CheckpointMetadata.self, from: data)
            if let m = metadata.maxLength, m < 2 || m > 1 << 20 {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "max_length", detail: "\(m) is out of range")
            }
            if let s = metadata.stride, s < 0 {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "stride", detail: "must not be negative")
            }
            if let mode = metadata.longDocuments, !["truncate", "chunk"].contains(mode) {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "long_documents",
                                                           detail: "must be truncate or chunk, not '\(mode)'")
            }
            if let counts = metadata.trainLabelCounts, counts.contains(where: { $0.count < 0 }) {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "train_label_counts", detail: "has a negative count")
            }
            if let a = metadata.evalAccuracy, !(0...1).contains(a) {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "eval_accuracy", detail: "\(a) is not in [0, 1]")
            }
            if let pooling = metadata.windowPooling, LongDocumentMode.Pooling(rawValue: pooling) == nil {
                throw CheckpointMetadataError.invalidField(file: url.path, field: "window_pooling",
                                                           detail: "must be mean or max, not '\(pooling)'")
            }
            return metadata
        } catch let error as CheckpointMetadataError {
            throw error
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw CheckpointMetadataError.invalidField(file: url.path, field: snakeCase(field), detail: "has the wrong type")
        } catch {
            throw CheckpointMetadataError.unreadable(file: url.path, detail: "not a JSON object")
        }
    }

    /// The file's bytes: pretty-printed, sorted snake_case keys, trailing newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// Writes `directory/docket.json` atomically (temp file + rename).
    public func write(to directory: URL) throws {
        try AtomicFile.write(encoded(), to: directory.appendingPathComponent(Self.fileName))
    }

    /// Metadata files are small; anything bigger is not one.
    static let maxFileBytes = 16 << 20

    static func snakeCase(_ s: String) -> String {
        s.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }
}

/// A `docket.json` that cannot be used.
public enum CheckpointMetadataError: Error, Equatable, CustomStringConvertible, LocalizedError, Sendable {
    case unreadable(file: String, detail: String)
    case invalidField(file: String, field: String, detail: String)

    public var description: String {
        switch self {
        case let .unreadable(file, detail): return "\(file): cannot read the checkpoint metadata: \(detail)"
        case let .invalidField(file, field, detail): return "\(file): \"\(field)\" \(detail)"
        }
    }

    public var errorDescription: String? { description }
}
