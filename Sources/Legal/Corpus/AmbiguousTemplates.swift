// Genuinely ambiguous documents: each is labelled by its purpose while its vocabulary comes
// largely from another class — a patent licence is a Contract, a complaint for patent
// infringement is Litigation, a litigation-hold policy is Compliance, a board resolution
// approving a contract is Corporate, an inter partes review petition is a Patent matter.

enum AmbiguousTemplates {
    static func generate(_ label: LegalClass, _ c: inout TextComposer) -> String {
        switch label {
        case .contract: return contract(&c)
        case .patent: return patent(&c)
        case .litigation: return litigation(&c)
        case .compliance: return compliance(&c)
        case .corporate: return corporate(&c)
        }
    }

    static func contract(_ c: inout TextComposer) -> String {
        switch c.int(0...3) {
        case 0:
            return ContractTemplates.agreement(&c, kind: "Patent License Agreement", extraSections: [
                ("License Grant", ["Licensor hereby grants to Licensee a non-exclusive license under the Licensed Patents, including {patentno}, to make, use, sell and import the {tech}.",
                                   "Licensee shall pay Licensor a running royalty of {pct} of Net Sales of Licensed Products, payable quarterly.",
                                   "The Licensed Patents include all continuations, divisionals and reissues of {appno}."]),
                ("Patent Enforcement", ["Licensor shall have the first right to bring an action for infringement of the Licensed Patents, and Licensee shall cooperate in any such litigation at Licensor's expense.",
                                        "Licensee shall not challenge the validity of any claim of the Licensed Patents before the Patent Trial and Appeal Board or any court."]),
            ])
        case 1:
            return ContractTemplates.agreement(&c, kind: "Settlement Agreement and Mutual Release", extraSections: [
                ("Background of the Dispute", ["{A} filed a complaint against {B} in the United States District Court for the {district}, Civil Action No. {caseno}, alleging breach of contract and fraudulent misrepresentation.",
                                               "{B} denies the allegations of the complaint and any liability, and this Agreement is not an admission of wrongdoing."]),
                ("Settlement Payment and Dismissal", ["{B} shall pay {A} the sum of {amount} within {days} days of the Effective Date.",
                                                      "Within five (5) business days after receipt of payment, the parties shall file a stipulation of dismissal of the action with prejudice, each party to bear its own attorneys' fees and costs."]),
                ("Release", ["Each party releases the other from all claims, demands and causes of action, known or unknown, arising out of the facts alleged in the action."]),
            ])
        case 2:
            return ContractTemplates.agreement(&c, kind: "Data Processing Agreement", extraSections: [
                ("Compliance with Data Protection Laws", ["Processor shall process Personal Data only on documented instructions of Controller and in compliance with {regulation}.",
                                                         "Processor shall maintain a written information security program and submit to annual compliance audits by Controller.",
                                                         "Processor shall notify Controller of any personal data breach without undue delay and in any event within 72 hours."]),
            ])
        default:
            return ContractTemplates.agreement(&c, kind: "Stock Purchase Agreement", extraSections: [
                ("Purchase and Sale of Shares", ["Subject to the terms hereof, {A} agrees to purchase, and {B} agrees to sell, {shares} shares of Series B Preferred Stock at a price of $1.{n} per share.",
                                                 "The Closing is conditioned upon approval of the transaction by the Board of Directors of {B} and the filing of the Amended and Restated Certificate of Incorporation."]),
            ])
        }
    }

    static func patent(_ c: inout TextComposer) -> String {
        let software = ["system and method for automated regulatory compliance monitoring",
                        "method for extracting obligations from contract documents",
                        "system for electronic discovery and litigation hold management",
                        "method for electronic voting at shareholder meetings"]
        switch c.int(0...3) {
        case 0: return ipr(&c)
        case 1:
            return PatentTemplates.application(&c, title: c.pick(software), extra: [
                c.fill("Organizations must comply with {regulation} and manage large numbers of agreements, policies and court filings, and manual review of such documents is slow and error-prone."),
            ])
        case 2: return PatentTemplates.officeAction(&c, subject: c.pick(software))
        default: return assignment(&c)
        }
    }

    static func ipr(_ c: inout TextComposer) -> String {
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 150...650)
        var b = DocumentBuilder()
        b.add(c.fill("UNITED STATES PATENT AND TRADEMARK OFFICE\nBEFORE THE PATENT TRIAL AND APPEAL BOARD\n{A}, Petitioner,\nv.\n{B}, Patent Owner.\nCase IPR{year}-00{n}{n}\n{patentno}\nPETITION FOR INTER PARTES REVIEW"))
        b.add(c.fill("Petitioner requests inter partes review and cancellation of claims 1-{n} of {patentno} (\"the patent\"). The patent is asserted against Petitioner in {B} v. {A}, Civil Action No. {caseno} (the {district})."))
        let tech = c.fill("{tech}")
        b.add(PatentTemplates.claims(&c, tech: tech, count: c.int(2...4)))
        grow(&b, target: target, reserve: 30, minimum: 1) { i in
            "GROUND \(i + 1): " + c.paragraph(PatentTemplates.rejections, 2...3)
        }
        b.add("Petitioner has demonstrated a reasonable likelihood of prevailing with respect to at least one challenged claim and requests that trial be instituted.")
        return b.text
    }

    static func assignment(_ c: inout TextComposer) -> String {
        var b = DocumentBuilder()
        b.add(c.fill("PATENT ASSIGNMENT\nRecorded with the United States Patent and Trademark Office"))
        b.add(c.fill("For good and valuable consideration, the receipt of which is hereby acknowledged, {person}, an inventor residing in {city}, {state} (\"Assignor\"), hereby sells, assigns and transfers to {company} (\"Assignee\") the entire right, title and interest in and to the invention entitled \"{tech}\" described in {appno}, and in any patent issuing thereon, including {patentno}."))
        b.add(c.fill("Assignor authorizes the Commissioner for Patents to issue any patent on the application to Assignee and agrees to execute all papers necessary to prosecute the application, including continuations and divisionals, and to testify in any interference or derivation proceeding."))
        let target = drawTargetWords(&c, range: 80...260)
        grow(&b, target: target, reserve: 20, minimum: 0) { _ in c.paragraph(PatentTemplates.description, 1...2) }
        b.add(c.fill("Executed on {date}.\n/s/ {person}, Assignor"))
        return b.text
    }

    static func litigation(_ c: inout TextComposer) -> String {
        switch c.int(0...3) {
        case 0:
            let tech = c.fill("{tech}")
            let claimText = PatentTemplates.claims(&c, tech: tech, count: 2)
            return LitigationTemplates.complaint(&c, counts: [c.fill("Infringement of {patentno}")], facts: [
                "Plaintiff is the owner of all right, title and interest in {patentno}, entitled \"\(tech)\", which was duly issued by the United States Patent and Trademark Office on {date}.",
                "Defendant makes, uses, sells and offers to sell products that practice each limitation of at least claim {claim} of the patent.",
                "Claim 1 of the patent recites \"\(claimText.split(separator: "\n").dropFirst(2).first ?? "")\"",
                "Defendant has had actual notice of the patent since at least {date}, and its infringement is willful.",
                "The accused products include {component}, as recited in the asserted claims.",
            ], nature: "1. This is an action for patent infringement arising under the patent laws of the United States, 35 U.S.C. § 1 et seq.")
        case 1:
            return LitigationTemplates.complaint(&c, counts: ["Breach of Contract", "Breach of the Implied Covenant of Good Faith and Fair Dealing"], facts: [
                "On {date}, Plaintiff and Defendant entered into a {agreement} (the \"Agreement\"), a true and correct copy of which is attached as Exhibit A.",
                "{section} of the Agreement provides that invoices are payable within {days} days of receipt.",
                "The Agreement further provides that either party may terminate only upon written notice and a failure to cure within the cure period.",
                "Defendant purported to terminate the Agreement on {date} without notice and without any opportunity to cure.",
                "Defendant has failed to pay invoices totaling {amount} under the Agreement.",
            ])
        case 2:
            return LitigationTemplates.complaint(&c, counts: ["Violations of the Books and Records Provisions", "Violations of the Internal Accounting Controls Provisions"], facts: [
                "From {year} through {year}, Defendant's subsidiaries made improper payments to foreign officials in violation of {regulation}.",
                "Defendant's compliance program failed to conduct adequate due diligence on third-party intermediaries.",
                "Internal audit findings identifying deficiencies in the approval of payments were not remediated.",
                "Defendant lacked internal accounting controls sufficient to provide reasonable assurance that transactions were executed in accordance with management's authorization.",
            ], nature: "1. The Securities and Exchange Commission brings this civil enforcement action to obtain disgorgement, civil penalties and injunctive relief.")
        default:
            return LitigationTemplates.complaint(&c, counts: ["Breach of Fiduciary Duty", "Unjust Enrichment"], facts: [
                "The Individual Defendants, as members of the Board of Directors, owed the company and its stockholders fiduciary duties of loyalty and care.",
                "At a board meeting held on {date}, the directors approved the merger without obtaining a fairness opinion or considering alternative bids.",
                "The company's Form 8-K filed on {date} omitted material information regarding the directors' conflicts of interest.",
                "Plaintiff has held shares of the company's common stock continuously at all relevant times and brings this action derivatively.",
            ], nature: "1. This is a stockholder derivative action brought on behalf of the company against certain of its officers and directors.")
        }
    }

    static func compliance(_ c: inout TextComposer) -> String {
        switch c.int(0...3) {
        case 0:
            return ComplianceTemplates.policy(&c, area: "Litigation Hold and Document Preservation", extra: [
                "When litigation is reasonably anticipated, the Legal Department shall issue a written litigation hold notice to all custodians of potentially relevant information.",
                "Custodians must preserve all documents relevant to any pending complaint, subpoena or government investigation, including Civil Action No. {caseno}, and must suspend routine deletion.",
                "Failure to preserve evidence may expose the company to court sanctions, adverse inference instructions and default judgment.",
            ])
        case 1:
            return ComplianceTemplates.policy(&c, area: "Contract Review and Approval", extra: [
                "All agreements with a total value above {amount}, including Master Services Agreements and Non-Disclosure Agreements, must be reviewed by the Legal Department before execution.",
                "Indemnification, limitation of liability and governing law clauses that deviate from the approved templates require written approval from the General Counsel.",
                "Contracts must be executed only by signatories holding delegated authority under the signature authority matrix.",
            ])
        case 2:
            return ComplianceTemplates.policy(&c, area: "Invention Disclosure and Patent", extra: [
                "Employees must submit an invention disclosure form for any invention, including any improvement to a {tech}, before any public disclosure.",
                "The Patent Committee determines whether to file a patent application with the United States Patent and Trademark Office and controls prosecution of all claims.",
                "Employees may not use third-party patented technology without clearance from the IP compliance team.",
            ])
        default:
            return ComplianceTemplates.policy(&c, area: "Insider Trading", extra: [
                "Directors, officers and designated employees may not trade in company securities during blackout periods beginning two weeks before the end of each fiscal quarter.",
                "All trades by directors and Section 16 officers must be pre-cleared by the General Counsel, and Forms 4 must be filed within two business days.",
                "Material nonpublic information includes pending mergers, board decisions, and developments that would be disclosed on Form 8-K.",
            ])
        }
    }

    static func corporate(_ c: inout TextComposer) -> String {
        switch c.int(0...3) {
        case 0:
            return CorporateTemplates.boardResolution(&c, whereasExtra: [
                "WHEREAS, the Corporation proposes to enter into a {agreement} with {company} (the \"Agreement\"), substantially in the form presented to the Board, providing for payments of up to {amount} over a term of {years} years;",
            ], resolvedExtra: [
                "RESOLVED, that the form, terms and provisions of the Agreement, including its indemnification, limitation of liability and termination provisions, are hereby approved in all respects;",
                "RESOLVED, that the {officer} is authorized to negotiate and execute the Agreement with such changes as the officer executing it deems necessary, such execution to be conclusive evidence of approval;",
            ])
        case 1:
            return CorporateTemplates.minutes(&c, extraItems: [
                "The General Counsel reported on the status of the litigation captioned {company} v. {A}, Civil Action No. {caseno}, pending in the {district}, including the court's ruling on the motion for summary judgment.",
                "After discussion, upon motion duly made and seconded, the Board authorized management to settle the litigation for an amount not to exceed {amount}, subject to a full release of all claims.",
            ])
        case 2:
            return CorporateTemplates.currentReport(&c, extraItems: [
                ("Item 8.01 Other Events", "On {date}, a jury in the United States District Court for the {district} returned a verdict finding that the Company infringed claims {claim} and {n} of {patentno} and awarding damages of {amount}. The Company intends to file post-trial motions and, if necessary, appeal."),
            ])
        default:
            return CorporateTemplates.boardResolution(&c, whereasExtra: [
                "WHEREAS, the Chief Compliance Officer presented to the Board an assessment of the Corporation's compliance program under {regulation}, including open internal audit findings;",
            ], resolvedExtra: [
                "RESOLVED, that the Anti-Corruption Policy and the Third-Party Due Diligence Procedures, in the forms presented to the Board, are hereby adopted;",
                "RESOLVED, that the Audit Committee shall oversee the Corporation's compliance program and receive quarterly reports from the Chief Compliance Officer;",
            ])
        }
    }
}
