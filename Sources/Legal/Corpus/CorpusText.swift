// The corpus generator's prose: every sentence, heading and word list of the synthetic legal
// corpus, read from the data files in Corpora/templates/*.json. The CorpusTemplates build plugin
// embeds those files into this module at build time (EmbeddedCorpusTemplates.swift in the build
// directory), so the generator needs no file next to the binary or in the working directory.
// Templates are Swift-free text: `{slot}` placeholders are filled by TextComposer (document
// bindings such as {A}, values the template code passes, or a draw from the vocabulary); the
// Swift files keep only the structure (which parts, in what order, how many, with what odds).
import Foundation

/// Decoded template files, one property per file (keys are snake_case in the JSON).
struct CorpusText: Sendable {
    var vocabulary: Vocabulary
    var shared: Shared
    var contract: Contract
    var patent: Patent
    var litigation: Litigation
    var compliance: Compliance
    var corporate: Corporate
    var crossReferences: [String: [String]]
    var mixedMemos: MixedMemos
    var ambiguous: Ambiguous
    var templateCorpus: TemplateCorpusText

    /// Pools keyed by class name (cross-references, memo subjects, ...): validated at load time
    /// to hold every class, so the lookup never comes back empty.
    static func classPool(_ table: [String: [String]], _ label: LegalClass) -> [String] { table[label.rawValue] ?? [] }

    struct Vocabulary: Decodable, Sendable {
        var companyStems, companySuffixes, firstNames, lastNames, officerTitles, states, cities, districts: [String]
        var months, technologies, components, regulations, agencies, products, agreementKinds, days, years: [String]
    }
    struct Shared: Decodable, Sendable {
        var governingLaw, notices, confidentiality, interpretation: [String]
        var signatureBlock: String
        /// A shared pool by its file key (contract sections name the pool they append).
        func pool(named name: String) -> [String]? {
            ["governing_law": governingLaw, "notices": notices, "confidentiality": confidentiality,
             "interpretation": interpretation][name]
        }
    }
    /// A titled group of sentences: its own `clauses`, then the shared-clauses.json pool `shared` names.
    struct Section: Decodable, Sendable {
        var title: String
        var clauses: [String]?
        var shared: String?
    }
    struct Contract: Decodable, Sendable {
        var sections: [Section]
        var agreement: Agreement
        var amendment: Amendment
        var statementOfWork: StatementOfWork
        struct Agreement: Decodable, Sendable { var preamble, recitals, consideration, witness: String }
        struct Amendment: Decodable, Sendable {
            var ordinals: [String]
            var heading, opening, recital, replacement, closing: String
        }
        struct StatementOfWork: Decodable, Sendable {
            var heading, opening, signatory: String
            var parts: [Part]
            /// A part's sentences: its own `clauses`, or those of the agreement section named `section`.
            struct Part: Decodable, Sendable { var title: String; var clauses: [String]?; var section: String? }
        }
    }
    struct Patent: Decodable, Sendable {
        var background, description, wherein, rejections, arguments: [String]
        var claims: Claims
        var application: Application
        var officeAction: OfficeAction
        var response: Response
        var allowance: Allowance
        struct Claims: Decodable, Sendable { var heading, independent, dependent: String }
        struct Application: Decodable, Sendable { var heading, abstract, background, summary, description: String }
        struct OfficeAction: Decodable, Sendable { var heading, opening, replyPeriod, inquiries: String }
        struct Response: Decodable, Sendable { var heading, opening, remarks, signature: String }
        struct Allowance: Decodable, Sendable { var heading, opening, reasons: String }
    }
    struct Litigation: Decodable, Sendable {
        var jurisdiction, facts, counts, standards, argument, holdings: [String]
        var caption: String
        var complaint: Complaint
        var motion: Motion
        var opinion: Opinion
        var order: Order
        struct Complaint: Decodable, Sendable {
            var heading, nature, defaultNature, parties, jurisdiction, facts, count, prayer, signature: String
        }
        struct Motion: Decodable, Sendable {
            var kinds: [String]
            var title, introduction, standard, argument, conclusion: String
        }
        struct Opinion: Decodable, Sendable {
            var heading, opening, background, standard, discussion, conclusion, soOrdered: String
        }
        struct Order: Decodable, Sendable { var titles, directives: [String]; var closing: String }
    }
    struct Compliance: Decodable, Sendable {
        var policyAreas, policyBody, findings, responses, regulatory: [String]
        var policy: Policy
        var auditReport: AuditReport
        var regulatoryNotice: RegulatoryNotice
        var certification: Certification
        struct Policy: Decodable, Sendable { var heading, purpose, approval: String; var sections: [String] }
        struct AuditReport: Decodable, Sendable { var heading, summary, finding, closing: String; var ratings: [String] }
        struct RegulatoryNotice: Decodable, Sendable { var kinds: [String]; var heading, opening, closing: String }
        struct Certification: Decodable, Sendable { var heading, statement, closing: String }
    }
    struct Corporate: Decodable, Sendable {
        var resolutions, whereas, minutesItems: [String]
        var currentReportItems: [ReportItem]
        var boardResolution: BoardResolution
        var minutes: Minutes
        var bylawsAmendment: BylawsAmendment
        var currentReport: CurrentReport
        var writtenConsent: WrittenConsent
        struct ReportItem: Decodable, Sendable { var heading, body: String }
        struct BoardResolution: Decodable, Sendable { var heading, resolved, certificate: String }
        struct Minutes: Decodable, Sendable { var kinds: [String]; var heading, attendance, adjournment: String }
        struct BylawsAmendment: Decodable, Sendable { var heading, opening, closing: String; var articles: [String] }
        struct CurrentReport: Decodable, Sendable { var heading, signatures: String }
        struct WrittenConsent: Decodable, Sendable { var heading, opening, closing: String }
    }
    struct MixedMemos: Decodable, Sendable {
        var subjects, requests: [String: [String]]
        var genericSubjects, headers: [String]
        var closing: String
    }
    struct Ambiguous: Decodable, Sendable {
        var contract: ContractCases
        var patent: PatentCases
        var litigation: LitigationCases
        var compliance: ComplianceCases
        var corporate: CorporateCases
        struct ContractCases: Decodable, Sendable {
            var agreements: [Agreement]
            struct Agreement: Decodable, Sendable { var kind: String; var sections: [Section] }
        }
        struct PatentCases: Decodable, Sendable {
            var softwareTitles: [String]
            var applicationBackground: String
            var interPartesReview: InterPartesReview
            var assignment: Assignment
            struct InterPartesReview: Decodable, Sendable { var heading, opening, ground, closing: String }
            struct Assignment: Decodable, Sendable { var heading, grant, authorization, signature: String }
        }
        struct LitigationCases: Decodable, Sendable {
            var complaints: [Complaint]
            struct Complaint: Decodable, Sendable { var counts, facts: [String]; var nature: String? }
        }
        struct ComplianceCases: Decodable, Sendable {
            var policies: [Policy]
            struct Policy: Decodable, Sendable { var area: String; var clauses: [String] }
        }
        struct CorporateCases: Decodable, Sendable {
            var contractApproval, complianceOversight: Resolution
            var settlementMinutes: [String]
            var verdictReport: [Corporate.ReportItem]
            struct Resolution: Decodable, Sendable { var whereas, resolved: [String] }
        }
    }
    struct TemplateCorpusText: Decodable, Sendable {
        var templates, variations: [String: [String]]
        var filler: String
    }
}

extension CorpusText {
    /// The embedded templates, decoded once (a failure is kept and thrown by every generate()).
    static let embedded: Result<CorpusText, CorpusError> = Result {
        try decode(Dictionary(embeddedCorpusTemplates.map { ($0.file, Data($0.json.utf8)) }, uniquingKeysWith: { a, _ in a }))
    }.mapError { $0 as? CorpusError ?? .templates(file: "Corpora/templates", reason: "\($0)") }

    /// Decodes the template files (`file name → JSON bytes`), checking that no list is empty and
    /// that every class-keyed table names all five classes. Errors name the file and key path.
    static func decode(_ files: [String: Data]) throws -> CorpusText {
        func load<T: Decodable>(_ file: String) throws -> T {
            guard let data = files[file] else { throw CorpusError.templates(file: file, reason: "missing") }
            let value: Any
            do { value = try JSONSerialization.jsonObject(with: data) } catch {
                throw CorpusError.templates(file: file, reason: "not valid JSON (\(error.localizedDescription))")
            }
            if let problem = emptyList(in: value, path: "") { throw CorpusError.templates(file: file, reason: problem) }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            do { return try decoder.decode(T.self, from: data) } catch {
                throw CorpusError.templates(file: file, reason: describe(error))
            }
        }
        let text = CorpusText(
            vocabulary: try load("vocabulary.json"), shared: try load("shared-clauses.json"),
            contract: try load("contract.json"), patent: try load("patent.json"), litigation: try load("litigation.json"),
            compliance: try load("compliance.json"), corporate: try load("corporate.json"),
            crossReferences: try load("cross-references.json"), mixedMemos: try load("mixed-memos.json"),
            ambiguous: try load("ambiguous.json"), templateCorpus: try load("template-corpus.json"))
        let classTables = [("cross-references.json", text.crossReferences), ("mixed-memos.json subjects", text.mixedMemos.subjects),
                           ("mixed-memos.json requests", text.mixedMemos.requests),
                           ("template-corpus.json templates", text.templateCorpus.templates),
                           ("template-corpus.json variations", text.templateCorpus.variations)]
        for (file, table) in classTables {
            for label in LegalClass.allCases where table[label.rawValue] == nil {
                throw CorpusError.templates(file: file, reason: "no entry for class \(label.rawValue)")
            }
        }
        for section in text.contract.sections + text.ambiguous.contract.agreements.flatMap(\.sections) {
            if let name = section.shared, text.shared.pool(named: name) == nil {
                throw CorpusError.templates(file: "contract.json", reason: "section \(section.title): unknown shared pool \(name)")
            }
            if section.clauses == nil && section.shared == nil {
                throw CorpusError.templates(file: "contract.json", reason: "section \(section.title): no clauses")
            }
        }
        return text
    }

    /// "key.path: empty list" for the first empty array (the composer draws from every list).
    private static func emptyList(in value: Any, path: String) -> String? {
        if let array = value as? [Any] {
            if array.isEmpty { return "\(path.isEmpty ? "top level" : path): empty list" }
            for (i, v) in array.enumerated() { if let p = emptyList(in: v, path: "\(path)[\(i)]") { return p } }
        } else if let dict = value as? [String: Any] {
            for (k, v) in dict.sorted(by: { $0.key < $1.key }) {
                if let p = emptyList(in: v, path: path.isEmpty ? k : "\(path).\(k)") { return p }
            }
        }
        return nil
    }

    /// A DecodingError as "key.path: what is wrong".
    private static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case let .keyNotFound(key, c): return "\(path(c).isEmpty ? "" : path(c) + ".")\(key.stringValue): missing"
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): return "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
