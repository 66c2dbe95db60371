// Corporate documents: board resolutions, meeting minutes, bylaws amendments, 8-K-like
// current reports and stockholder written consents.

enum CorporateTemplates {
    static let resolutions = [
        "RESOLVED, that the officers of the Corporation be, and each of them hereby is, authorized and directed to execute and deliver all documents and take all actions necessary to carry out the foregoing resolutions;",
        "RESOLVED, that {person} is hereby appointed as {officer} of the Corporation, to serve until a successor is duly elected and qualified;",
        "RESOLVED, that the Corporation is authorized to issue up to {shares} shares of Common Stock, par value $0.001 per share, under the Equity Incentive Plan;",
        "RESOLVED, that a quarterly cash dividend of $0.{n} per share is hereby declared, payable on {date} to stockholders of record on {date};",
        "RESOLVED, that the Corporation's fiscal year budget, as presented to the Board, is hereby approved;",
        "RESOLVED, that the Board hereby ratifies, confirms and approves all actions previously taken by the officers in connection with the matters set forth herein;",
        "RESOLVED, that the Corporation is authorized to open accounts with {company} and that the signatories named on Exhibit A are authorized to act thereon;",
    ]
    static let whereas = [
        "WHEREAS, the Board of Directors has determined that it is advisable and in the best interests of the Corporation and its stockholders to take the actions set forth below;",
        "WHEREAS, the Compensation Committee has recommended that the Board approve the grant of equity awards to certain employees;",
        "WHEREAS, the Board has reviewed the Corporation's capital requirements for the coming fiscal year;",
    ]
    static let minutesItems = [
        "The Chief Financial Officer presented the quarterly financial results, noting revenue of {amount} and operating margin of {pct}.",
        "Following discussion, upon motion duly made and seconded, the Board unanimously approved the minutes of the prior meeting held on {date}.",
        "The Chair of the Audit Committee reported on the committee's meeting with the independent auditors.",
        "Management reviewed the strategic plan, including potential acquisitions in the {product} sector.",
        "The Nominating and Governance Committee recommended that the Board nominate {person} for election at the annual meeting of stockholders.",
        "The directors discussed executive compensation and succession planning in executive session without management present.",
        "A quorum being present, the meeting was called to order at {hour}:00 a.m. by the Chair, who presided.",
    ]
    static let items8K = [
        ("Item 5.02 Departure of Directors or Certain Officers; Election of Directors", "On {date}, {person} notified the Board of Directors of the Company of the decision to resign as {officer}, effective {date}. The resignation was not the result of any disagreement with the Company."),
        ("Item 5.07 Submission of Matters to a Vote of Security Holders", "At the annual meeting held on {date}, stockholders elected each of the director nominees and approved, on an advisory basis, the compensation of the named executive officers."),
        ("Item 2.02 Results of Operations and Financial Condition", "On {date}, the Company issued a press release announcing its financial results for the quarter, reporting revenue of {amount}."),
        ("Item 5.03 Amendments to Articles of Incorporation or Bylaws", "The Board approved an amendment to the Company's Bylaws to implement proxy access and to update advance notice provisions."),
        ("Item 8.01 Other Events", "The Board of Directors authorized a share repurchase program of up to {amount} of the Company's outstanding common stock."),
    ]

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
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 100...550)
        var b = DocumentBuilder()
        b.add(c.fill("RESOLUTIONS OF THE BOARD OF DIRECTORS OF {A}\nAdopted at a meeting held on {date}"))
        for w in whereasExtra { b.add(c.fill(w)) }
        b.add(c.line(whereas))
        b.add("NOW, THEREFORE, BE IT")
        for r in resolvedExtra { b.add(c.fill(r)) }
        let pool = c.shuffled(resolutions)
        grow(&b, target: target, reserve: 40, minimum: resolvedExtra.isEmpty ? 2 : 1) { i in c.fill(pool[i % pool.count]) }
        b.add(c.fill("CERTIFICATE OF SECRETARY\nI, {person}, Corporate Secretary of {A}, certify that the foregoing resolutions were duly adopted by the Board of Directors and remain in full force and effect."))
        return b.text
    }

    static func minutes(_ c: inout TextComposer, extraItems: [String]) -> String {
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 120...650)
        var b = DocumentBuilder()
        b.add(c.fill("MINUTES OF A \(c.pick(["REGULAR", "SPECIAL"])) MEETING OF THE BOARD OF DIRECTORS OF {A}\n{date}, {city}"))
        b.add(c.fill("Directors present: {person}, {person}, {person} and {person}. Also present: {person}, {officer}, and {person}, who acted as secretary of the meeting."))
        var items = extraItems.map { c.fill($0) }
        let pool = c.shuffled(minutesItems)
        grow(&b, target: target, reserve: 30, minimum: 2) { i in
            if !items.isEmpty { return "\(i + 1). " + items.removeFirst() }
            return "\(i + 1). " + c.fill(pool[i % pool.count]) + (c.chance(0.4) ? " " + c.fill(pool[(i + 3) % pool.count]) : "")
        }
        b.add(c.fill("There being no further business, upon motion duly made and seconded, the meeting was adjourned.\n/s/ {person}, Secretary of the Meeting"))
        return b.text
    }

    static func bylawsAmendment(_ c: inout TextComposer) -> String {
        bindCorporation(&c)
        var b = DocumentBuilder()
        b.add(c.fill("AMENDMENT NO. {n} TO THE AMENDED AND RESTATED BYLAWS OF {A}\n(a {state} corporation)"))
        b.add(c.fill("Effective as of {date}, the Amended and Restated Bylaws of {A} are hereby amended as follows, pursuant to resolutions duly adopted by the Board of Directors."))
        let articles = [
            "Article II, Section {n} is amended and restated in its entirety to provide that special meetings of stockholders may be called by stockholders holding at least {pct} of the outstanding shares.",
            "Article III, Section {n} is amended to provide that the number of directors constituting the whole Board shall be fixed from time to time by resolution of the Board.",
            "Article IV is amended to add a new Section {n} providing that the Board may designate one or more committees, each consisting of one or more directors.",
            "Article VII is amended to provide that the Court of Chancery of the State of Delaware shall be the exclusive forum for derivative actions.",
            "Article V, Section {n} is amended to permit notice of meetings by electronic transmission.",
        ]
        let target = drawTargetWords(&c, range: 80...300)
        grow(&b, target: target, reserve: 30, minimum: 1) { i in "\(i + 1). " + c.line(articles) }
        b.add(c.fill("Except as set forth herein, the Bylaws remain unchanged and in full force and effect.\nCertified by: {person}, Corporate Secretary"))
        return b.text
    }

    static func currentReport(_ c: inout TextComposer, extraItems: [(String, String)]) -> String {
        bindCorporation(&c)
        let target = drawTargetWords(&c, range: 120...500)
        var b = DocumentBuilder()
        b.add(c.fill("UNITED STATES SECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\nFORM 8-K\nCURRENT REPORT\nPursuant to Section 13 or 15(d) of the Securities Exchange Act of 1934\nDate of Report: {date}\n{A}\n(Exact name of registrant as specified in its charter)\n{state} | Commission File Number 001-{n}{n}{n}"))
        let items = extraItems + c.sample(items8K, c.int(1...3))
        grow(&b, target: target, reserve: 50, minimum: items.count) { i in
            let (head, body) = items[i % items.count]
            return head + "\n" + c.fill(body) + (i >= items.count ? " " + c.line(minutesItems) : "")
        }
        b.add(c.fill("SIGNATURES\nPursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be signed on its behalf by the undersigned hereunto duly authorized.\n{A}\nBy: /s/ {person}\n{officer}"))
        return b.text
    }

    static func writtenConsent(_ c: inout TextComposer) -> String {
        bindCorporation(&c)
        var b = DocumentBuilder()
        b.add(c.fill("ACTION BY WRITTEN CONSENT OF THE STOCKHOLDERS OF {A}"))
        b.add(c.fill("The undersigned, being the holders of a majority of the outstanding shares of capital stock of {A}, a {state} corporation, acting pursuant to Section 228 of the Delaware General Corporation Law, hereby consent to the adoption of the following resolutions:"))
        let target = drawTargetWords(&c, range: 80...350)
        grow(&b, target: target, reserve: 30, minimum: 1) { _ in c.line(resolutions) }
        b.add(c.fill("This consent may be executed in counterparts and delivered by electronic signature.\nStockholder: {company}\nBy: /s/ {person}\nShares held: {shares}"))
        return b.text
    }
}
