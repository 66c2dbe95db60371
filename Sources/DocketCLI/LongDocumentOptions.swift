import ArgumentParser
import Docket
import Foundation

/// `--long-documents truncate|chunk`, `--stride`, `--window-pooling`: shared by classify and
/// evaluate. Absent flags take the checkpoint's recorded mode (docket.json), else truncate.
/// `--pooling mean|max` is the older spelling of `--window-pooling` and still works here; the
/// classification head's own token pooling (cls|mean|max) is chosen at training time
/// (`finetune --pooling`) and read from the checkpoint's config.json.
struct LongDocumentOptions: ParsableArguments {
    @Option(help: "Long documents: truncate, or chunk into overlapping windows (default: the checkpoint's, else truncate).")
    var longDocuments: String?

    @Option(help: "Tokens shared by consecutive windows in chunk mode (default: a quarter of the max length).")
    var stride: Int?

    @Option(help: "How chunk-mode window probabilities are pooled per document: mean or max.")
    var windowPooling: String?

    @Option(help: .hidden) var pooling: String?  // the older name of --window-pooling

    /// The window pooling asked for (default mean).
    var windowPoolingName: String { windowPooling ?? pooling ?? "mean" }

    func validate() throws {
        if let longDocuments, !["truncate", "chunk"].contains(longDocuments) {
            throw ValidationError("--long-documents must be truncate or chunk")
        }
        if windowPooling != nil && pooling != nil { throw ValidationError("give --window-pooling (or its older name --pooling), not both") }
        if let name = windowPooling ?? pooling, LongDocumentMode.Pooling(rawValue: name) == nil {
            throw ValidationError("--window-pooling must be mean or max (the head's cls/mean/max pooling is chosen by finetune --pooling and read from the checkpoint)")
        }
        if stride != nil && longDocuments != "chunk" { throw ValidationError("--stride needs --long-documents chunk") }
        if (windowPooling ?? pooling) != nil && longDocuments != "chunk" { throw ValidationError("--window-pooling needs --long-documents chunk") }
        try FlagLimits.check(stride, "--stride", FlagLimits.stride)
    }

    /// Loads the classifier in `model` with `base` options plus the long-document mode, and
    /// prints its notices as `note: …` on stderr. In chunk mode without an explicit stride, the
    /// stride is a quarter of the effective max length (the checkpoint's default when
    /// `--max-length` is absent).
    func makeClassifier(model: String, options base: TextClassifier.Options) throws -> TextClassifier {
        let classifier = try TextClassifier(directory: URL(fileURLWithPath: model), options: classifierOptions(model: model, base: base))
        for notice in classifier.notices {
            FileHandle.standardError.write(Data("note: \(notice)\n".utf8))
        }
        return classifier
    }

    /// `base` plus the long-document mode for the checkpoint in `model` (nil: the checkpoint's own).
    func classifierOptions(model: String, base: TextClassifier.Options) throws -> TextClassifier.Options {
        var options = base
        switch longDocuments {
        case "chunk"?:
            let length = try base.maxLength ?? TextClassifier.defaultMaxLength(directory: URL(fileURLWithPath: model))
            options.longDocuments = .chunk(stride: stride ?? length / 4,
                                           pooling: LongDocumentMode.Pooling(rawValue: windowPoolingName) ?? .mean)
        case "truncate"?: options.longDocuments = .truncate
        default: options.longDocuments = nil
        }
        return options
    }
}

extension LongDocumentMode {
    /// "truncate" or "chunk".
    var name: String {
        if case .chunk = self { return "chunk" }
        return "truncate"
    }
}
