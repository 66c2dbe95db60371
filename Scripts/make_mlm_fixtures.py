#!/usr/bin/env python3
"""Reference fixtures for masked-LM pretraining (Tests/Fixtures/training/mlm_<family>.safetensors).

The tiny DistilBERT / BERT encoders of Tests/Fixtures/encoder loaded as
DistilBertForMaskedLM / BertForMaskedLM (decoder tied to the word embeddings; the masked-LM
head, absent from those checkpoints, initialised by transformers and exported as init.<name>),
one padded batch (lengths 7, 1, 4, 6) corrupted as DataCollatorForLanguageModeling does
(selection probability raised to 0.35 so the tiny batch has [MASK], random and unchanged
cases; special first/last tokens and padding never selected), dropout off, masked-LM
cross-entropy (ignore_index -100), clip_grad_norm_(1.0), AdamW (HF decay groups), linear
decay, 3 steps. Tensors: input_ids (corrupted), labels (-100 = not selected), attention_mask,
token_type_ids, losses, init.<head name>, after.<name>; __metadata__ gap.<name> = the
float32-vs-float64 gap, torch version.

Run: .venv/bin/python Scripts/make_mlm_fixtures.py
"""
import os
import sys

import torch
from transformers import AutoModelForMaskedLM

sys.path.insert(0, os.path.dirname(__file__))
from make_pooling_fixtures import ENCODER_DIR, run_steps, save_steps  # noqa: E402

MASK_ID = 3


def masked_batch(family, vocab):
    lengths = [7, 1, 4, 6]
    g = torch.Generator().manual_seed(41 if family == "bert" else 42)
    ids = torch.randint(5, 100, (4, 7), generator=g)
    mask = torch.zeros(4, 7, dtype=torch.long)
    types = torch.zeros(4, 7, dtype=torch.long)
    special = torch.zeros(4, 7, dtype=torch.bool)
    for b, n in enumerate(lengths):
        mask[b, :n] = 1
        ids[b, n:] = 0
        special[b, 0] = True
        special[b, n - 1] = True
        if family == "bert" and n > 2:
            types[b, n // 2:n] = 1
    # DataCollatorForLanguageModeling.torch_mask_tokens with mlm_probability 0.35
    prob = torch.full(ids.shape, 0.35)
    prob.masked_fill_(special | (mask == 0), 0.0)
    selected = torch.bernoulli(prob, generator=g).bool()
    labels = ids.clone()
    labels[~selected] = -100
    replaced = torch.bernoulli(torch.full(ids.shape, 0.8), generator=g).bool() & selected
    ids[replaced] = MASK_ID
    rand = torch.bernoulli(torch.full(ids.shape, 0.5), generator=g).bool() & selected & ~replaced
    ids[rand] = torch.randint(vocab, ids.shape, generator=g)[rand]
    print(family, "selected", int(selected.sum()), "mask", int(replaced.sum()), "random", int(rand.sum()))
    return ids, mask, types, labels


def mlm_steps(family):
    path = os.path.join(ENCODER_DIR, f"tiny-{family}")
    torch.manual_seed(5)
    base = AutoModelForMaskedLM.from_pretrained(path, attn_implementation="eager")
    head = {n: p.detach().clone() for n, p in base.named_parameters()
            if n.startswith("cls.") or n.startswith("vocab_")}
    ids, mask, types, labels = masked_batch(family, base.config.vocab_size)

    def loss_fn(model, _):
        kw = dict(input_ids=ids, attention_mask=mask, labels=labels)
        if family == "bert":
            kw["token_type_ids"] = types
        return model(**kw).loss

    results = {}
    for dtype in (torch.float32, torch.float64):
        model = AutoModelForMaskedLM.from_pretrained(path, attn_implementation="eager")
        model.load_state_dict(base.state_dict())
        model = model.to(dtype)
        model.eval()  # dropout off; gradients still flow
        assert model.get_output_embeddings().weight is model.get_input_embeddings().weight
        results[dtype] = run_steps(model, None, loss_fn)
    tensors = {"input_ids": ids.float(), "attention_mask": mask.float(), "token_type_ids": types.float(),
               "labels": labels.float()}
    for n, t in head.items():
        tensors[f"init.{n}"] = t.float().contiguous()
    save_steps(f"mlm_{family}.safetensors", tensors, results[torch.float32][0], results[torch.float64][0],
               results[torch.float32][1], {"mask_id": str(MASK_ID)})


if __name__ == "__main__":
    torch.set_num_threads(1)
    for family in ("distilbert", "bert"):
        mlm_steps(family)
