import ArgumentParser
import Docket
import Foundation

/// `--long-documents truncate|chunk`, `--stride`, `--pooling`: shared by classify and evaluate.
struct LongDocumentOptions: ParsableArguments {
    @Option(help: "Long documents: truncate, or chunk into overlapping windows.")
    var longDocuments = "truncate"

    @Option(help: "Tokens shared by consecutive windows in chunk mode (default: a quarter of the max length).")
    var stride: Int?

    @Option(help: "How chunk-mode window probabilities are pooled: mean or max.")
    var pooling = "mean"

    var chunked: Bool { longDocuments == "chunk" }

    func validate() throws {
        guard ["truncate", "chunk"].contains(longDocuments) else { throw ValidationError("--long-documents must be truncate or chunk") }
        guard LongDocumentMode.Pooling(rawValue: pooling) != nil else { throw ValidationError("--pooling must be mean or max") }
        if stride != nil && !chunked { throw ValidationError("--stride needs --long-documents chunk") }
        if let stride, stride < 0 { throw ValidationError("--stride must not be negative") }
    }

    /// Loads the classifier in `model` with `base` options plus the long-document mode, and
    /// prints its notices as `docket COMMAND: notice: …` on stderr. In chunk mode without an
    /// explicit stride, the stride is a quarter of the effective max length, which needs the
    /// model's own limit when `--max-length` is absent.
    func makeClassifier(model: String, options base: TextClassifier.Options, command: String) throws -> TextClassifier {
        let classifier = try TextClassifier(directory: URL(fileURLWithPath: model), options: classifierOptions(model: model, base: base))
        for notice in classifier.notices {
            FileHandle.standardError.write(Data("docket \(command): notice: \(notice)\n".utf8))
        }
        return classifier
    }

    /// `base` plus the long-document mode for the checkpoint in `model`.
    func classifierOptions(model: String, base: TextClassifier.Options) throws -> TextClassifier.Options {
        var options = base
        if chunked, let pool = LongDocumentMode.Pooling(rawValue: pooling) {
            let length = try base.maxLength ?? TextClassifier(directory: URL(fileURLWithPath: model)).maxLength
            options.longDocuments = .chunk(stride: stride ?? length / 4, pooling: pool)
        }
        return options
    }
}
