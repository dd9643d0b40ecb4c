#!/usr/bin/env python3
"""Compares Strata's validator with graphql-js's on the validation corpus and prints a report.

Errors are compared as sets of (message, locations): graphql-js applies all rules in one
traversal, so its errors come in document order, Strata's rule by rule. Exit 0 when every
verdict and every error set agrees, 1 otherwise."""
import json
import sys

corpus, reference, ours, note = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
documents = {d["name"]: d["body"] for d in json.load(open(corpus, encoding="utf-8"))}
theirs = {o["name"]: o for o in json.load(open(reference, encoding="utf-8"))}
mine = {o["name"]: o for o in json.load(open(ours, encoding="utf-8"))}


def error_set(outcome):
    return sorted((e["message"], tuple(map(tuple, e.get("locations") or [[e["line"], e["column"]]]))) for e in outcome.get("errors") or [])


total = len(documents)
valid_reference = sum(1 for n in documents if theirs[n]["ok"])
verdicts = sum(1 for n in documents if theirs[n]["ok"] == mine[n]["ok"])
valid_agree = sum(1 for n in documents if theirs[n]["ok"] and mine[n]["ok"])
errors_agree = sum(1 for n in documents if not theirs[n]["ok"] and error_set(theirs[n]) == error_set(mine[n]))
differences = [n for n in documents if theirs[n]["ok"] != mine[n]["ok"] or error_set(theirs[n]) != error_set(mine[n])]
print(f"Validation conformance against graphql-js: {total} documents ({note})")
print(f"  valid/invalid verdicts agree:      {verdicts}/{total}")
print(f"  valid documents accepted by both:  {valid_agree}/{valid_reference}")
print(f"  identical errors (messages + locations) on invalid documents: {errors_agree}/{total - valid_reference}")
for name in differences[:30]:
    print(f"  - {name}\n      document:  {documents[name][:160]!r}\n      reference: {error_set(theirs[name])[:4]}\n      strata:    {error_set(mine[name])[:4]}")
print("PASS" if not differences else f"FAIL ({len(differences)} documents differ)")
sys.exit(0 if not differences else 1)
