#!/usr/bin/env python3
# validate-ninjs.py — exports approved copy as ninjs with copydesk-cli and
# validates every file against the IPTC ninjs 2.1 schema (a copy in tests/).
# Prints TAP.  Needs COPYDESK_CLI and python3-jsonschema.
import glob
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
cli = os.environ["COPYDESK_CLI"]

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(0)

with open(os.path.join(here, "ninjs-schema_2.1.json"), encoding="utf-8") as f:
    schema = json.load(f)
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)

releases = {
    "seed.txt": open(os.path.join(here, "fixtures", "seaprwire-id-moskow-konfirmasi.txt"), encoding="utf-8").read(),
    "plain.txt": "Harbour <reopens> & ships \"queue\"\nThe harbour reopened on Monday.\nShips queued outside.\n",
    "cjk.txt": "北京举行新闻发布会\n正文第一段。\n正文第二段。\n",
}

with tempfile.TemporaryDirectory(prefix="copydesk-ninjs-") as tmp:
    env = dict(os.environ, COPYDESK_DB=os.path.join(tmp, "desk.db"), COPYDESK_EDITOR="Validator")
    inbox = os.path.join(tmp, "inbox")
    os.mkdir(inbox)
    for name, text in releases.items():
        with open(os.path.join(inbox, name), "w", encoding="utf-8") as f:
            f.write(text)

    def run(*args):
        result = subprocess.run([cli, *args], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            print("Bail out! copydesk-cli %s: %s" % (" ".join(args), result.stderr.strip()))
            sys.exit(1)
        return result.stdout

    run("import", inbox)
    for i in range(1, len(releases) + 1):
        run("set-status", str(i), "in_review")
        run("set-status", str(i), "approved", "--override", "ninjs of copy as received")
    out = os.path.join(tmp, "out")
    run("export", "--status", "approved", "--format", "ninjs", "--to", out)

    files = sorted(glob.glob(os.path.join(out, "*.json")))
    print("1..%d" % (len(files) + 1))
    n = 1
    print("%s %d - one ninjs file per approved release" % ("ok" if len(files) == len(releases) else "not ok", n))
    for path in files:
        n += 1
        with open(path, encoding="utf-8") as f:
            item = json.load(f)
        errors = sorted(validator.iter_errors(item), key=str)
        name = os.path.basename(path)
        if errors:
            print("not ok %d - %s is valid ninjs 2.1" % (n, name))
            for e in errors:
                print("# %s at %s" % (e.message, "/".join(map(str, e.path))))
        else:
            print("ok %d - %s is valid ninjs 2.1" % (n, name))
