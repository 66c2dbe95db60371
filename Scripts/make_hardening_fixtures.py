#!/usr/bin/env python3
"""Small tokenizer fixtures for the hardening tests and the fuzz seed corpora (Scripts/fuzz.sh):
  Tests/Fixtures/tokenizers/tiny_tokenizer.json  HF tokenizers' BERT tokenizer.json over the
                                                 tiny-bert-classifier vocab.txt (TemplateProcessing
                                                 as transformers writes it, truncation and padding)
  Tests/Fixtures/tokenizers/sp_tiny.model        a 48-piece unigram SentencePiece model whose
                                                 precompiled_charsmap comes from a 3-rule TSV (small
                                                 but real: a double-array trie plus normalized strings)
Run in the reference venv: .venv/bin/python Scripts/make_hardening_fixtures.py"""
import pathlib, tempfile
import sentencepiece as spm
from tokenizers import BertWordPieceTokenizer
from tokenizers.processors import TemplateProcessing

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/Fixtures/tokenizers"

def tiny_tokenizer_json():
    vocab = ROOT / "Tests/Fixtures/classifier/tiny-bert-classifier/vocab.txt"
    tok = BertWordPieceTokenizer(str(vocab), lowercase=True)
    tok.enable_truncation(max_length=16)
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=16)
    tok.post_processor = TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                            special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(OUT / "tiny_tokenizer.json"))

def tiny_sentencepiece():
    text = ["the agreement between the parties shall be governed by this section",
            "the court granted the motion filed by the plaintiff against the defendant",
            "a patent claim for the invention was filed in the office"] * 20
    with tempfile.TemporaryDirectory() as d:
        corpus = pathlib.Path(d) / "corpus.txt"
        corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
        rules = pathlib.Path(d) / "rules.tsv"  # source code points TAB target code points
        rules.write_text("41\t61\n42\t62\nFF21\t61\n", encoding="utf-8")
        spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(pathlib.Path(d) / "m"),
                                       vocab_size=48, model_type="unigram", normalization_rule_tsv=str(rules),
                                       user_defined_symbols=["[CLS]", "[SEP]", "[MASK]"], minloglevel=2)
        (OUT / "sp_tiny.model").write_bytes((pathlib.Path(d) / "m.model").read_bytes())

if __name__ == "__main__":
    tiny_tokenizer_json()
    tiny_sentencepiece()
