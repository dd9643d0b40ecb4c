#!/usr/bin/env python3
"""Builds the schema (SDL) conformance corpus as JSON: [{"name", "body"}, ...]. Deterministic.

- hand-written schemas, valid and invalid, for each type system rule;
- the validation schema with one change each: a type, field, argument, interface, union member,
  enum value or directive removed, renamed or retyped."""
import json
import os
import random
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
base = open(os.path.join(here, "validation-schema.graphql"), encoding="utf-8").read()
rng = random.Random(11)
documents = []

HAND = {
    "minimal": "type Query { a: Int }",
    "no query": "type Mutation { a: Int }",
    "query is input": "schema { query: Q } input Q { a: Int }",
    "unknown root": "schema { query: Missing }",
    "duplicate root": "schema { query: Query query: Query } type Query { a: Int }",
    "two schemas": "schema { query: Query } schema { query: Query } type Query { a: Int }",
    "duplicate type": "type Query { a: Int } type Query { b: Int }",
    "duplicate field": "type Query { a: Int a: String }",
    "duplicate argument": "type Query { a(x: Int, x: Int): Int }",
    "duplicate enum value": "enum E { A A } type Query { e: E }",
    "duplicate input field": "input I { a: Int a: Int } type Query { f(i: I): Int }",
    "duplicate directive": "directive @d on FIELD directive @d on FIELD type Query { a: Int }",
    "unknown type": "type Query { a: Unknwn }",
    "unknown interface": "type Query implements Nde { a: Int }",
    "unknown union member": "union U = A type Query { u: U }",
    "output as input": "type Query { a(x: Query): Int }",
    "input as output": "input I { a: Int } type Query { i: I }",
    "union of scalar": "union U = String type Query { u: U }",
    "empty union": "union U type Query { u: U }",
    "empty enum": "enum E type Query { e: E }",
    "empty object": "type Query { a: Int } type Empty",
    "empty input": "input I type Query { a(i: I): Int }",
    "enum true": "enum E { A } extend enum E { B } type Query { e: E }",
    "reserved type name": "type __Bad { a: Int } type Query { a: Int }",
    "reserved field name": "type Query { __a: Int }",
    "reserved argument name": "type Query { a(__x: Int): Int }",
    "implements itself": "interface I implements I { a: Int } type Query implements I { a: Int }",
    "missing interface field": "interface I { a: Int b: Int } type Query implements I { a: Int }",
    "wrong interface field type": "interface I { a: Int } type Query implements I { a: String }",
    "covariant list ok": "interface I { a: [I] } type Query implements I { a: [Query!]! }",
    "covariant non-null ok": "interface I { a: Int } type Query implements I { a: Int! }",
    "contravariant fails": "interface I { a: Int! } type Query implements I { a: Int }",
    "interface arg missing": "interface I { a(x: Int): Int } type Query implements I { a: Int }",
    "interface arg type": "interface I { a(x: Int): Int } type Query implements I { a(x: String): Int }",
    "extra required arg": "interface I { a: Int } type Query implements I { a(x: Int!): Int }",
    "extra optional arg ok": "interface I { a: Int } type Query implements I { a(x: Int): Int }",
    "transitive interface missing": "interface A { a: Int } interface B implements A { a: Int } type Query implements B { a: Int }",
    "transitive ok": "interface A { a: Int } interface B implements A { a: Int } type Query implements A & B { a: Int }",
    "implements non-interface": "type T { a: Int } type Query implements T { a: Int }",
    "duplicate implements": "interface I { a: Int } type Query implements I & I { a: Int }",
    "input self cycle": "input I { i: I! } type Query { a(i: I): Int }",
    "input list cycle ok": "input I { i: [I!]! } type Query { a(i: I): Int }",
    "input nullable cycle ok": "input I { i: I } type Query { a(i: I): Int }",
    "input long cycle": "input A { b: B! } input B { c: C! } input C { a: A! } type Query { f(a: A): Int }",
    "required arg deprecated": "type Query { a(x: Int! @deprecated): Int }",
    "required arg with default deprecated ok": "type Query { a(x: Int! = 1 @deprecated): Int }",
    "required input field deprecated": "input I { a: Int! @deprecated } type Query { f(i: I): Int }",
    "unknown directive": "type Query @unknown { a: Int }",
    "misplaced directive": "type Query { a: Int @include(if: true) }",
    "repeated directive": "type Query { a: Int @deprecated @deprecated }",
    "missing directive argument": "scalar S @specifiedBy type Query { a: S }",
    "unknown directive argument": "type Query { a: Int @deprecated(reasn: \"x\") }",
    "duplicate directive argument": "type Query { a: Int @deprecated(reason: \"x\", reason: \"y\") }",
    "bad deprecation reason": "type Query { a: Int @deprecated(reason: 1) }",
    "custom directive required arg": "directive @d(n: Int!) on OBJECT type Query @d { a: Int }",
    "repeatable ok": "directive @r repeatable on OBJECT type Query @r @r { a: Int }",
    "directive on schema": "schema @deprecated { query: Query } type Query { a: Int }",
    "deprecated argument ok": "type Query { a(x: Int @deprecated): Int }",
    "specifiedBy on enum value": "enum E { A @specifiedBy(url: \"u\") } type Query { a: E }",
    "unknown directive on extension": "type Query { a: Int } extend type Query @unknown",
    "duplicate input field in default": "type Query { a(x: I = {a: 1, a: 2}): Int } input I { a: Int }",
    "extend missing": "type Query { a: Int } extend type Missing { b: Int }",
    "extend wrong kind": "type Query { a: Int } scalar S extend type S { a: Int }",
    "extend duplicate field": "type Query { a: Int } extend type Query { a: Int }",
    "extend adds field": "type Query { a: Int } extend type Query { b: Int }",
    "extend enum duplicate": "enum E { A } extend enum E { A } type Query { e: E }",
    "extend union": "type A { a: Int } type B { b: Int } union U = A extend union U = B type Query { u: U }",
    "extend schema": "type Query { a: Int } type M { a: Int } extend schema { mutation: M }",
    "redefine builtin scalar": "scalar String type Query { a: String }",
    "redefine skip": "directive @skip(if: Boolean!) on FIELD type Query { a: Int }",
    "directive arg not input": "directive @d(x: Query) on FIELD type Query { a: Int }",
    "descriptions": "\"\"\"Root\"\"\" type Query { \"field\" a(\"arg\" x: Int): Int }",
}
for name, body in HAND.items():
    documents.append({"name": "hand: " + name, "body": body})

documents.append({"name": "validation schema", "body": base})
type_names = re.findall(r"^(?:type|interface|input|enum|scalar|union) (\w+)", base, re.M)
field_lines = [m.start() for m in re.finditer(r"^  \w+.*$", base, re.M)]
CHANGES = [
    ("remove type", lambda s: re.sub(r"^(type|input|enum|scalar|union) " + rng.choice(type_names) + r"\b[^\n]*(\{[^}]*\})?", "", s, count=1, flags=re.M)),
    ("rename type", lambda s: re.sub(r"\b" + rng.choice(type_names) + r"\b", "Renamed", s, count=1)),
    ("remove field line", lambda s: (lambda p: s[:p] + s[s.index("\n", p):])(rng.choice(field_lines))),
    ("retype Int as String", lambda s: s.replace("Int", "String", 1 + rng.randrange(5))),
    ("drop non-null", lambda s: s.replace("!", "", 1 + rng.randrange(8))),
    ("drop implements", lambda s: s.replace(" & Named", "", 1)),
    ("swap union member", lambda s: s.replace("User | Task", "User | Status", 1)),
    ("bad directive", lambda s: s.replace("@deprecated", "@deprecate", 1)),
    ("directive location", lambda s: s.replace("on FIELD | QUERY", "on QUERY", 1)),
    ("input as output", lambda s: s.replace("me: User", "me: TaskFilter", 1)),
]
for index in range(120):
    name, change = rng.choice(CHANGES)
    documents.append({"name": f"change {index} ({name})", "body": change(base)})

json.dump(documents, sys.stdout, ensure_ascii=False)
