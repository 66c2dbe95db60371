// Contract documents: full agreements (preamble, recitals, numbered sections, signature
// blocks), amendments, statements of work and termination notices.

enum ContractTemplates {
    static let sectionTitles = [
        "Definitions", "Services", "Fees and Payment", "Term and Termination", "Representations and Warranties",
        "Indemnification", "Limitation of Liability", "Confidentiality", "Intellectual Property", "Assignment",
        "Force Majeure", "Dispute Resolution", "Insurance", "Miscellaneous",
    ]
    static let clauses: [String: [String]] = [
        "Definitions": [
            "\"Affiliate\" means any entity that directly or indirectly controls, is controlled by, or is under common control with a party.",
            "\"Deliverables\" means all work product furnished by {B} under this Agreement, including documentation and reports.",
            "\"Business Day\" means any day other than a Saturday, Sunday or a day on which banks in {city} are authorized to close.",
        ],
        "Services": [
            "{B} shall provide the {product} described in each Statement of Work in a professional and workmanlike manner.",
            "{A} may request changes to the scope of the Services by written change order signed by both parties.",
            "{B} shall assign qualified personnel and shall not replace key personnel without the prior consent of {A}.",
            "Delivery shall be made FOB origin, and title and risk of loss shall pass to {A} upon delivery to the carrier.",
        ],
        "Fees and Payment": [
            "{A} shall pay {B} the fees set forth in Schedule A, not to exceed {amount} in the aggregate without a written amendment.",
            "Invoices are payable within {days} days of receipt; late amounts bear interest at the lesser of 1.5% per month or the maximum lawful rate.",
            "All fees are exclusive of sales, use and value-added taxes, which shall be borne by {A}.",
        ],
        "Term and Termination": [
            "This Agreement commences on the Effective Date and continues for an initial term of {years} years, renewing automatically for successive one-year terms.",
            "Either party may terminate this Agreement upon {days} days' written notice if the other party materially breaches it and fails to cure the breach within such period.",
            "Upon termination, each party shall return or destroy the Confidential Information of the other party.",
            "Sections 6, 7 and 8 shall survive any expiration or termination of this Agreement.",
        ],
        "Representations and Warranties": [
            "Each party represents that it is duly organized, validly existing and in good standing under the laws of its jurisdiction of organization.",
            "{B} warrants that the Deliverables will conform in all material respects to the specifications for a period of {days} days after acceptance.",
            "EXCEPT AS EXPRESSLY SET FORTH HEREIN, NEITHER PARTY MAKES ANY WARRANTY, EXPRESS OR IMPLIED, INCLUDING ANY WARRANTY OF MERCHANTABILITY OR FITNESS FOR A PARTICULAR PURPOSE.",
        ],
        "Indemnification": [
            "{B} shall defend, indemnify and hold harmless {A} from and against all third-party claims, losses and expenses, including reasonable attorneys' fees, arising out of its gross negligence or willful misconduct.",
            "The indemnified party shall give prompt written notice of any claim and permit the indemnifying party to control the defense and settlement thereof.",
        ],
        "Limitation of Liability": [
            "IN NO EVENT SHALL EITHER PARTY BE LIABLE FOR ANY INDIRECT, INCIDENTAL, CONSEQUENTIAL OR PUNITIVE DAMAGES.",
            "Each party's aggregate liability under this Agreement shall not exceed the fees paid in the twelve (12) months preceding the claim.",
        ],
        "Confidentiality": SharedClauses.confidentiality,
        "Intellectual Property": [
            "All Deliverables shall be works made for hire, and {B} hereby assigns to {A} all right, title and interest therein.",
            "{B} retains ownership of its pre-existing materials and grants {A} a non-exclusive, royalty-free license to use them with the Deliverables.",
        ],
        "Assignment": [
            "Neither party may assign this Agreement without the prior written consent of the other party, except to a successor in a merger or sale of substantially all of its assets.",
            "This Agreement binds and benefits the parties and their respective successors and permitted assigns.",
        ],
        "Force Majeure": [
            "Neither party shall be liable for any delay caused by events beyond its reasonable control, including acts of God, war, epidemic or governmental action.",
        ],
        "Dispute Resolution": [
            "The parties shall first attempt to resolve any dispute through good-faith negotiation between senior executives.",
            "Any dispute not resolved within {days} days shall be finally settled by binding arbitration in {city} under the Commercial Arbitration Rules of the American Arbitration Association.",
        ] + SharedClauses.governingLaw,
        "Insurance": [
            "{B} shall maintain commercial general liability insurance with limits of not less than {amount} per occurrence.",
        ],
        "Miscellaneous": [
            "This Agreement constitutes the entire agreement between the parties and supersedes all prior understandings.",
            "This Agreement may be executed in counterparts, each of which shall be deemed an original.",
            "No amendment or waiver shall be effective unless in writing and signed by both parties.",
        ] + SharedClauses.notices,
    ]

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
    static func agreement(_ c: inout TextComposer, kind: String, extraSections: [(String, [String])] = []) -> String {
        bindParties(&c)
        let target = drawTargetWords(&c, range: 150...700)
        var b = DocumentBuilder()
        b.add(kind.uppercased())
        b.add(c.fill("This \(kind) (the \"Agreement\") is entered into as of {date} (the \"Effective Date\") by and between {A}, a {state} corporation, and {B}, a {state} limited liability company (each a \"Party\")."))
        b.add(c.fill("WHEREAS, {A} desires to obtain, and {B} is willing to provide, the {product} on the terms set forth herein; and WHEREAS, the parties wish to set forth their respective rights and obligations;"))
        b.add("NOW, THEREFORE, in consideration of the mutual covenants contained herein and for other good and valuable consideration, the receipt and sufficiency of which are hereby acknowledged, the parties agree as follows:")
        var sections = extraSections + c.sample(sectionTitles, sectionTitles.count).map { ($0, clauses[$0] ?? []) }
        if sections.isEmpty { sections = [("Miscellaneous", clauses["Miscellaneous"] ?? [])] }
        let count = sections.count
        grow(&b, target: target, reserve: 60, minimum: 2 + extraSections.count) { i in
            let (title, pool) = sections[i % count]
            return "\(i + 1). \(title). " + c.paragraph(pool, 1...3)
        }
        b.add("IN WITNESS WHEREOF, the parties have executed this Agreement as of the Effective Date.")
        b.add(signatureBlock(c.bindings["A"] ?? "", &c) + "\n\n" + signatureBlock(c.bindings["B"] ?? "", &c))
        return b.text
    }

    static func amendment(_ c: inout TextComposer) -> String {
        bindParties(&c)
        let kind = c.fill("{agreement}")
        let ordinal = c.pick(["FIRST", "SECOND", "THIRD", "FOURTH"])
        var b = DocumentBuilder()
        b.add("\(ordinal) AMENDMENT TO \(kind.uppercased())")
        b.add(c.fill("This \(ordinal.capitalized) Amendment is made as of {date} by and between {A} and {B}, and amends the \(kind) between the parties dated {date} (the \"Agreement\")."))
        b.add(c.fill("WHEREAS, the parties wish to extend the term of the Agreement and to revise the pricing set forth therein;"))
        let target = drawTargetWords(&c, range: 80...320)
        grow(&b, target: target, reserve: 50, minimum: 2) { i in
            let title = c.pick(sectionTitles)
            return c.fill("\(i + 1). {section} of the Agreement (\(title)) is hereby deleted and replaced in its entirety with the following: \"") + c.paragraph(clauses[title] ?? [], 1...2) + "\""
        }
        b.add("Except as expressly amended hereby, the Agreement remains in full force and effect. In the event of any conflict between this Amendment and the Agreement, this Amendment shall control.")
        b.add(signatureBlock(c.bindings["A"] ?? "", &c))
        return b.text
    }

    static func statementOfWork(_ c: inout TextComposer) -> String {
        bindParties(&c)
        var b = DocumentBuilder()
        b.add(c.fill("STATEMENT OF WORK NO. {n}"))
        b.add(c.fill("This Statement of Work is issued under and governed by the Master Services Agreement dated {date} between {A} (\"Client\") and {B} (\"Provider\")."))
        let target = drawTargetWords(&c, range: 100...450)
        let parts: [(String, [String])] = [
            ("Scope", clauses["Services"] ?? []), ("Deliverables and Milestones", [
                "Milestone {n}: delivery of the {product} design documentation by {date}.",
                "Provider shall deliver weekly status reports and attend monthly steering committee meetings.",
                "Client shall have {days} days to accept or reject each Deliverable in writing.",
            ]), ("Fees", clauses["Fees and Payment"] ?? []), ("Assumptions", [
                "Client will provide timely access to its systems, facilities and personnel.",
                "Any work outside the scope described herein requires a change order.",
            ]),
        ]
        grow(&b, target: target, reserve: 40, minimum: 3) { i in
            let (title, pool) = parts[i % parts.count]
            return "\(title): " + c.paragraph(pool, 1...3)
        }
        b.add(signatureBlock("Client: " + (c.bindings["A"] ?? ""), &c))
        return b.text
    }
}
