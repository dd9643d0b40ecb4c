#!/usr/bin/env python3
"""Builds the parser conformance corpus as JSON: [{"name", "body"}, ...].

Deterministic (fixed seed). Four parts:
- edge cases written by hand: lexical corners (numbers, escapes, block strings, ignored tokens,
  line terminators, Unicode) and every kind of definition;
- documents generated from the grammar: operations with variables, arguments, directives,
  fragments, and schemas with every type-system definition and extension;
- mutations of those documents: a character deleted, inserted or replaced, a range duplicated,
  the text cut short — mostly invalid, at every kind of position;
- large documents: a ~100 KB query and a ~300 KB schema.
"""
import json
import os
import random
import sys

rng = random.Random(20251121)
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
cases = os.path.join(root, "Tests/GraphQLLanguageTests/Cases/print")

documents = []


def add(name, body):
    documents.append({"name": name, "body": body})


# --- Hand-written edge cases -------------------------------------------------------------
EDGES = {
    "int zero": "{ a(x: 0) }", "negative zero": "{ a(x: -0) }", "big int": "{ a(x: 12345678901234567890) }",
    "float forms": "{ a(x: 1.5, y: -0.0, z: 1e10, w: 1E-3, v: 1.5e+3) }",
    "leading zero": "{ a(x: 01) }", "leading zero float": "{ a(x: 00.5) }", "trailing dot": "{ a(x: 1.) }",
    "leading dot": "{ a(x: .5) }", "hex": "{ a(x: 0x1F) }", "suffix L": "{ a(x: 123L) }",
    "exponent only": "{ a(x: 1e) }", "exponent sign only": "{ a(x: 1e+) }", "minus alone": "{ a(x: -) }",
    "minus name": "{ a(x: -a) }", "float then name": "{ a(x: 1.5a) }", "int then dot name": "{ a(x: 1.a) }",
    "number then underscore": "{ a(x: 1_000) }",
    "escapes": r'{ a(x: "\" \\ \/ \b \f \n \r \t") }', "unicode escape": r'{ a(x: "\u00e9\u20AC") }',
    "braced escape": r'{ a(x: "\u{1F600} \u{0} \u{10FFFF}") }', "surrogate pair": r'{ a(x: "\uD83D\uDE00") }',
    "lone lead surrogate": r'{ a(x: "\uD83D") }', "lone trail surrogate": r'{ a(x: "\uDE00") }',
    "reversed surrogates": r'{ a(x: "\uDE00\uD83D") }', "surrogate in braces": r'{ a(x: "\u{DBFF}") }',
    "too large braced": r'{ a(x: "\u{110000}") }', "empty braces": r'{ a(x: "\u{}") }',
    "unclosed braces": r'{ a(x: "\u{1F600") }', "short escape": r'{ a(x: "\u12") }', "bad hex": r'{ a(x: "\u12G4") }',
    "unknown escape": r'{ a(x: "\x41") }', "escape at end": '{ a(x: "\\', "unterminated": '{ a(x: "abc) }',
    "newline in string": '{ a(x: "a\nb") }', "cr in string": '{ a(x: "a\rb") }',
    "control char in string": '{ a(x: "a\u0001b") }', "tab in string": '{ a(x: "a\tb") }',
    "unicode in string": '{ a(x: "café ☕ 😀") }', "single quotes": "{ a(x: 'a') }",
    "block simple": '{ a(x: """hello""") }', "block multiline": '{ a(x: """\n    first\n      second\n    third\n  """) }',
    "block escaped quotes": '{ a(x: """a \\""" b""") }', "block backslash": '{ a(x: """a \\n b""") }',
    "block blank lines": '{ a(x: """\n\n  x\n\n""") }', "block crlf": '{ a(x: """\r\n  a\r\n  b\r\n""") }',
    "block unterminated": '{ a(x: """abc) }', "block with quote at end": '{ a(x: """a"""") }',
    "block four quotes": '{ a(x: """"a""") }', "empty string": '{ a(x: "") }', "empty block": '{ a(x: """""") }',
    "bom": "\ufeff{ a }", "bom inside": "{ \ufeffa }", "commas everywhere": ",,{,a,,b,(x:1,,y:2),},,",
    "comments": "# c1\n{ # c2\n a # c3\n}\n# end", "comment with unicode": "# ☕ 😀\n{ a }",
    "crlf": "{\r\n a\r\n b\r\n}", "cr only": "{\r a\r b\r}", "mixed newlines": "{\n a\r\n b\r c\n}",
    "nbsp": "{ a\u00a0b }", "unicode name": "{ café }", "emoji name": "{ 😀 }", "zero width": "{ a\u200bb }",
    "control char": "{ a\u0007 }", "null char": "{ a\u0000 }", "question mark": "{ a? }", "dots": "{ ..a }",
    "two dots spread": "{ .. on A { a } }", "spread on": "{ ... on A { a } }", "spread no type": "{ ... { a } }",
    "spread directive": "{ ... @include(if: true) { a } }", "fragment spread": "{ ...F } fragment F on T { a }",
    "fragment named on": "fragment on on T { a }", "fragment missing on": "fragment F T { a }",
    "fragment variables": "fragment F($a: Int) on T { a }", "empty doc": "", "only comment": "# nothing",
    "only whitespace": "  \n\t ", "empty selection": "{}", "empty args": "{ a() }", "empty vars": "query Q() { a }",
    "empty list": "{ a(x: []) }", "empty object": "{ a(x: {}) }", "nested values": "{ a(x: {b: [1, {c: [true, null, ENUM]}]}) }",
    "variable in const": "query Q($a: Int = $b) { a }", "variable in list const": "query Q($a: [Int] = [$b]) { a }",
    "variable directive": "query Q($a: Int @dir(x: 1)) { a }", "variable directive var": "query Q($a: Int @dir(x: $b)) { a }",
    "non null list": "query Q($a: [[Int!]!]!) { a }", "double bang": "query Q($a: Int!!) { a }",
    "list no close": "query Q($a: [Int) { a }", "alias": "{ x: a y: b(c: 1) }", "alias missing name": "{ x: }",
    "keywords as names": "{ query mutation subscription fragment on true false null type schema }",
    "keywords as aliases": "{ on: a, fragment: b, query: c }", "true as arg value": "{ a(x: true, y: false, z: null) }",
    "mutation": "mutation M { a }", "subscription": "subscription S { a }", "unknown op": "queries Q { a }",
    "anonymous query keyword": "query { a }", "named query no selection": "query Q", "directive on op": "query Q @a @b(c: 1) { a }",
    "description op": '"desc" query Q { a }', "description block op": '"""desc"""\nquery Q { a }',
    "description fragment": '"desc" fragment F on T { a }', "description var": 'query Q("d" $a: Int) { a }',
    "description shorthand": '"desc" { a }', "description extend": '"desc" extend type T @a',
    "two ops": "query A { a } query B { b }", "schema def": "schema { query: Q mutation: M subscription: S }",
    "schema empty": "schema {}", "schema directive only": "schema @a", "schema bad op": "schema { queries: Q }",
    "scalar": "scalar Date @specifiedBy(url: \"https://example.com\")", "type empty braces": "type T {}",
    "type no fields": "type T", "type implements": "type T implements A & B { a: Int }",
    "type implements leading amp": "type T implements & A & B { a: Int }", "type implements comma": "type T implements A, B { a: Int }",
    "type implements trailing amp": "type T implements A & { a: Int }", "field args": "type T { a(x: Int = 1 @d, y: [String!]! = [\"a\"]): Int }",
    "field missing type": "type T { a: }", "field var default": "type T { a(x: Int = $v): Int }",
    "interface": "interface I implements J { a: Int }", "union": "union U = A | B", "union leading pipe": "union U = | A | B",
    "union empty": "union U =", "union no eq": "union U", "union trailing pipe": "union U = A |",
    "enum": "enum E { A B @deprecated(reason: \"x\") }", "enum true": "enum E { true }", "enum null": "enum E { null }",
    "enum empty": "enum E {}", "input": "input I { a: Int = 1, b: [I!] }", "input args": "input I { a(x: Int): Int }",
    "directive def": "directive @d(a: Int) repeatable on FIELD | QUERY", "directive leading pipe": "directive @d on | FIELD",
    "directive bad loc": "directive @d on FIELDS", "directive no at": "directive d on FIELD",
    "directive repeatable twice": "directive @d repeatable repeatable on FIELD", "directive no locations": "directive @d on",
    "extend schema": "extend schema @a { query: Q }", "extend schema empty": "extend schema",
    "extend scalar": "extend scalar S @a", "extend scalar empty": "extend scalar S", "extend type": "extend type T { b: Int }",
    "extend type implements": "extend type T implements I", "extend interface": "extend interface I @a",
    "extend union": "extend union U = C", "extend enum": "extend enum E { C }", "extend input": "extend input I { c: Int }",
    "extend unknown": "extend thing T", "extend description field": "extend type T { \"d\" b: Int }",
    "descriptions everywhere": '"s" schema { query: Q } "t" type Q { "f" f("a" a: Int): Int } "e" enum E { "v" V } "i" input I { "f" f: Int } "d" directive @d("a" a: Int) on FIELD',
    "unicode description": '"""☕ 😀 café""" type T { a: Int }', "deep list": "{ a(x: " + "[" * 60 + "]" * 60 + ") }",
    "deep selection": "{ " + "a { " * 60 + "b" + " }" * 60 + " }", "deep object": "{ a(x: " + "{b: " * 50 + "1" + "}" * 50 + ") }",
    "many args": "{ a(" + ", ".join(f"x{i}: {i}" for i in range(200)) + ") }",
    "long name": "{ " + "a" * 5000 + " }", "long string": '{ a(x: "' + "x" * 20000 + '") }',
}
for name, body in EDGES.items():
    add("edge: " + name, body)

for file in ("kitchen-sink.graphql", "schema-kitchen-sink.graphql"):
    with open(os.path.join(cases, file), encoding="utf-8") as f:
        add("kitchen sink: " + file, f.read())


# --- Grammar-generated documents ----------------------------------------------------------
def name():
    return rng.choice(["a", "b", "id", "user", "tasks", "node", "_x", "Z9", "on", "query", "true", "name_with_underscores"])


def sep():
    return rng.choice([" ", " ", " ", "\n", ", ", "\t", " # note\n", "\r\n"])


def value(depth, const=False):
    kind = rng.randrange(10 if depth > 0 else 8)
    if kind == 0 and not const:
        return "$" + name()
    return [lambda: str(rng.randrange(-1000, 1000)), lambda: f"{rng.uniform(-100, 100):.3f}",
            lambda: '"' + rng.choice(["", "text", "with \\\"quote\\\"", "\\u00e9", "tab\\t", "☕"]) + '"',
            lambda: rng.choice(["true", "false", "null"]), lambda: rng.choice(["RED", "GREEN", "ENUM_VALUE"]),
            lambda: '"""' + rng.choice(["block", "  indented\n  lines", "a \\\"\"\" b"]) + '"""',
            lambda: "1e" + str(rng.randrange(0, 10)), lambda: "0",
            lambda: "[" + sep().join(value(depth - 1, const) for _ in range(rng.randrange(0, 4))) + "]",
            lambda: "{" + sep().join(f"{name()}: {value(depth - 1, const)}" for _ in range(rng.randrange(0, 4))) + "}",
            ][kind]()


def arguments(const=False):
    if rng.random() < 0.5:
        return ""
    return "(" + sep().join(f"{name()}: {value(2, const)}" for _ in range(rng.randrange(1, 4))) + ")"


def directives(const=False):
    return "".join(f" @{name()}{arguments(const)}" for _ in range(rng.choice([0, 0, 0, 1, 2])))


def selection_set(depth):
    items = []
    for _ in range(rng.randrange(1, 5)):
        roll = rng.random()
        if depth > 0 and roll < 0.15:
            items.append(f"... on {name().capitalize()}{directives()} {selection_set(depth - 1)}")
        elif roll < 0.25:
            items.append(f"...{rng.choice(['F', 'Frag', 'UserFields'])}{directives()}")
        else:
            alias = f"{name()}: " if rng.random() < 0.3 else ""
            sub = " " + selection_set(depth - 1) if depth > 0 and rng.random() < 0.4 else ""
            items.append(f"{alias}{name()}{arguments()}{directives()}{sub}")
    return "{" + sep() + sep().join(items) + sep() + "}"


def type_ref():
    t = rng.choice(["Int", "String", "ID", "Input", "[Int]", "[String!]"])
    return t + ("!" if rng.random() < 0.4 else "")


def operation():
    if rng.random() < 0.2:
        return selection_set(3)
    op = rng.choice(["query", "mutation", "subscription"])
    variables = ""
    if rng.random() < 0.5:
        variables = "(" + sep().join(
            f"${name()}: {type_ref()}" + (f" = {value(1, True)}" if rng.random() < 0.3 else "") + directives(True)
            for _ in range(rng.randrange(1, 4))) + ")"
    return f"{op} {rng.choice(['', 'Q', 'GetUser'])}{variables}{directives()} {selection_set(3)}"


def fragment():
    return f"fragment {rng.choice(['F', 'Frag', 'UserFields'])} on {name().capitalize()}{directives()} {selection_set(2)}"


def description():
    return rng.choice(["", "", '"A description" ', '"""\n  Block\n  description\n"""\n'])


def type_definition():
    kind = rng.randrange(7)
    n = rng.choice(["User", "Task", "Query", "Node", "Entity"])
    fields = lambda: "{" + sep().join(
        f"{description()}{name()}{'(' + ', '.join(f'{name()}: {type_ref()}' for _ in range(rng.randrange(1, 3))) + ')' if rng.random() < 0.3 else ''}: {type_ref()}{directives(True)}"
        for _ in range(rng.randrange(1, 5))) + "}"
    if kind == 0:
        return f"{description()}type {n}{' implements Node & Entity' if rng.random() < 0.3 else ''}{directives(True)} {fields()}"
    if kind == 1:
        return f"{description()}interface {n}{directives(True)} {fields()}"
    if kind == 2:
        return f"{description()}union {n}{directives(True)} = {' | '.join(rng.sample(['A', 'B', 'C', 'D'], rng.randrange(1, 4)))}"
    if kind == 3:
        return f"{description()}enum {n} {{ {' '.join(rng.sample(['RED', 'GREEN', 'BLUE', 'ON', 'OFF'], rng.randrange(1, 5)))} }}"
    if kind == 4:
        return f"{description()}input {n} {{ {sep().join(f'{name()}: {type_ref()}' + (f' = {value(1, True)}' if rng.random() < 0.3 else '') for _ in range(rng.randrange(1, 4)))} }}"
    if kind == 5:
        return f"{description()}scalar {n}{directives(True)}"
    return f"{description()}directive @{name()}{'(a: Int)' if rng.random() < 0.5 else ''}{' repeatable' if rng.random() < 0.3 else ''} on {' | '.join(rng.sample(['FIELD', 'QUERY', 'OBJECT', 'ENUM_VALUE', 'SCHEMA'], rng.randrange(1, 4)))}"


generated = []
for index in range(220):
    body = "\n\n".join(operation() if rng.random() < 0.7 else fragment() for _ in range(rng.randrange(1, 4)))
    generated.append(("query", body))
for index in range(120):
    body = "\n\n".join(type_definition() for _ in range(rng.randrange(1, 6)))
    if rng.random() < 0.2:
        body += "\n\nextend type User @key { extra: Int }"
    generated.append(("schema", body))
for index, (kind, body) in enumerate(generated):
    add(f"generated {kind} {index}", body)

# --- Mutations ------------------------------------------------------------------------------
INSERTS = list("{}()[]:!$@\"'.#\n\r,=|&-_aZ09\\ \t") + ["...", '"""', "\u00e9", "\u00a0", "😀", "\ufeff", "on", "query"]
sources = [d["body"] for d in documents if len(d["body"]) > 10]
for index in range(700):
    body = rng.choice(sources)
    if len(body) > 3000:
        body = body[:3000]
    position = rng.randrange(len(body))
    action = rng.randrange(5)
    if action == 0:
        mutated = body[:position] + body[position + 1:]
    elif action == 1:
        mutated = body[:position] + rng.choice(INSERTS) + body[position:]
    elif action == 2:
        mutated = body[:position] + rng.choice(INSERTS) + body[position + 1:]
    elif action == 3:
        end = min(len(body), position + rng.randrange(1, 20))
        mutated = body[:end] + body[position:end] + body[end:]
    else:
        mutated = body[:position]
    add(f"mutation {index} ({['delete', 'insert', 'replace', 'duplicate', 'truncate'][action]})", mutated)

# --- Large documents --------------------------------------------------------------------------
big_query = "query Big($flag: Boolean!) {\n" + "\n".join(
    f"  root{i}: tasks(limit: {i}, where: {{status: {{_eq: OPEN}}}}) {selection_set(3)}" for i in range(600)) + "\n}"
add("large: query", big_query)
add("large: schema", "\n\n".join(type_definition() for _ in range(3000)))

json.dump(documents, sys.stdout, ensure_ascii=False)
