#!/usr/bin/env python3
"""References for Docket's linear model (Sources/Docket/Linear): scikit-learn
TfidfVectorizer(ngram_range=(1, n), sublinear_tf=True, min_df, max_features) +
LogisticRegression(C, class_weight, lbfgs) run to convergence (tol 1e-10, max_iter 10000).

Default: Tests/Fixtures/legal/linear-embedded.json from the embedded corpus (Corpora/, text
Docket generates; the first 400 train and 100 test documents, so the debug-build test stays
fast): per configuration the classes, vocabulary size, the first 20 terms and their
idf, probabilities of the first 20 test documents, every test prediction and the accuracy.
--real: Tests/Fixtures/legal/linear-real.json with numbers only (no text: the corpora's
licences forbid copying it) for ../shared/corpora/{legal5-real,scotus-issue} dev ($DOCKET_SHARED
instead of ../shared when set): accuracy,
macro-F1 and the probabilities of the first 20 dev documents.
Run: .venv/bin/python Scripts/make-linear-fixture.py [--real]
"""
import json, os, pathlib, sys
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

root = pathlib.Path(__file__).resolve().parent.parent
CONFIGS = {
    "default": dict(ngram=2, min_df=1, max_features=None, C=1.0, class_weight="balanced"),
    # max_features=502: no tie in total counts at the cut (sklearn breaks such ties by numpy's
    # unstable argsort, Docket alphabetically), so both keep the same terms.
    "unigram_capped_unweighted": dict(ngram=1, min_df=2, max_features=502, C=10.0, class_weight=None),
}

def load(path):
    rows = [json.loads(l) for l in open(path)]
    return [r["text"] for r in rows], [r["label"] for r in rows]

def fit(cfg, texts, labels):
    vec = TfidfVectorizer(ngram_range=(1, cfg["ngram"]), sublinear_tf=True, min_df=cfg["min_df"], max_features=cfg["max_features"])
    x = vec.fit_transform(texts)
    lr = LogisticRegression(C=cfg["C"], class_weight=cfg["class_weight"], max_iter=10000, tol=1e-10).fit(x, labels)
    return vec, lr

def run(cfg, train, test):
    vec, lr = fit(cfg, *train)
    p = lr.predict_proba(vec.transform(test[0]))
    pred = [lr.classes_[i] for i in p.argmax(1)]
    terms = vec.get_feature_names_out()
    return {"config": cfg, "classes": list(lr.classes_), "vocabulary_size": len(terms),
            "first_terms": list(terms[:20]), "first_idf": vec.idf_[:20].tolist(), "n_iter": int(lr.n_iter_[0]),
            "probabilities_first20": p[:20].tolist(), "predicted": pred,
            "accuracy": accuracy_score(test[1], pred), "macro_f1": f1_score(test[1], pred, average="macro")}

if "--real" in sys.argv:
    out = {}
    for name in ["legal5-real", "scotus-issue"]:
        d = pathlib.Path(os.environ.get("DOCKET_SHARED", root.parent / "shared")) / "corpora" / name
        if not d.exists():
            sys.exit(f"{d} is absent: the real-corpus numbers need ../shared/corpora")
        r = run(CONFIGS["default"], load(d / "train.jsonl"), load(d / "dev.jsonl"))
        out[name] = {k: r[k] for k in ["config", "classes", "vocabulary_size", "accuracy", "macro_f1", "probabilities_first20", "n_iter"]}
        print(f"{name} dev: accuracy {r['accuracy']:.4f}, macro-F1 {r['macro_f1']:.4f}, vocabulary {r['vocabulary_size']}")
    path = root / "Tests/Fixtures/legal/linear-real.json"
else:
    train, test = [[c[:n] for c in load(root / f"Corpora/{f}")] for f, n in [("train.jsonl", 400), ("test.jsonl", 100)]]
    out = {name: run(cfg, train, test) for name, cfg in CONFIGS.items()}
    path = root / "Tests/Fixtures/legal/linear-embedded.json"
path.write_text(json.dumps(out))
print(f"wrote {path}")
