// Nine labelled sentences (three each of Contract, Litigation, Patent: the classes of the
// committed tiny-bert-classifier) that the evaluate and train-linear / ensemble CLI tests
// write as small test and training sets.
let tinyLegalTexts: [(label: String, text: String)] = [
    ("Contract", "This Agreement is entered into by the parties and governs the supply of goods."),
    ("Contract", "The licensee shall pay royalties under the license agreement."),
    ("Contract", "Either party may terminate this contract upon thirty days notice."),
    ("Litigation", "The plaintiff filed a complaint and a motion in the district court."),
    ("Litigation", "The court granted the motion to dismiss the claims."),
    ("Litigation", "Defendant appeals the judgment entered by the court."),
    ("Patent", "A patent claim recites a processor coupled to a memory."),
    ("Patent", "The examiner rejected the claims as obvious over the prior art."),
    ("Patent", "The patent application discloses a wireless charging device."),
]
