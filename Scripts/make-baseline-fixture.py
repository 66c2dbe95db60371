#!/usr/bin/env python3
"""Reference for Docket's bag-of-words baseline (Tests/Fixtures/legal/baseline-nb.json).

scikit-learn CountVectorizer() + MultinomialNB(alpha=1) trained on Corpora/train.jsonl and
applied to Corpora/test.jsonl (the corpus Docket generates; no external text). Stores the
test ids, sklearn's predicted labels, the joint log-likelihoods of the first 20 test
documents, the vocabulary size and the accuracy.
Run: .venv/bin/python Scripts/make-baseline-fixture.py
"""
import json, pathlib
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB

root = pathlib.Path(__file__).resolve().parent.parent
load = lambda name: [json.loads(l) for l in (root / "Corpora" / name).open()]
train, test = load("train.jsonl"), load("test.jsonl")
vec = CountVectorizer()
x = vec.fit_transform([d["text"] for d in train])
nb = MultinomialNB(alpha=1.0).fit(x, [d["label"] for d in train])
xt = vec.transform([d["text"] for d in test])
pred = nb.predict(xt)
jll = nb.predict_joint_log_proba(xt[:20])
acc = sum(p == d["label"] for p, d in zip(pred, test)) / len(test)
out = {"classes": list(nb.classes_), "vocabulary_size": len(vec.vocabulary_), "accuracy": acc,
       "ids": [d["id"] for d in test], "predicted": list(pred), "joint_log_likelihood_first20": jll.tolist()}
path = root / "Tests/Fixtures/legal/baseline-nb.json"
path.write_text(json.dumps(out))
print(f"wrote {path}: vocabulary {out['vocabulary_size']}, test accuracy {acc:.4f}")
