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
        write("fuzz-pg-search", lines[0].encode("utf-8"))
        write("fuzz-fts-tokenizer", lines[0].encode("utf-8"))

for tag in ("id", "id-ID", "en-GB", "zh-Hans", "und", "", "x-klingon", "en_US.UTF-8"):
    write("fuzz-spelling", tag.encode("utf-8") + b"\0Putaran berikutnya akan berlangsung di Istanbul.")

for query in syntax:
    write("fuzz-fts-query", query.encode("utf-8"))
    write("fuzz-fts-tokenizer", query.encode("utf-8"))
    write("fuzz-pg-search", query.encode("utf-8"))

# Feeds: the test feeds, and the releases as the HTML of an item.
for path in sorted((src / "tests" / "fixtures" / "feeds").glob("*.xml")):
    write("fuzz-feed", path.read_bytes())
for path, data in texts[:20]:
    write("fuzz-feed", b"<p>" + data.replace(b"\n\n", b"</p><p>") + b"</p>")
# E-mail, ninjs and NewsML-G2 seeds, written for the fuzzers (as in
# tests/test-ingest-mail.c); fuzz-importer's first byte picks the kind
# (2 .eml, 3 .mbox, 4 .json, 5 .xml, as in fuzz-importer.c).
MAIL = (b"From: Press <press@port.example>\nSubject: =?UTF-8?Q?Port_=E2=80=93_cranes?=\n"
        b"Message-ID: <a@port.example>\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=m\n\n--m\n"
        b"Content-Type: multipart/alternative; boundary=b\n\n--b\n"
        b"Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
        b"Caf=E9 owners welcome the delay.\n--b\nContent-Type: text/html\n\n<p>HTML</p>\n--b--\n"
        b"--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=r.txt\n"
        b"Content-Transfer-Encoding: base64\n\nSGVhZGxpbmUKCkJvZHkgb2YgdGhlIHJlbGVhc2Uu\n"
        b"--m\nContent-Type: message/rfc822\n\nFrom: x@y\nSubject: Inner\n\nInner body.\n--m--\n")
MBOX = (b"From press@port.example Thu Mar  5 09:12:00 2026\n" + MAIL +
        b"\nFrom press@port.example Thu Mar  5 10:12:00 2026\nFrom: a@b\nSubject: Two\n\nSecond.\n")
NINJS1 = ('{"uri": "urn:x:1", "headline": "Terminal delayed", "body_html": "<p>One.</p><p>Two.</p>",'
          ' "language": "en", "urgency": 3, "embargoed": "2026-03-05T10:00:00+07:00",'
          ' "copyrightnotice": "(c) Wire", "byline": "Desk"}').encode()
NINJS2 = ('{"uri": "urn:x:2", "headlines": [{"role": "main", "value": "Terminal öffnet"}],'
          ' "bodies": [{"contenttype": "text/plain", "value": "Die Behörde sagte."}],'
          ' "language": "de", "urgency": 5, "by": "Redaktion"}').encode()
NEWSML = ('<?xml version="1.0"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:3" '
          'xml:lang="en"><rightsInfo><copyrightNotice>(c) Wire</copyrightNotice></rightsInfo>'
          '<itemMeta><versionCreated>2026-03-05T01:30:00Z</versionCreated><embargoed>2026-03-05T10:00:00+07:00'
          '</embargoed></itemMeta><contentMeta><urgency>2</urgency><headline>Terminal delayed</headline>'
          '<language tag="en"/></contentMeta><contentSet><inlineXML contenttype="application/nitf+xml">'
          '<nitf><body><body.content><p>One.</p><p>Two &amp; three.</p></body.content></body></nitf>'
          '</inlineXML></contentSet></newsItem>').encode()
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
          b'<newsItem guid="x"><contentMeta><headline>&b;</headline></contentMeta></newsItem>')

write("fuzz-mail", MAIL)
write("fuzz-mail", MBOX)
write("fuzz-ninjs", NINJS1)
write("fuzz-ninjs", NINJS2)
write("fuzz-ninjs", b"[" + NINJS1 + b"," + NINJS2 + b"]")
write("fuzz-newsml", NEWSML)
write("fuzz-newsml", LAUGHS)
for kind, data in ((2, MAIL), (3, MBOX), (4, NINJS1), (4, NINJS2), (5, NEWSML)):
    write("fuzz-importer", bytes([kind]) + data)
