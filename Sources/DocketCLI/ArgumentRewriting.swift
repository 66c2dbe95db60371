// What `docket` does to its arguments before ArgumentParser sees them (issue #13 defect 6):
// - a mistyped subcommand gets a suggestion: `docket clasify` → did you mean 'classify'?
// - Hugging Face Trainer spellings become Docket's flags when the command has the Docket flag
//   (`--num-train-epochs` → `--epochs`, `--per-device-train-batch-size` → `--batch-size`,
//   `--max-grad-norm` → `--grad-clip`, `--lr-scheduler-type` → `--schedule`, …), and
//   underscores are accepted for dashes (`--learning_rate`);
// - an unknown flag close to a known one gets a suggestion (`--modle` → did you mean
//   '--model'?) instead of ArgumentParser's "missing --model";
// - a negative number after a flag is its value (`--learning-rate -1` → `--learning-rate=-1`),
//   so validation can say what is wrong with it, instead of "missing value".
// The known flags of a command are read from its help text, so every command (and flags added
// later) is covered without a list to keep in sync.
import ArgumentParser

enum ArgumentRewriting {
    /// A mistake found before parsing: printed as "Error: …" with the usage exit code.
    struct Mistake: Error, CustomStringConvertible {
        let description: String
        /// The command whose help lists the right spelling ("docket classify").
        var help = "docket"
    }

    /// Hugging Face TrainingArguments / example-script names → Docket's.
    static let huggingFaceAliases: [String: String] = [
        "--num-train-epochs": "--epochs",
        "--per-device-train-batch-size": "--batch-size",
        "--per-device-eval-batch-size": "--batch-size",
        "--train-batch-size": "--batch-size",
        "--eval-batch-size": "--batch-size",
        "--max-grad-norm": "--grad-clip",
        "--lr-scheduler-type": "--schedule",
        "--output-dir": "--output",
        "--overwrite-output-dir": "--overwrite-output",
        "--max-seq-length": "--max-length",
        "--model-name-or-path": "--model",
        "--train-file": "--train",
        "--validation-file": "--dev",
        "--test-file": "--test",
        "--logging-steps": "--logging-steps",
    ]

    /// `arguments` (without the program name) rewritten for `root`, or a Mistake.
    static func rewrite(_ arguments: [String], root: ParsableCommand.Type) throws -> [String] {
        var command: ParsableCommand.Type = root
        var path: [String] = []
        var out: [String] = []
        var index = 0
        // Subcommands: follow the names; a near miss of a name is a mistake.
        while index < arguments.count, !arguments[index].hasPrefix("-") {
            let subcommands = subcommandsOf(command)
            guard !subcommands.isEmpty else { break }
            let word = arguments[index]
            if word == "help" { return arguments }
            guard let next = subcommands.first(where: { $0.name == word }) else {
                let names = subcommands.map(\.name)
                if let guess = closest(word, in: names) {
                    throw Mistake(description: "unknown command '\(word)'; did you mean '\(guess)'?",
                                  help: ([root._commandName] + path).joined(separator: " "))
                }
                if path.isEmpty { throw Mistake(description: "unknown command '\(word)'; commands: \(names.joined(separator: ", "))") }
                break
            }
            command = next.type; path.append(word); out.append(word); index += 1
        }
        if index < arguments.count, arguments[index].hasPrefix("-"), let fallback = defaultSubcommandOf(command) {
            command = fallback
        }
        let known = knownFlags(of: command, root: root)
        while index < arguments.count {
            let arg = arguments[index]
            index += 1
            if arg == "--" { out.append(contentsOf: arguments[(index - 1)...]); break }
            guard arg.hasPrefix("--"), arg.count > 2 else { out.append(arg); continue }
            let parts = arg.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            var name = String(parts[0])
            let inlineValue = parts.count > 1 ? String(parts[1]) : nil
            if !known.contains(name) {
                let dashed = name.replacingOccurrences(of: "_", with: "-")
                if known.contains(dashed) {
                    name = dashed
                } else if let alias = huggingFaceAliases[dashed], known.contains(alias) {
                    name = alias
                } else if let guess = closest(name, in: known.sorted()) {
                    throw Mistake(description: "unknown option '\(name)'; did you mean '\(guess)'?",
                                  help: ([root._commandName] + path).joined(separator: " "))
                }
            }
            if let inlineValue {
                out.append("\(name)=\(inlineValue)")
            } else if index < arguments.count, isNegativeNumber(arguments[index]) {
                out.append("\(name)=\(arguments[index])"); index += 1
            } else {
                out.append(name)
            }
        }
        return out
    }

    /// Every `--flag` in the command's help text (plus --help and --version).
    static func knownFlags(of command: ParsableCommand.Type, root: ParsableCommand.Type) -> Set<String> {
        let help = ObjectIdentifier(command) == ObjectIdentifier(root)
            ? root.helpMessage(columns: 10_000) : root.helpMessage(for: command, columns: 10_000)
        var flags: Set<String> = ["--help", "--version"]
        var i = help.startIndex
        while let r = help.range(of: "--", range: i..<help.endIndex) {
            var end = r.upperBound
            while end < help.endIndex, help[end].isLetter || help[end].isNumber || help[end] == "-" { end = help.index(after: end) }
            if end > r.upperBound, help[r.upperBound].isLetter { flags.insert(String(help[r.lowerBound..<end])) }
            i = end
        }
        return flags
    }

    static func subcommandsOf(_ command: ParsableCommand.Type) -> [(name: String, type: ParsableCommand.Type)] {
        let configuration = command.configuration
        return configuration.subcommands.map { sub in (name: sub._commandName, type: sub) }
    }

    static func defaultSubcommandOf(_ command: ParsableCommand.Type) -> ParsableCommand.Type? {
        let configuration = command.configuration
        return configuration.defaultSubcommand
    }

    /// "-1", "-0.5", "-.5", "-1e-3".
    static func isNegativeNumber(_ s: String) -> Bool {
        s.count > 1 && s.hasPrefix("-") && Double(s) != nil
    }

    /// The candidate nearest to `word` when it is a plausible typo (optimal string alignment
    /// distance at most 2, and at most a third of the word).
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= min(2, max(1, word.count / 3)) }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
