// Litigation documents: complaints (caption, parties, jurisdiction, counts, prayer),
// motions (legal standard, argument), opinions and orders.

enum LitigationTemplates {
    static let jurisdiction = [
        "This Court has subject matter jurisdiction under 28 U.S.C. §§ 1331 and 1332 because the amount in controversy exceeds $75,000, exclusive of interest and costs.",
        "Venue is proper in this District under 28 U.S.C. § 1391 because a substantial part of the events giving rise to the claims occurred here.",
        "This Court has personal jurisdiction over Defendant because it regularly transacts business in this District.",
    ]
    static let facts = [
        "On or about {date}, Defendant {B} represented to Plaintiff that the {product} would be delivered on schedule.",
        "Plaintiff relied on these representations to its detriment and incurred damages of not less than {amount}.",
        "Despite repeated demands, Defendant has refused to pay the outstanding balance.",
        "Defendant's conduct was willful, deliberate and in reckless disregard of Plaintiff's rights.",
        "Upon information and belief, Defendant continued the wrongful conduct after receiving Plaintiff's demand letter dated {date}.",
        "Plaintiff has performed all conditions precedent to the relief requested herein.",
    ]
    static let counts = [
        "Breach of Contract", "Fraudulent Misrepresentation", "Unjust Enrichment", "Tortious Interference",
        "Breach of Fiduciary Duty", "Declaratory Judgment", "Negligence", "Violation of the Lanham Act",
    ]
    static let standards = [
        "To survive a motion to dismiss, a complaint must contain sufficient factual matter, accepted as true, to state a claim to relief that is plausible on its face.",
        "Summary judgment is appropriate where there is no genuine dispute as to any material fact and the movant is entitled to judgment as a matter of law. Fed. R. Civ. P. 56(a).",
        "A preliminary injunction is an extraordinary remedy that requires a showing of likely success on the merits and irreparable harm.",
        "The Court construes the pleadings in the light most favorable to the non-moving party.",
        "A claim is facially plausible when the pleaded facts allow the Court to draw the reasonable inference that the defendant is liable for the misconduct alleged.",
        "Contract interpretation is a question of law where the language of the agreement is clear and unambiguous.",
        "The party seeking to compel arbitration must show that a valid agreement to arbitrate exists and covers the dispute.",
        "Fraud claims must be pleaded with particularity under Rule 9(b), stating the who, what, when, where and how of the alleged misrepresentation.",
        "The Court reviews the magistrate judge's recommendation de novo as to those portions to which a party has objected.",
    ]
    static let argument = [
        "Plaintiff's claim fails as a matter of law because it does not allege any cognizable injury.",
        "The economic loss doctrine bars Plaintiff's tort claims, which merely duplicate its contract claim.",
        "Defendant's arguments are unavailing. The record contains ample evidence from which a reasonable jury could find in Plaintiff's favor.",
        "The statute of limitations began to run no later than {date}, and the claims are therefore time-barred.",
        "Plaintiff has not identified any admissible evidence supporting its theory of damages.",
        "The deposition testimony of {person} confirms that the parties never reached a meeting of the minds.",
        "The limitation of liability clause, which the parties negotiated at arm's length, caps any recovery at the fees paid in the preceding twelve months.",
        "Plaintiff's reliance on the internal audit report is misplaced, because the report post-dates every transaction at issue.",
        "Nothing in the board minutes on which Plaintiff relies suggests that the directors knew of the alleged scheme.",
        "Plaintiff cannot recover in quasi-contract where an express agreement governs the same subject matter.",
        "The email exchange of {date} shows, at most, continuing negotiations, not an enforceable promise.",
        "Defendant waived this defense by failing to raise it in its answer or in its first motion under Rule 12.",
        "The damages claimed are speculative because they rest on projected sales of the {product} that never materialized.",
        "Plaintiff's expert, {person}, offers no reliable methodology for apportioning the alleged losses.",
    ]
    static let holdings = [
        "For the foregoing reasons, the motion is GRANTED in part and DENIED in part.",
        "Accordingly, the Court finds that Plaintiff has failed to state a claim, and the complaint is DISMISSED without prejudice.",
        "The Court concludes that genuine disputes of material fact preclude summary judgment.",
        "Plaintiff is granted leave to file an amended complaint within {days} days of the date of this Order.",
        "The motion to compel arbitration is GRANTED, and this action is STAYED pending the outcome of the arbitration.",
        "Judgment shall enter in favor of Defendant on Counts I and II; Count III shall proceed to trial.",
    ]

    static func generate(_ c: inout TextComposer) -> String {
        switch c.int(0...4) {
        case 0, 1: return complaint(&c, counts: c.sample(counts, c.int(1...3)), facts: facts)
        case 2: return motion(&c)
        case 3: return opinion(&c)
        default: return order(&c)
        }
    }

    static func caption(_ c: inout TextComposer) -> String {
        c.bindings["A"] = c.fill("{company}")
        c.bindings["B"] = c.fill("{company}")
        return c.fill("UNITED STATES DISTRICT COURT\nFOR THE {district}\n{A}, Plaintiff,\nv.\n{B}, Defendant.\nCivil Action No. {caseno}")
    }

    static func complaint(_ c: inout TextComposer, counts: [String], facts: [String], nature: String? = nil) -> String {
        let target = drawTargetWords(&c, range: 150...700)
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.fill("COMPLAINT AND DEMAND FOR JURY TRIAL\nPlaintiff {A}, by and through its undersigned counsel, alleges as follows against Defendant {B}:"))
        b.add("NATURE OF THE ACTION\n" + (nature ?? c.fill("1. This is an action for damages and injunctive relief arising from Defendant's breach of its obligations and related wrongful conduct.")))
        b.add("PARTIES\n" + c.fill("2. Plaintiff {A} is a {state} corporation with its principal place of business in {city}. 3. Defendant {B} is a {state} corporation."))
        var para = 3
        b.add("JURISDICTION AND VENUE\n" + c.sentences(jurisdiction, 2...3).map { s -> String in para += 1; return "\(para). " + s }.joined(separator: " "))
        grow(&b, target: target, reserve: 80, minimum: 1) { i in
            let sentences = c.sentences(facts, 2...4).map { s -> String in para += 1; return "\(para). " + s }
            return (i == 0 ? "FACTUAL ALLEGATIONS\n" : "") + sentences.joined(separator: " ")
        }
        for (k, count) in counts.enumerated() {
            b.add("COUNT \(roman(k + 1)) — \(count.uppercased())\n" + c.fill("\(para + 1). Plaintiff repeats and realleges each of the foregoing allegations. \(para + 2). As a direct and proximate result, Plaintiff has suffered damages in an amount to be proven at trial."))
            para += 2
        }
        b.add(c.fill("PRAYER FOR RELIEF\nWHEREFORE, Plaintiff respectfully requests that the Court enter judgment in its favor, award compensatory damages of not less than {amount}, pre- and post-judgment interest, attorneys' fees and costs, and such other relief as the Court deems just and proper."))
        b.add(c.fill("Dated: {date}\nRespectfully submitted,\n/s/ {person}\nCounsel for Plaintiff"))
        return b.text
    }

    static func motion(_ c: inout TextComposer) -> String {
        let target = drawTargetWords(&c, range: 150...650)
        let kind = c.pick(["MOTION TO DISMISS FOR FAILURE TO STATE A CLAIM", "MOTION FOR SUMMARY JUDGMENT",
                            "MOTION FOR A PRELIMINARY INJUNCTION", "MOTION TO COMPEL DISCOVERY", "MOTION TO TRANSFER VENUE"])
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add("DEFENDANT'S MEMORANDUM OF LAW IN SUPPORT OF ITS \(kind)")
        b.add("INTRODUCTION\n" + c.fill("Defendant {B} respectfully submits this memorandum in support of its motion. ") + c.line(argument))
        b.add("LEGAL STANDARD\n" + c.paragraph(standards, 1...2))
        grow(&b, target: target, reserve: 40, minimum: 1) { i in
            (i == 0 ? "ARGUMENT\n" : "") + "\(roman(i + 1)). " + c.paragraph(argument, 2...3)
        }
        b.add(c.fill("CONCLUSION\nFor these reasons, Defendant respectfully requests that the Court grant its motion.\nDated: {date}\n/s/ {person}"))
        return b.text
    }

    static func opinion(_ c: inout TextComposer) -> String {
        let target = drawTargetWords(&c, range: 200...700)
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.fill("MEMORANDUM OPINION AND ORDER\n{judge}, United States District Judge"))
        b.add(c.fill("Before the Court is the motion of Defendant {B} filed on {date}. Having considered the parties' submissions and the applicable law, the Court rules as follows."))
        b.add("I. BACKGROUND\n" + c.paragraph(facts, 2...3))
        b.add("II. LEGAL STANDARD\n" + c.paragraph(standards, 1...2))
        grow(&b, target: target, reserve: 40, minimum: 1) { i in
            (i == 0 ? "III. DISCUSSION\n" : "") + c.paragraph(argument, 2...3)
        }
        b.add("IV. CONCLUSION\n" + c.line(holdings) + " IT IS SO ORDERED.")
        return b.text
    }

    static func order(_ c: inout TextComposer) -> String {
        var b = DocumentBuilder()
        b.add(caption(&c))
        b.add(c.pick(["SCHEDULING ORDER", "ORDER ON MOTION TO COMPEL", "STIPULATED PROTECTIVE ORDER", "ORDER GRANTING EXTENSION OF TIME"]))
        let target = drawTargetWords(&c, range: 80...300)
        let directives = [
            "IT IS HEREBY ORDERED that fact discovery shall be completed by {date}.",
            "IT IS FURTHER ORDERED that the parties shall file a joint status report within {days} days.",
            "Expert reports shall be served no later than {date}, and rebuttal reports within thirty (30) days thereafter.",
            "A final pretrial conference is set for {date} at 10:00 a.m. in Courtroom {n}.",
            "Documents designated CONFIDENTIAL under this Order shall be used solely for purposes of this litigation.",
        ]
        grow(&b, target: target, reserve: 15, minimum: 1) { _ in c.paragraph(directives, 2...3) }
        b.add(c.fill("SO ORDERED this {date}.\n{judge}"))
        return b.text
    }

    static func roman(_ n: Int) -> String {
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][min(max(n, 1), 10) - 1]
    }
}
