// Build-tool plugin of the Legal module: embeds the corpus templates (Corpora/templates/*.json,
// the generator's prose) as one generated Swift file, so `docket corpus generate` and library
// users of LegalCorpusGenerator need no data file at run time (no resource bundle to locate
// next to a copied binary). Reruns whenever a template file changes.
import Foundation
import PackagePlugin

@main
struct CorpusTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "Corpora/templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCorpusTemplates.swift")
        return [.buildCommand(
            displayName: "Embedding \(names.count) corpus template files from Corpora/templates",
            executable: try context.tool(named: "EmbedCorpusTemplates").url,
            arguments: [output.path] + inputs.map(\.path),
            inputFiles: inputs, outputFiles: [output])]
    }
}
