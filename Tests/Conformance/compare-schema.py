#!/usr/bin/env python3
"""Compares Strata's schema builder with graphql-js's buildSchema + validateSchema: verdicts,
and the set of error messages. Exit 0 when all agree or the difference is explained."""
import json
import sys

corpus, reference, ours = sys.argv[1], sys.argv[2], sys.argv[3]
documents = {d["name"]: d["body"] for d in json.load(open(corpus, encoding="utf-8"))}
theirs = {o["name"]: o for o in json.load(open(reference, encoding="utf-8"))}
mine = {o["name"]: o for o in json.load(open(ours, encoding="utf-8"))}


def messages(outcome):
    return sorted({e["message"] for e in outcome.get("errors") or []})


def explain(name):
    if "@oneOf" in documents[name] and 'Unknown directive "@oneOf".' in messages(theirs[name]):
        return "@oneOf is part of the September 2025 specification (§3.10.1); graphql-js 16 predates it"
    return None


verdicts = sum(theirs[n]["ok"] == mine[n]["ok"] for n in documents)
same_errors = sum(messages(theirs[n]) == messages(mine[n]) for n in documents if not theirs[n]["ok"])
rejected = sum(not theirs[n]["ok"] for n in documents)
unexplained = [n for n in documents if (theirs[n]["ok"] != mine[n]["ok"] or messages(theirs[n]) != messages(mine[n])) and not explain(n)]
print(f"Schema conformance against graphql-js: {len(documents)} schemas")
print(f"  valid/invalid verdicts agree:        {verdicts}/{len(documents)}")
print(f"  identical error messages (rejected): {same_errors}/{rejected}")
for name in unexplained[:30]:
    print(f"  - {name}\n      reference: {messages(theirs[name])[:3]}\n      strata:    {messages(mine[name])[:3]}")
print("PASS" if not unexplained else f"FAIL ({len(unexplained)} schemas differ)")
sys.exit(0 if not unexplained else 1)
