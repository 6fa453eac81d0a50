#!/usr/bin/env python3
"""make-seeds.py SRCDIR CORPUSDIR — the fuzzers' seed corpus, made from
Copydesk's own labelled releases (tests/eval) and test fixtures.

Writes CORPUSDIR/<harness>/seed-*: each harness reads its inputs in its
own shape (see the harness).  Files the fuzzers added to CORPUSDIR are
kept, so a corpus grows from one run to the next."""
import hashlib
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2])

# As in fuzz-detector.c: the first byte of an input picks the language.
LANGUAGES = ["und", "en", "id", "de", "fr", "es", "it", "pt", "ms", "ru", "vi",
             "zh-Hans", "zh-Hant", "ja", "ko", "th"]

releases = sorted((src / "tests" / "eval").glob("*.txt")) + \
    sorted((src / "tests" / "fixtures").glob("*.txt"))
texts = [(p, p.read_bytes()) for p in releases]


def write(harness, data):
    folder = out / harness
    folder.mkdir(parents=True, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def language_of(path):
    parts = path.stem.split("-")
    code = parts[1] if len(parts) > 1 else "und"
    code = {"zh": "zh-Hans"}.get(code, code)
    return LANGUAGES.index(code) if code in LANGUAGES else 0


def edited(text):
    """A copy editor's changes: the last paragraph dropped, a word
    replaced, one paragraph moved up, a sentence added."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3:
        paragraphs = paragraphs[:-1]
        paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]
    body = "\n\n".join(paragraphs)
    body = re.sub(r"\b(\w{6,})\b", r"\1s", body, count=2)
    return body + "\n\nAn editor's line.\n"


syntax = ['"', '""', "*", "^", "-", "+", ":", "(", ")", "NEAR(", "AND", "OR", "NOT",
          'headline:bank', "a AND b", "a OR b NOT c", "NEAR(a b, 2)", '"a b"*',
          "{headline body}: x", "北京", "ธนาคาร", "은행", "広告", "x\u0301", "\u200b"]

for path, data in texts:
    text = data.decode("utf-8")
    for harness in ("fuzz-parser", "fuzz-language", "fuzz-fts-tokenizer", "fuzz-importer"):
        write(harness, data)
    write("fuzz-detector", bytes([language_of(path)]) + data)
    write("fuzz-diff", data + b"\0" + edited(text).encode("utf-8"))
    write("fuzz-spelling", b"id\0" + data)
    lines = [line for line in text.splitlines() if line.strip()]
    if lines:
        # The headline, and a few words of the body as an editor types them.
        write("fuzz-fts-query", lines[0].encode("utf-8"))
        words = " ".join(lines[-1].split()[:3])
        write("fuzz-fts-query", words.encode("utf-8"))
        write("fuzz-fts-tokenizer", lines[0].encode("utf-8"))

for tag in ("id", "id-ID", "en-GB", "zh-Hans", "und", "", "x-klingon", "en_US.UTF-8"):
    write("fuzz-spelling", tag.encode("utf-8") + b"\0Putaran berikutnya akan berlangsung di Istanbul.")

for query in syntax:
    write("fuzz-fts-query", query.encode("utf-8"))
    write("fuzz-fts-tokenizer", query.encode("utf-8"))
