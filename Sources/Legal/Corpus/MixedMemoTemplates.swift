// Mixed-topic memoranda, letters and e-mails: a neutral genre shared by every class whose
// body mixes sentences from the label's topic with sentences from a second class in a drawn
// proportion (30–70% from the label). The label is the memo's purpose: the matter its subject
// line names or, when the subject is generic, the decision its closing request asks for. Word
// counts alone cannot decide the class: the reader must weigh the subject or the request.
// Text: Corpora/templates/mixed-memos.json (subjects, requests, headers); bodies reuse the
// classes' own pools.

enum MixedMemoTemplates {
    static func topicPool(_ label: LegalClass, _ c: TextComposer) -> [String] {
        let t = c.text
        switch label {
        case .contract: return ContractTemplates.sections(c).sorted { $0.title < $1.title }.flatMap(\.clauses)
        case .patent: return t.patent.background + t.patent.description + t.patent.rejections + t.patent.arguments
        case .litigation: return t.litigation.facts + t.litigation.standards + t.litigation.argument + t.litigation.holdings
        case .compliance: return t.compliance.policyBody + t.compliance.findings + t.compliance.regulatory
        case .corporate: return t.corporate.resolutions + t.corporate.minutesItems + t.corporate.whereas
        }
    }

    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        let t = c.text.mixedMemos
        let others = LegalClass.allCases.filter { $0 != label }
        let second = c.pick(others)
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 80...450)
        let sentences = max(3, target / 24)
        // Either way the body mixes the two topics (30–70% from the label's). A specific subject
        // line names the matter; a generic one ("Follow-up ...") names none, and then the
        // closing request — the decision the writer asks for — names the memo's purpose. That
        // request comes last, as in real correspondence, after the mixed body.
        let generic = c.chance(0.3)
        let primary = max(1, min(sentences - 1, Int(Double(sentences) * (0.3 + 0.4 * c.uniform()))))
        let secondary = sentences - primary
        var body = c.sample(topicPool(label, c), primary).map { c.fill($0) }
        body += c.sample(topicPool(second, c), secondary).map { c.fill($0) }
        body = c.shuffled(body)
        let subjectLine = c.fill(c.pick(generic ? t.genericSubjects : CorpusText.classPool(t.subjects, label)))
        var b = DocumentBuilder()
        let header = c.pick(t.headers)
        b.add(c.fill(header, ["subject": subjectLine]))
        var i = 0
        while i < body.count {
            let n = min(body.count - i, c.int(2...4))
            b.add(body[i..<(i + n)].joined(separator: " "))
            i += n
        }
        let request = generic ? c.fill(c.pick(CorpusText.classPool(t.requests, label))) + " " : ""
        b.add(c.fill(request + t.closing))
        return b.text
    }
}
