#!/usr/bin/env python3
"""PyTorch reference modules for Docket's classification-head pooling (config.json
"docket_pooling": cls | mean | max) and chunked-document training (window pooling).

Head pooling: the last hidden states (B, T, C) are reduced to (B, C) before the family's head
dense layer, exactly as Docket's Sources/Encoder/HeadPooling.swift does:
  cls  = h[:, 0]                                  (HF's *ForSequenceClassification)
  mean = sum_t m_t h_t / max(sum_t m_t, 1)       (sentence-transformers mean pooling)
  max  = max over tokens with m_t = 1 per channel (sentence-transformers max pooling)
then BERT: tanh(pooler.dense(.)) -> dropout -> classifier;
     DistilBERT: ReLU(pre_classifier(.)) -> dropout -> classifier.
The parameters and their names are those of Bert/DistilBertForSequenceClassification, so a
Docket checkpoint loads with `load_classifier(DIR)` below (or, for "cls", with
`AutoModelForSequenceClassification.from_pretrained(DIR)` unchanged).

Window pooling (finetune --long-documents chunk): a document's windows go through the model
separately; its probability is the mean of the windows' softmax probabilities (or the
per-label max, renormalised), as `docket classify --long-documents chunk` pools them; the loss
is the (class-weighted) negative log of the pooled probability of the document's label.
"""
import json
import os

import torch
from transformers import BertForSequenceClassification, DistilBertForSequenceClassification


def pool_hidden(h, mask, pooling):
    """(B, T, C) hidden states, (B, T) attention mask -> (B, C)."""
    if pooling == "cls":
        return h[:, 0]
    m = mask.unsqueeze(-1).to(h.dtype)
    if pooling == "mean":
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)
    if pooling == "max":
        return h.masked_fill(m == 0, float("-inf")).max(dim=1).values
    raise ValueError(f"unknown pooling {pooling!r}")


class PooledBertForSequenceClassification(BertForSequenceClassification):
    """BertForSequenceClassification whose pooler reads the pooled sequence, not token 0."""

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None, **kw):
        pooling = getattr(self.config, "docket_pooling", "cls")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        x = self.bert.pooler.activation(self.bert.pooler.dense(pool_hidden(h, attention_mask, pooling)))
        return _output(self.classifier(self.dropout(x)), labels)


class PooledDistilBertForSequenceClassification(DistilBertForSequenceClassification):
    """DistilBertForSequenceClassification whose pre_classifier reads the pooled sequence."""

    def forward(self, input_ids=None, attention_mask=None, labels=None, **kw):
        pooling = getattr(self.config, "docket_pooling", "cls")
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        h = self.distilbert(input_ids, attention_mask=attention_mask).last_hidden_state
        x = torch.relu(self.pre_classifier(pool_hidden(h, attention_mask, pooling)))
        return _output(self.classifier(self.dropout(x)), labels)


class _Output(dict):
    __getattr__ = dict.get


def _output(logits, labels):
    out = _Output(logits=logits)
    if labels is not None:
        out["loss"] = torch.nn.functional.cross_entropy(logits, labels)
    return out


def load_classifier(directory, **kw):
    """Loads a Docket classifier directory with the pooling its config.json records."""
    with open(os.path.join(directory, "config.json")) as f:
        model_type = json.load(f).get("model_type", "bert")
    cls = PooledDistilBertForSequenceClassification if model_type == "distilbert" else PooledBertForSequenceClassification
    return cls.from_pretrained(directory, **kw)


def window_pooled_loss(logits, documents, labels, pooling="mean", class_weights=None):
    """Docket's chunked-training loss. logits (W, K) of all windows, documents (W,) the
    document index of each window (0..D-1), labels (D,). Pooled probability per document:
    mean over its windows of softmax(logits), or the per-label max renormalised. Returns the
    mean over documents of -w_y log P_d[y] / mean-normaliser (sum w_y when weighted, as
    torch's weighted cross_entropy)."""
    probs = torch.softmax(logits, dim=-1)
    d = int(labels.shape[0])
    pooled = []
    for i in range(d):
        p = probs[documents == i]
        if pooling == "mean":
            pooled.append(p.mean(0))
        else:
            m = p.max(0).values
            pooled.append(m / m.sum())
    pooled = torch.stack(pooled)
    nll = -torch.log(pooled.gather(1, labels.view(-1, 1)).squeeze(1))
    if class_weights is None:
        return nll.mean()
    w = class_weights[labels]
    return (w * nll).sum() / w.sum()
