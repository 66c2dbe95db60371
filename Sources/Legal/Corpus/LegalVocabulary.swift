// The shared vocabulary every class draws from: party names, people, places, courts, dates,
// amounts, technologies, regulators. Sharing it across classes is deliberate — names, dates
// and money appear in every kind of legal document, so they never decide the class.

enum LegalVocabulary {
    static let companyStems = [
        "Northwind", "Meridian", "Halcyon", "Ardent", "Bluestone", "Cobalt", "Everly", "Granite Peak",
        "Harborview", "Ironwood", "Juniper", "Keystone", "Lakeshore", "Marlowe", "Norcross", "Oakhurst",
        "Pinnacle", "Quarry Hill", "Redwood", "Silverline", "Tidewater", "Umber", "Vantage", "Westbrook",
        "Yarrow", "Zenith", "Alder", "Brightwater", "Castellan", "Driftwood", "Ember", "Fairhaven",
    ]
    static let companySuffixes = [
        "Holdings, Inc.", "Technologies LLC", "Capital Partners, L.P.", "Systems Corporation",
        "Logistics, Inc.", "Pharmaceuticals, Inc.", "Bank, N.A.", "Energy LLC", "Medical Devices Corp.",
        "Software, Inc.", "Manufacturing Co.", "Group plc", "Networks, Inc.", "Biosciences, Inc.",
    ]
    static let firstNames = [
        "James", "Maria", "Robert", "Linda", "Michael", "Priya", "David", "Elena", "William", "Aisha",
        "Thomas", "Grace", "Daniel", "Sofia", "Kenneth", "Hannah", "Wei", "Olivia", "Samuel", "Fatima",
    ]
    static let lastNames = [
        "Whitfield", "Okafor", "Delgado", "Brennan", "Nakamura", "Castellano", "Lindqvist", "Harrow",
        "Patel", "Moreau", "Kowalski", "Adeyemi", "Sutherland", "Reyes", "Fitzgerald", "Albrecht",
        "Chen", "Mbeki", "Rasmussen", "Ellison",
    ]
    static let officerTitles = [
        "Chief Executive Officer", "Chief Financial Officer", "General Counsel", "Corporate Secretary",
        "Chief Compliance Officer", "Vice President, Legal", "President", "Chief Operating Officer",
        "Chief Technology Officer", "Treasurer",
    ]
    static let states = [
        "Delaware", "New York", "California", "Texas", "Illinois", "Massachusetts", "Washington",
        "New Jersey", "Georgia", "Colorado",
    ]
    static let cities = [
        "Wilmington", "New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle", "Newark",
        "Atlanta", "Denver", "Palo Alto", "Houston",
    ]
    static let districts = [
        "District of Delaware", "Southern District of New York", "Northern District of California",
        "Eastern District of Texas", "Northern District of Illinois", "District of Massachusetts",
        "Western District of Washington", "District of New Jersey", "Central District of California",
    ]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]
    static let technologies = [
        "wireless charging device", "battery management system", "method for compressing video streams",
        "drug delivery catheter", "distributed database replication system", "semiconductor memory cell",
        "autonomous vehicle navigation system", "biodegradable packaging film", "cloud-based authentication method",
        "solar inverter control circuit", "gene expression assay", "machine learning inference accelerator",
        "orthopedic bone screw", "natural language search engine", "hydraulic fracturing valve",
    ]
    static let components = [
        "a housing having a first end and a second end", "a processor coupled to a memory",
        "a memory storing instructions that, when executed, cause the processor to",
        "an antenna configured to receive a radio frequency signal", "a sensor configured to detect a temperature",
        "a controller operable to adjust a charging current", "a substrate comprising a polymer layer",
        "a transceiver configured to transmit an authentication token", "a valve body defining a fluid passage",
        "a neural network comprising a plurality of layers", "a threaded shaft having a tapered tip",
        "a cache storing a plurality of index entries", "a power converter electrically connected to the array",
    ]
    static let regulations = [
        "the Foreign Corrupt Practices Act", "the General Data Protection Regulation", "the Bank Secrecy Act",
        "the Health Insurance Portability and Accountability Act", "the Sarbanes-Oxley Act",
        "the California Consumer Privacy Act", "the OFAC sanctions regulations", "the Export Administration Regulations",
        "the Anti-Money Laundering Act", "the Fair Credit Reporting Act", "the Clean Air Act",
    ]
    static let agencies = [
        "the Securities and Exchange Commission", "the Department of Justice", "the Federal Trade Commission",
        "the Office of Foreign Assets Control", "the Consumer Financial Protection Bureau",
        "the Environmental Protection Agency", "FINRA", "the Office of the Comptroller of the Currency",
        "the Department of Commerce", "the Information Commissioner's Office",
    ]
    static let products = [
        "enterprise software platform", "medical imaging devices", "industrial sensors", "consumer electronics",
        "specialty chemicals", "payment processing services", "cloud hosting services", "generic pharmaceuticals",
        "logistics management services", "wind turbine components", "data analytics services",
    ]
    static let agreementKinds = [
        "Master Services Agreement", "Supply Agreement", "Software License Agreement", "Consulting Agreement",
        "Distribution Agreement", "Lease Agreement", "Employment Agreement", "Non-Disclosure Agreement",
        "Asset Purchase Agreement", "Loan and Security Agreement",
    ]

    /// Draws a value for a `{slot}`; unknown slots are returned verbatim so a typo is visible.
    static func draw(_ key: String, _ c: inout TextComposer) -> String {
        switch key {
        case "company": return c.pick(companyStems) + " " + c.pick(companySuffixes)
        case "person": return c.pick(firstNames) + " " + c.pick(lastNames)
        case "officer": return c.pick(officerTitles)
        case "state": return c.pick(states)
        case "city": return c.pick(cities)
        case "district": return c.pick(districts)
        case "date": return "\(c.pick(months)) \(c.int(1...28)), \(c.int(2019...2026))"
        case "year": return "\(c.int(2019...2026))"
        case "amount": return money(c.int(5...950) * [1_000, 10_000, 100_000][c.int(0...2)])
        case "small": return money(c.int(2...95) * 500)
        case "days": return c.pick(["ten (10)", "fifteen (15)", "thirty (30)", "forty-five (45)", "sixty (60)", "ninety (90)"])
        case "years": return c.pick(["one (1)", "two (2)", "three (3)", "five (5)", "seven (7)"])
        case "pct": return "\(c.int(1...25)).\(c.int(0...9))%"
        case "n": return "\(c.int(2...40))"
        case "hour": return "\(c.int(8...11))"
        case "claim": return "\(c.int(1...30))"
        case "section": return "Section \(c.int(1...14)).\(c.int(1...9))"
        case "caseno": return "\(c.int(1...4)):\(c.int(19...26))-cv-\(String(format5: c.int(100...9999)))"
        case "patentno": return "U.S. Patent No. \(c.int(8...12)),\(String(format3: c.int(0...999))),\(String(format3: c.int(0...999)))"
        case "appno": return "Application No. \(c.int(15...18))/\(String(format3: c.int(0...999))),\(String(format3: c.int(0...999)))"
        case "tech": return c.pick(technologies)
        case "component": return c.pick(components)
        case "regulation": return c.pick(regulations)
        case "agency": return c.pick(agencies)
        case "product": return c.pick(products)
        case "agreement": return c.pick(agreementKinds)
        case "judge": return "Hon. " + c.pick(firstNames) + " " + c.pick(lastNames)
        case "shares": return grouped(c.int(10...900) * 1_000)
        default: return "{" + key + "}"
        }
    }

    /// "$1,250,000" from whole dollars.
    static func money(_ dollars: Int) -> String { "$" + grouped(dollars) }

    /// Thousands separators: 1250000 → "1,250,000".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
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
