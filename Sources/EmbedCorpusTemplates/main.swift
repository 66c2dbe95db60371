// The CorpusTemplates plugin's tool: `EmbedCorpusTemplates OUTPUT.swift FILE.json...` writes
// `let embeddedCorpusTemplates: [(file: String, json: String)]` holding each file's text
// verbatim in a raw multi-line string literal (the delimiter grows until no `"""#…` or `\#…`
// sequence of the text could end or escape it). Text only: the Legal module decodes it.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedCorpusTemplates OUTPUT.swift FILE.json...\n".utf8))
    exit(64)
}
var swift = "// Generated from Corpora/templates by the CorpusTemplates build plugin; do not edit.\n"
swift += "let embeddedCorpusTemplates: [(file: String, json: String)] = [\n"
for path in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedCorpusTemplates: \(path): cannot read the file as UTF-8\n".utf8))
        exit(1)
    }
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    let name = URL(fileURLWithPath: path).lastPathComponent
    swift += "    (\"\(name)\", \(hashes)\"\"\"\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\"\"\"\(hashes)),\n"
}
swift += "]\n"
do { try swift.write(toFile: output, atomically: true, encoding: .utf8) } catch {
    FileHandle.standardError.write(Data("EmbedCorpusTemplates: \(output): cannot write (\(error))\n".utf8))
    exit(1)
}
