// The `docket` executable: a thin root command; one file per subcommand, no domain logic.
import ArgumentParser
import Docket
import Foundation

@main
struct DocketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docket",
        abstract: "Fine-tune and run transformer text classifiers natively on Linux.",
        version: DocketVersion.current,
        subcommands: [
            TokenizeCommand.self, VocabCommand.self, InspectCommand.self, ClassifyCommand.self,
            InitCommand.self, PretrainCommand.self, FinetuneCommand.self, TrainLinearCommand.self, EnsembleCommand.self, EvaluateCommand.self,
            CorpusCommand.self, ServeCommand.self, MonitorCommand.self, BenchCommand.self,
        ])

    /// Rewrites the arguments (HF aliases, typo suggestions, negative values; see
    /// ArgumentRewriting) before ArgumentParser parses them.
    static func main() async {
        let arguments: [String]
        do { arguments = try ArgumentRewriting.rewrite(Array(CommandLine.arguments.dropFirst()), root: self) } catch {
            let help = (error as? ArgumentRewriting.Mistake)?.help ?? "docket"
            FileHandle.standardError.write(Data("Error: \(error)\nSee '\(help) --help' for more information.\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(arguments)
    }
}

/// `docket bench ...`: release-build benchmarks, one subcommand per area.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Release-build benchmarks (run through Scripts/bench/bench-*.sh to measure the peers too).",
        subcommands: [BenchKernelsCommand.self, BenchTokenizeCommand.self,
                      BenchClassifyCommand.self, BenchTrainCommand.self])
}
