// The shared vocabulary every class draws from (Corpora/templates/vocabulary.json: party names,
// people, places, courts, technologies, regulators) and the number formats drawn here (dates,
// amounts, case, patent and application numbers). Sharing it across classes is deliberate —
// names, dates and money appear in every kind of legal document, so they never decide the class.

import Docket

enum LegalVocabulary {
    /// Draws a value for a `{slot}`; unknown slots are returned verbatim so a typo is visible.
    static func draw(_ key: String, _ c: inout TextComposer) -> String {
        let v = c.text.vocabulary
        switch key {
        case "company": return c.pick(v.companyStems) + " " + c.pick(v.companySuffixes)
        case "person": return c.pick(v.firstNames) + " " + c.pick(v.lastNames)
        case "officer": return c.pick(v.officerTitles)
        case "state": return c.pick(v.states)
        case "city": return c.pick(v.cities)
        case "district": return c.pick(v.districts)
        case "date": return "\(c.pick(v.months)) \(c.int(1...28)), \(c.int(2019...2026))"
        case "year": return "\(c.int(2019...2026))"
        case "amount": return money(c.int(5...950) * [1_000, 10_000, 100_000][c.int(0...2)])
        case "small": return money(c.int(2...95) * 500)
        case "days": return c.pick(v.days)
        case "years": return c.pick(v.years)
        case "pct": return "\(c.int(1...25)).\(c.int(0...9))%"
        case "n": return "\(c.int(2...40))"
        case "hour": return "\(c.int(8...11))"
        case "claim": return "\(c.int(1...30))"
        case "section": return "Section \(c.int(1...14)).\(c.int(1...9))"
        case "caseno": return "\(c.int(1...4)):\(c.int(19...26))-cv-\(String(format5: c.int(100...9999)))"
        case "patentno": return "U.S. Patent No. \(c.int(8...12)),\(String(format3: c.int(0...999))),\(String(format3: c.int(0...999)))"
        case "appno": return "Application No. \(c.int(15...18))/\(String(format3: c.int(0...999))),\(String(format3: c.int(0...999)))"
        case "tech": return c.pick(v.technologies)
        case "component": return c.pick(v.components)
        case "regulation": return c.pick(v.regulations)
        case "agency": return c.pick(v.agencies)
        case "product": return c.pick(v.products)
        case "agreement": return c.pick(v.agreementKinds)
        case "judge": return "Hon. " + c.pick(v.firstNames) + " " + c.pick(v.lastNames)
        case "shares": return grouped(c.int(10...900) * 1_000)
        default: return "{" + key + "}"
        }
    }

    /// "$1,250,000" from whole dollars.
    static func money(_ dollars: Int) -> String { "$" + grouped(dollars) }

    /// Thousands separators: 1250000 → "1,250,000" (the reports' `thousands`).
    static func grouped(_ n: Int) -> String { thousands(n) }
}

extension String {
    /// Zero-padded decimal (no Foundation formatting, so output is toolchain-independent).
    init(format3 n: Int) { self.init(zeroPadded: n, width: 3) }
    init(format5 n: Int) { self.init(zeroPadded: n, width: 5) }
    init(zeroPadded n: Int, width: Int) {
        let digits = Swift.String(n)
        self = Swift.String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}
