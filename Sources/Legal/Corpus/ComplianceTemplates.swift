// Compliance documents: internal policies, internal-audit findings, regulatory notices and
// compliance alerts, annual certifications.

enum ComplianceTemplates {
    static let policyAreas = [
        "Anti-Corruption", "Data Privacy", "Anti-Money Laundering", "Export Controls and Sanctions",
        "Records Retention", "Third-Party Due Diligence", "Gifts and Entertainment", "Information Security",
        "Whistleblower Protection", "Conflicts of Interest",
    ]
    static let policyBody = [
        "This Policy applies to all directors, officers, employees and contractors of {A} and its subsidiaries worldwide.",
        "Employees must comply with {regulation} and all applicable local laws and regulations.",
        "The Chief Compliance Officer is responsible for administering this Policy and for reporting material violations to the Audit Committee.",
        "All third-party intermediaries must undergo risk-based due diligence before engagement and at least every {years} years thereafter.",
        "Employees shall complete annual compliance training and certify their adherence to this Policy.",
        "Suspected violations must be reported promptly through the compliance hotline; retaliation against good-faith reporters is strictly prohibited.",
        "Records shall be retained for the periods set forth in the retention schedule and disposed of securely thereafter.",
        "Personal data may be transferred outside the jurisdiction only where appropriate safeguards are in place.",
        "Violations of this Policy may result in disciplinary action up to and including termination of employment.",
        "Business units shall perform a documented risk assessment at least annually and report the results to the Compliance Committee.",
        "Managers who receive a report of a suspected violation must forward it to the Compliance Department within two business days and must not investigate it themselves.",
        "No employee may offer or accept a gift, meal or entertainment with a value above {small} without documented pre-approval.",
        "Exceptions to this Policy require the written approval of the Chief Compliance Officer and are recorded in the exceptions register.",
        "The Compliance Department will review this Policy at least annually and recommend changes to the Audit Committee.",
        "Business sponsors are responsible for monitoring the ongoing conduct of the third parties they engage.",
    ]
    static let findings = [
        "Access reviews for privileged accounts were not performed quarterly as required by the control framework.",
        "{n} of {n} sampled vendor files lacked evidence of sanctions screening prior to onboarding.",
        "Expense reports totaling {small} were approved without the required supporting documentation.",
        "The transaction monitoring system generated alerts that remained uninvestigated for more than {days} days.",
        "Data retention schedules were not consistently applied to customer records in the {product} business unit.",
        "Training completion for high-risk employees was {pct} below the annual target.",
        "Segregation of duties conflicts were identified in the accounts payable process.",
        "The conflicts-of-interest register had not been updated since {date}, and {n} disclosures were missing.",
        "Sanctions screening lists in the payments platform were refreshed weekly rather than daily as the procedure requires.",
        "Gifts exceeding the approval threshold were recorded after the fact in {n} instances.",
        "Hotline reports were closed without documented investigation steps or management sign-off.",
        "User access for terminated employees was not removed within {days} days in {n} sampled cases.",
    ]
    static let responses = [
        "Management agrees with the finding and will implement an automated quarterly review by {date}.",
        "Remediation owner: {person}, {officer}. Target completion date: {date}.",
        "Risk rating: High. Repeat finding from the prior audit cycle.",
        "Risk rating: Medium. Compensating controls were partially effective.",
        "Internal Audit will perform follow-up testing to validate remediation.",
        "Risk rating: Low. Observation only; no remediation plan required.",
        "Management partially agrees with the finding and has proposed an alternative control for Internal Audit's review.",
        "The control owner will document the revised procedure and train affected staff by {date}.",
    ]
    static let regulatory = [
        "Effective {date}, covered institutions must file reports of suspicious activity within thirty (30) calendar days of initial detection.",
        "{agency} has issued guidance clarifying the obligations of regulated entities under {regulation}.",
        "Firms are expected to maintain written supervisory procedures reasonably designed to achieve compliance.",
        "Failure to comply may result in civil money penalties of up to {amount} per violation.",
        "Entities must designate a qualified individual responsible for overseeing the information security program.",
        "The rule requires annual independent testing of the compliance program and board-level reporting of the results.",
        "Covered entities must notify affected individuals of a breach of unsecured personal information without unreasonable delay.",
        "{agency} expects firms to document the rationale for any decision not to file a report after an alert has been escalated.",
        "Supervised firms should be prepared to demonstrate that their risk assessment reflects their products, customers and geographic footprint.",
        "The amended rule extends recordkeeping obligations to electronic communications on messaging applications.",
        "Institutions that rely on third-party service providers remain responsible for compliance with {regulation}.",
    ]

    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...4) {
        case 0, 1: return policy(&c, area: c.pick(policyAreas), extra: [])
        case 2: return auditReport(&c)
        case 3: return regulatoryNotice(&c)
        default: return certification(&c)
        }
    }

    static func policy(_ c: inout TextComposer, area: String, extra: [String]) -> String {
        c.bindings["A"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 120...650)
        var b = DocumentBuilder()
        b.add(c.fill("{A}\n\(area.uppercased()) POLICY\nPolicy No. C-{n}{n} | Effective Date: {date} | Owner: Compliance Department"))
        b.add(c.fill("1. PURPOSE\nThe purpose of this Policy is to set forth the standards of conduct required of {A} personnel with respect to \(area.lowercased()) and to ensure compliance with {regulation}."))
        let sections = ["SCOPE", "POLICY STATEMENT", "ROLES AND RESPONSIBILITIES", "REPORTING AND INVESTIGATIONS", "TRAINING", "MONITORING AND TESTING", "VIOLATIONS"]
        let bodies = extra + Array(repeating: "", count: sections.count)
        grow(&b, target: target, reserve: 25, minimum: 2 + extra.count) { i in
            let head = "\(i + 2). \(sections[i % sections.count])\n"
            let lead = i < bodies.count && !bodies[i].isEmpty ? c.fill(bodies[i]) + " " : ""
            return head + lead + c.paragraph(policyBody, 1...3)
        }
        b.add(c.fill("Approved by the Compliance Committee on {date}. This Policy shall be reviewed at least annually."))
        return b.text
    }

    static func auditReport(_ c: inout TextComposer) -> String {
        c.bindings["A"] = c.fill("{company}")
        let target = drawTargetWords(&c, range: 120...600)
        let area = c.pick(policyAreas)
        var b = DocumentBuilder()
        b.add(c.fill("INTERNAL AUDIT REPORT\n\(area) Controls Review — {A}\nReport No. IA-{year}-{n}\nDistribution: Audit Committee; Chief Compliance Officer"))
        b.add(c.fill("EXECUTIVE SUMMARY\nInternal Audit assessed the design and operating effectiveness of controls supporting compliance with {regulation} for the period ended {date}. Overall rating: \(c.pick(["Needs Improvement", "Unsatisfactory", "Satisfactory with Exceptions"]))."))
        grow(&b, target: target, reserve: 20, minimum: 1) { i in
            "Finding \(i + 1): " + c.line(findings) + " " + c.paragraph(responses, 1...2)
        }
        b.add("Internal Audit thanks management for its cooperation during this review.")
        return b.text
    }

    static func regulatoryNotice(_ c: inout TextComposer) -> String {
        let target = drawTargetWords(&c, range: 100...550)
        var b = DocumentBuilder()
        b.add(c.fill("\(c.pick(["REGULATORY NOTICE", "COMPLIANCE ALERT", "GUIDANCE BULLETIN"])) {year}-{n}\nIssued by: {agency}\nSubject: Obligations under {regulation}"))
        b.add(c.fill("{agency} is issuing this notice to remind regulated entities of their obligations and to describe supervisory expectations going forward."))
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in c.paragraph(regulatory, 2...3) }
        b.add("Questions regarding this notice may be directed to the Office of Compliance Inspections. This notice does not create new legal obligations beyond those in the applicable statute and rules.")
        return b.text
    }

    static func certification(_ c: inout TextComposer) -> String {
        c.bindings["A"] = c.fill("{company}")
        var b = DocumentBuilder()
        b.add(c.fill("ANNUAL COMPLIANCE CERTIFICATION\n{A} — Fiscal Year {year}"))
        b.add(c.fill("I, {person}, {officer} of {A}, certify that, to the best of my knowledge after reasonable inquiry, the company maintained a compliance program reasonably designed to ensure compliance with {regulation} during the certification period."))
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, reserve: 15, minimum: 1) { _ in c.paragraph(policyBody + findings, 1...3) }
        b.add(c.fill("Exceptions noted, if any, are described in Schedule 1 and have been reported to the Audit Committee.\nSigned: {person}\nDate: {date}"))
        return b.text
    }
}
