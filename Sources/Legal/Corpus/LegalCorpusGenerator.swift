// The deterministic corpus generator behind `docket corpus generate` (its prose: CorpusText,
// from Corpora/templates). One SeededRNG drives everything: each document gets its own
// composer seeded from the master stream (so a template change perturbs only that class's
// texts), then each class is shuffled and split train/dev/test with the same proportions
// (stratified), and each split is shuffled.
import DocketBase
import Foundation

/// One labelled document as written to JSONL: {"text","label","id"}.
public struct LegalDocument: Sendable, Equatable {
    public var text: String
    public var label: String
    public var id: String
    public init(text: String, label: String, id: String) { self.text = text; self.label = label; self.id = id }
}

/// The three stratified splits.
public struct LegalCorpus: Sendable, Equatable {
    public var train: [LegalDocument]
    public var dev: [LegalDocument]
    public var test: [LegalDocument]
    /// Ids of documents produced by an ambiguous template (cross-class template or mixed-topic memo).
    public var ambiguousIDs: Set<String>

    public var splits: [(name: String, documents: [LegalDocument])] {
        [("train", train), ("dev", dev), ("test", test)]
    }
}

public struct LegalCorpusGenerator: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case realistic, template
    }

    public var kind: Kind
    public var seed: UInt64
    /// Documents per class; split per class as (train, dev, test).
    public var perClass: (train: Int, dev: Int, test: Int)
    /// Fraction of realistic documents drawn from an ambiguous cross-class template.
    public var ambiguousFraction: Double

    /// Defaults: realistic 400/50/50 per class (2,000/250/250), 28% ambiguous; template 128/16/16 (800, 80/10/10).
    public init(kind: Kind = .realistic, seed: UInt64 = 42) {
        self.kind = kind
        self.seed = seed
        self.perClass = kind == .realistic ? (400, 50, 50) : (128, 16, 16)
        self.ambiguousFraction = kind == .realistic ? 0.28 : 0
    }

    /// The three splits. Throws `CorpusError.templates` only if the embedded template files
    /// (Corpora/templates, checked at every build by the byte-identity test) do not decode.
    public func generate() throws -> LegalCorpus {
        let text = try CorpusText.embedded.get()
        var master = SeededRNG(seed: seed)
        let total = perClass.train + perClass.dev + perClass.test
        var train: [(LegalDocument, Bool)] = [], dev: [(LegalDocument, Bool)] = [], test: [(LegalDocument, Bool)] = []
        for label in LegalClass.allCases {
            var docs: [(LegalDocument, Bool)] = []
            for _ in 0..<total {
                var c = TextComposer(rng: SeededRNG(seed: master.next()), text: text)
                let ambiguous = kind == .realistic && c.chance(ambiguousFraction)
                let text: String
                switch kind {
                case .template: text = TemplateCorpus.generate(label, &c)
                case .realistic: text = ambiguous ? Self.ambiguous(label, &c) : Self.excerpted(Self.typical(label, &c), &c)
                }
                docs.append((LegalDocument(text: text, label: label.rawValue, id: ""), ambiguous))
            }
            var order = TextComposer(rng: SeededRNG(seed: master.next()), text: text)
            docs = order.shuffled(docs)
            train += docs[0..<perClass.train]
            dev += docs[perClass.train..<(perClass.train + perClass.dev)]
            test += docs[(perClass.train + perClass.dev)...]
        }
        var order = TextComposer(rng: SeededRNG(seed: master.next()), text: text)
        var ambiguousIDs = Set<String>()
        func finish(_ split: [(LegalDocument, Bool)], _ name: String) -> [LegalDocument] {
            order.shuffled(split).enumerated().map { i, pair in
                var d = pair.0
                d.id = "\(kind.rawValue)-\(name)-\(String(format5: i + 1))"
                if pair.1 { ambiguousIDs.insert(d.id) }
                return d
            }
        }
        let trainDocs = finish(train, "train"), devDocs = finish(dev, "dev"), testDocs = finish(test, "test")
        return LegalCorpus(train: trainDocs, dev: devDocs, test: testDocs, ambiguousIDs: ambiguousIDs)
    }

    /// Half cross-class templates (a patent licence, a litigation-hold policy, ...), half mixed-topic memos.
    static func ambiguous(_ label: LegalClass, _ c: inout TextComposer) -> String {
        c.chance(0.5) ? excerpted(AmbiguousTemplates.generate(label, &c), &c) : MixedMemoTemplates.generate(label, &c)
    }

    /// With probability 0.35 drops the heading (and, for longer texts, up to one more opening
    /// part) and the closing part, as a page excerpt taken from the middle of a file would.
    static func excerpted(_ text: String, _ c: inout TextComposer) -> String {
        let parts = text.components(separatedBy: "\n\n")
        guard parts.count >= 5, c.chance(0.35) else { return text }
        let start = parts.count >= 7 ? c.int(1...2) : 1
        return parts[start..<(parts.count - 1)].joined(separator: "\n\n")
    }

    /// An ordinary document of the class; half of them carry a cross-class passage written in
    /// the class's own voice (see CrossReferences).
    static func typical(_ label: LegalClass, _ c: inout TextComposer) -> String {
        CrossReferences.insert(into: plain(label, &c), label, p: 0.5, &c)
    }

    static func plain(_ label: LegalClass, _ c: inout TextComposer) -> String {
        switch label {
        case .contract: return ContractTemplates.generate(&c)
        case .patent: return PatentTemplates.generate(&c)
        case .litigation: return LitigationTemplates.generate(&c)
        case .compliance: return ComplianceTemplates.generate(&c)
        case .corporate: return CorporateTemplates.generate(&c)
        }
    }
}
