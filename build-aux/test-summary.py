#!/usr/bin/env python3
"""Counts test cases across meson test logs and prints 'N passed, N failed'.

Each GTest program reports its cases in TAP; a program that failed without
saying which case (a crash, a build failure, a timeout) counts as one failure.
A log that is missing means that build never got to run its tests: a failure.
"""
import json
import re
import sys

passed = failed = skipped = 0
failures = []

for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        failed += 1
        failures.append(f"{path}: no test log (the build failed?)")
        continue
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        name = entry.get("name", "?")
        result = entry.get("result", "ERROR")
        out = entry.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+", out, re.M))
        not_ok = re.findall(r"^not ok \d+ (.*)$", out, re.M)
        skips = len(re.findall(r"^ok \d+ .*# SKIP", out, re.M)) + len(re.findall(r"^1\.\.0 # SKIP", out, re.M))
        if result in ("OK", "EXPECTEDFAIL"):
            passed += max(ok - skips, 1 if skips == 0 else 0)
            skipped += skips
        elif result == "SKIP":
            skipped += max(skips, 1)
        else:
            passed += max(ok - skips, 0)
            skipped += skips
            failed += max(len(not_ok), 1)
            failures.append(f"{path}: {name}: {result} {'; '.join(not_ok)}".rstrip())

for f in failures:
    print("FAILED:", f)
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
