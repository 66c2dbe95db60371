import ArgumentParser
import Docket
import Foundation

/// `--long-documents truncate|chunk`, `--stride`, `--window-pooling`: shared by classify and
/// evaluate. `--pooling mean|max` is the older spelling of `--window-pooling` and still works
/// here; the classification head's own token pooling (cls|mean|max) is chosen at training time
/// (`finetune --pooling`) and read from the checkpoint's config.json.
struct LongDocumentOptions: ParsableArguments {
    @Option(help: "Long documents: truncate, or chunk into overlapping windows.")
    var longDocuments = "truncate"

    @Option(help: "Tokens shared by consecutive windows in chunk mode (default: a quarter of the max length).")
    var stride: Int?

    @Option(help: "How chunk-mode window probabilities are pooled per document: mean or max.")
    var windowPooling: String?

    @Option(help: .hidden) var pooling: String?  // the older name of --window-pooling

    var chunked: Bool { longDocuments == "chunk" }

    /// The window pooling asked for (default mean).
    var windowPoolingName: String { windowPooling ?? pooling ?? "mean" }

    func validate() throws {
        guard ["truncate", "chunk"].contains(longDocuments) else { throw ValidationError("--long-documents must be truncate or chunk") }
        if windowPooling != nil && pooling != nil { throw ValidationError("give --window-pooling (or its older name --pooling), not both") }
        guard LongDocumentMode.Pooling(rawValue: windowPoolingName) != nil else {
            throw ValidationError("--window-pooling must be mean or max (the head's cls/mean/max pooling is chosen by finetune --pooling and read from the checkpoint)")
        }
        if stride != nil && !chunked { throw ValidationError("--stride needs --long-documents chunk") }
        if let stride, stride < 0 { throw ValidationError("--stride must not be negative") }
    }

    /// Loads the classifier in `model` with `base` options plus the long-document mode, and
    /// prints its notices as `docket COMMAND: notice: …` on stderr. In chunk mode without an
    /// explicit stride, the stride is a quarter of the effective max length, which needs the
    /// model's own limit when `--max-length` is absent.
    func makeClassifier(model: String, options base: TextClassifier.Options, command: String) throws -> TextClassifier {
        let dir = URL(fileURLWithPath: model)
        var options = base
        if chunked, let pool = LongDocumentMode.Pooling(rawValue: windowPoolingName) {
            let length = try base.maxLength ?? TextClassifier(directory: dir).maxLength
            options.longDocuments = .chunk(stride: stride ?? length / 4, pooling: pool)
        }
        let classifier = try TextClassifier(directory: dir, options: options)
        for notice in classifier.notices {
            FileHandle.standardError.write(Data("docket \(command): notice: \(notice)\n".utf8))
        }
        return classifier
    }
}
