// Corporate documents: board resolutions, meeting minutes, bylaws amendments, 8-K-like
// current reports and stockholder written consents. Text: Corpora/templates/corporate.json.

enum CorporateTemplates {
    typealias ReportItem = CorpusText.Corporate.ReportItem

    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...4) {
        case 0: return boardResolution(&c, whereasExtra: [], resolvedExtra: [])
        case 1: return minutes(&c, extraItems: [])
        case 2: return bylawsAmendment(&c)
        case 3: return currentReport(&c, extraItems: [])
        default: return writtenConsent(&c)
        }
    }

    static func bindCorporation(_ c: inout TextComposer) { c.bindings["A"] = c.fill("{company}") }

    static func boardResolution(_ c: inout TextComposer, whereasExtra: [String], resolvedExtra: [String]) -> String {
        let k = c.text.corporate, t = k.boardResolution
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 100...550)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        for w in whereasExtra { b.add(c.fill(w)) }
        b.add(c.line(k.whereas))
        b.add(t.resolved)
        for r in resolvedExtra { b.add(c.fill(r)) }
        let pool = c.shuffled(k.resolutions)
        grow(&b, target: target, reserve: 40, minimum: resolvedExtra.isEmpty ? 2 : 1) { i in c.fill(pool[i % pool.count]) }
        b.add(c.fill(t.certificate))
        return b.text
    }

    static func minutes(_ c: inout TextComposer, extraItems: [String]) -> String {
        let k = c.text.corporate, t = k.minutes
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 120...650)
        var b = DocumentBuilder()
        let kind = c.pick(t.kinds)
        b.add(c.fill(t.heading, ["kind": kind]))
        b.add(c.fill(t.attendance))
        var items = extraItems.map { c.fill($0) }
        let pool = c.shuffled(k.minutesItems)
        grow(&b, target: target, reserve: 30, minimum: 2) { i in
            if !items.isEmpty { return "\(i + 1). " + items.removeFirst() }
            return "\(i + 1). " + c.fill(pool[i % pool.count]) + (c.chance(0.4) ? " " + c.fill(pool[(i + 3) % pool.count]) : "")
        }
        b.add(c.fill(t.adjournment))
        return b.text
    }

    static func bylawsAmendment(_ c: inout TextComposer) -> String {
        let t = c.text.corporate.bylawsAmendment
        bindCorporation(&c)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, reserve: 30, minimum: 1) { i in "\(i + 1). " + c.line(t.articles) }
        b.add(c.fill(t.closing))
        return b.text
    }

    static func currentReport(_ c: inout TextComposer, extraItems: [ReportItem]) -> String {
        let k = c.text.corporate, t = k.currentReport
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 120...500)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        let items = extraItems + c.sample(k.currentReportItems, c.int(1...3))
        grow(&b, target: target, reserve: 50, minimum: items.count) { i in
            let item = items[i % items.count]
            return item.heading + "\n" + c.fill(item.body) + (i >= items.count ? " " + c.line(k.minutesItems) : "")
        }
        b.add(c.fill(t.signatures))
        return b.text
    }

    static func writtenConsent(_ c: inout TextComposer) -> String {
        let k = c.text.corporate, t = k.writtenConsent
        bindCorporation(&c)
        var b = DocumentBuilder()
        b.add(c.fill(t.heading))
        b.add(c.fill(t.opening))
        let target = drawTargetWords(&c, range: 80...350)
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in c.line(k.resolutions) }
        b.add(c.fill(t.closing))
        return b.text
    }
}
