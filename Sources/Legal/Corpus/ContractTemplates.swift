// Contract documents: full agreements (preamble, recitals, numbered sections, signature
// blocks), amendments and statements of work. Text: Corpora/templates/contract.json.

enum ContractTemplates {
    /// Agreement sections in file order, each with its clauses (plus the shared pool it names).
    static func sections(_ c: TextComposer) -> [(title: String, clauses: [String])] {
        c.text.contract.sections.map { resolve($0, c) }
    }

    static func resolve(_ section: CorpusText.Section, _ c: TextComposer) -> (title: String, clauses: [String]) {
        (section.title, (section.clauses ?? []) + (section.shared.flatMap { c.text.shared.pool(named: $0) } ?? []))
    }

    static func clauses(_ title: String, _ c: TextComposer) -> [String] {
        sections(c).first { $0.title == title }?.clauses ?? []
    }

    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...3) {
        case 0, 1: return agreement(&c, kind: c.fill("{agreement}"))
        case 2: return amendment(&c)
        default: return statementOfWork(&c)
        }
    }

    static func bindParties(_ c: inout TextComposer) {
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
    }

    /// Preamble, recitals, numbered sections, signature blocks.
    static func agreement(_ c: inout TextComposer, kind: String, extraSections: [(title: String, clauses: [String])] = []) -> String {
        let t = c.text.contract.agreement
        bindParties(&c)
        let target = drawTargetWords(&c, range: 150...700)
        var b = DocumentBuilder()
        b.add(kind.uppercased())
        b.add(c.fill(t.preamble, ["kind": kind]))
        b.add(c.fill(t.recitals))
        b.add(t.consideration)
        let all = sections(c)
        var chosen = extraSections + c.sample(all.map(\.title), all.count).map { title in (title, clauses(title, c)) }
        if chosen.isEmpty { chosen = [("Miscellaneous", clauses("Miscellaneous", c))] }
        let count = chosen.count
        grow(&b, target: target, reserve: 60, minimum: 2 + extraSections.count) { i in
            let (title, pool) = chosen[i % count]
            return "\(i + 1). \(title). " + c.paragraph(pool, 1...3)
        }
        b.add(t.witness)
        b.add(signatureBlock(c.bindings["A"] ?? "", &c) + "\n\n" + signatureBlock(c.bindings["B"] ?? "", &c))
        return b.text
    }

    static func amendment(_ c: inout TextComposer) -> String {
        let t = c.text.contract.amendment
        bindParties(&c)
        let kind = c.fill("{agreement}")
        let ordinal = c.pick(t.ordinals)
        var b = DocumentBuilder()
        b.add(bind(t.heading, ["ordinal": ordinal, "kind_upper": kind.uppercased()]))
        b.add(c.fill(t.opening, ["ordinal_title": ordinal.capitalized, "kind": kind]))
        b.add(c.fill(t.recital))
        let target = drawTargetWords(&c, range: 80...320)
        let titles = sections(c).map(\.title)
        grow(&b, target: target, reserve: 50, minimum: 2) { i in
            let title = c.pick(titles)
            return c.fill(t.replacement, ["number": "\(i + 1)", "title": title]) + c.paragraph(clauses(title, c), 1...2) + "\""
        }
        b.add(t.closing)
        b.add(signatureBlock(c.bindings["A"] ?? "", &c))
        return b.text
    }

    static func statementOfWork(_ c: inout TextComposer) -> String {
        let t = c.text.contract.statementOfWork
        bindParties(&c)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        let target = drawTargetWords(&c, range: 100...450)
        let parts = t.parts.map { part in (part.title, part.clauses ?? clauses(part.section ?? "", c)) }
        grow(&b, target: target, reserve: 40, minimum: 3) { i in
            let (title, pool) = parts[i % parts.count]
            return "\(title): " + c.paragraph(pool, 1...3)
        }
        b.add(signatureBlock(c.fill(t.signatory), &c))
        return b.text
    }
}
