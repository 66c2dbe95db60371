#!/usr/bin/env python3
"""What makes the linear member stronger on scotus-issue? scikit-learn TfidfVectorizer (sublinear
tf, l2) + LogisticRegression (lbfgs, balanced unless a class-weight power is given), scored by
5-fold cross-validation on TRAIN with Docket's folds (documents of each label dealt round-robin,
file order: LinearTextModel.stratifiedFolds) and then, trained on all of TRAIN, on DEV.
Choose by the CV column; DEV is reported, not used to choose.

Each configuration is NAME:C[:POWER]; POWER raises the balanced class weights n/(K·count) to a
power (1 = balanced). Names: w1 (word unigrams), w1_df2 (min_df=2), w1_df2_mx5 (min_df=2,
max_df=0.5), w12 (word 1–2-grams), cwb25 / cwb35 (char_wb 2–5 / 3–5), w1+cwb25 (word unigrams
and char_wb 2–5 stacked, rows re-normalised).
Run: .venv/bin/python Scripts/evaluations/scotus_linear_grid.py w1:1 w1:3 w1:1:0.5 ...
(DOCKET_SHARED=DIR instead of ../shared). Single-threaded; char n-gram fits take minutes each.
"""
import json, os, pathlib, sys, time
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.preprocessing import normalize

root = pathlib.Path(__file__).resolve().parents[2]
corpus = pathlib.Path(os.environ.get("DOCKET_SHARED", root.parent / "shared")) / "corpora" / "scotus-issue"
SPECS = {
    "w1": [dict()], "w1_df2": [dict(min_df=2)], "w1_df2_mx5": [dict(min_df=2, max_df=0.5)],
    "w12": [dict(ngram_range=(1, 2))], "cwb25": [dict(analyzer="char_wb", ngram_range=(2, 5))],
    "cwb35": [dict(analyzer="char_wb", ngram_range=(3, 5))],
    "w1+cwb25": [dict(), dict(analyzer="char_wb", ngram_range=(2, 5))],
}

def load(name):
    rows = [json.loads(l) for l in open(corpus / f"{name}.jsonl")]
    return [r["text"] for r in rows], [r["label"] for r in rows]

def features(spec, train, test):
    fitted = [TfidfVectorizer(sublinear_tf=True, **kw) for kw in spec]
    a = [v.fit_transform(train) for v in fitted]; b = [v.transform(test) for v in fitted]
    if len(a) == 1: return a[0], b[0]
    return normalize(sparse.hstack(a).tocsr()), normalize(sparse.hstack(b).tocsr())

def predict(spec, c, weights, train, y, test):
    a, b = features(spec, train, test)
    return LogisticRegression(C=c, class_weight=weights, max_iter=3000).fit(a, y).predict(b)

def folds(labels, k=5):
    nxt, out = {}, []
    for l in labels:
        out.append(nxt.get(l, 0)); nxt[l] = (out[-1] + 1) % k
    return np.array(out)

def main():
    if not corpus.exists(): sys.exit(f"{corpus} is absent (needs ../shared/corpora/scotus-issue)")
    (xt, yt), (xd, yd) = load("train"), load("dev")
    yt, yd, fold = np.array(yt), np.array(yd), folds(yt)
    classes, counts = np.unique(yt, return_counts=True)
    for arg in sys.argv[1:] or ["w1:1"]:
        name, c, *power = arg.split(":")
        c, power = float(c), float(power[0]) if power else 1.0
        weights = "balanced" if power == 1 else {k: (len(yt) / (len(classes) * n)) ** power for k, n in zip(classes, counts)}
        start, oof = time.time(), np.empty(len(yt), dtype=object)
        for f in range(5):
            tr, te = fold != f, fold == f
            oof[te] = predict(SPECS[name], c, weights, [x for x, m in zip(xt, tr) if m], yt[tr], [x for x, m in zip(xt, te) if m])
        dev = predict(SPECS[name], c, weights, xt, yt, xd)
        print(f"{name} C={c:g} class-weight power {power:g}: CV accuracy {accuracy_score(yt, list(oof)):.4f} "
              f"macro-F1 {f1_score(yt, list(oof), average='macro'):.4f} | dev accuracy {accuracy_score(yd, dev):.4f} "
              f"macro-F1 {f1_score(yd, dev, average='macro'):.4f} ({time.time() - start:.0f} s)", flush=True)

if __name__ == "__main__":
    main()
