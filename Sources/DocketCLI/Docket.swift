// The `docket` executable: a thin root command; one file per subcommand, no domain logic.
import ArgumentParser
import Docket

@main
struct DocketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docket",
        abstract: "Fine-tune and run transformer text classifiers natively on Linux.",
        version: DocketVersion.current,
        subcommands: [
            TokenizeCommand.self, VocabCommand.self, InspectCommand.self, ClassifyCommand.self,
            InitCommand.self, FinetuneCommand.self, TrainLinearCommand.self, EnsembleCommand.self, EvaluateCommand.self, CorpusCommand.self,
            BenchCommand.self,
        ])
}

/// `docket bench ...`: release-build benchmarks, one subcommand per area.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Release-build benchmarks (run through Scripts/bench-*.sh to measure the peers too).",
        subcommands: [BenchKernelsCommand.self, BenchTokenizeCommand.self,
                      BenchClassifyCommand.self, BenchTrainCommand.self])
}
