#!/usr/bin/env python3
"""Builds the validation conformance corpus as JSON: [{"name", "body"}, ...], against
Tests/Conformance/validation-schema.graphql. Deterministic (fixed seed).

- hand-written documents for each rule, valid and invalid;
- documents generated from the schema that are valid by construction;
- those documents with one targeted fault each (a misspelt field, a missing or extra argument,
  a literal of the wrong type, an undefined or unused variable, a misplaced directive, an
  impossible fragment, a duplicate name, ...).
"""
import json
import os
import random
import sys

from graphql import (GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLList,
                     GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLUnionType, build_schema,
                     Undefined, get_named_type)

here = os.path.dirname(os.path.abspath(__file__))
schema = build_schema(open(os.path.join(here, "validation-schema.graphql"), encoding="utf-8").read())
rng = random.Random(5)
documents = []


def add(name, body):
    documents.append({"name": name, "body": body})


HAND = {
    "valid simple": "{ me { id name } }",
    "valid named": "query Q($id: ID!) { user(id: $id) { email role } }",
    "valid fragments": "query { me { ...U } } fragment U on User { id friends(first: 2) { name } }",
    "valid inline on union": "{ search(text: \"x\") { ... on User { email } ... on Task { status } __typename } }",
    "valid interface spread": "{ node(id: 1) { ... on Entity { name } ... on Comment { body } } }",
    "valid typename everywhere": "{ __typename me { __typename } }",
    "valid introspection": "{ __schema { types { name kind fields(includeDeprecated: true) { name } } } __type(name: \"User\") { name } }",
    "valid directives": "query @cached(ttl: 5) { me @include(if: true) @trace @trace(label: \"x\") { id } }",
    "valid default variable": "query ($f: Int = 3) { users(first: $f) { id } }",
    "valid nullable var with default into non-null": "query ($id: ID = \"1\") { user(id: $id) { id } }",
    "valid list coercion": "{ tasks(order: {field: NAME}) { id } }",
    "valid input object": "mutation { createTask(input: {title: \"t\", tags: [\"a\"], meta: {any: [1, \"x\"]}}) { id } }",
    "valid subscription": "subscription S { taskChanged(id: 1) { status } }",
    "valid enum values": "{ users(role: ADMIN) { tasks(status: [OPEN, DONE]) { estimate(unit: DAYS) } } }",
    "valid float from int": "{ echo(number: 1, count: 2, flag: false, label: \"l\", ident: 7) }",
    "sdl in query": "type Foo { a: Int } { me { id } }",
    "schema in query": "schema { query: Query } { me { id } }",
    "directive def in query": "directive @x on FIELD { me { id } }",
    "duplicate operation names": "query A { me { id } } query A { me { name } }",
    "anonymous with others": "{ me { id } } query B { me { id } }",
    "two anonymous": "{ me { id } } { me { name } }",
    "subscription two fields": "subscription S { taskChanged(id: 1) { id } commentAdded(taskId: 1) { id } }",
    "subscription introspection": "subscription { __typename }",
    "subscription via fragment": "subscription { ...F } fragment F on Subscription { taskChanged(id: 1) { id } commentAdded(taskId: 1) { id } }",
    "unknown var type": "query ($a: Strin) { me { id } }",
    "unknown fragment type": "fragment F on Usr { id } { me { ...F } }",
    "unknown inline type": "{ me { ... on Usr { id } } }",
    "fragment on scalar": "fragment F on String { length } { me { ...F } }",
    "inline on enum": "{ me { ... on Role { x } } }",
    "var non input": "query ($u: User) { me { id } }",
    "var non input list": "query ($u: [User!]) { me { id } }",
    "leaf with selection": "{ me { id { x } } }",
    "object without selection": "{ me }",
    "list of objects without selection": "{ users }",
    "unknown field": "{ me { emial } }",
    "unknown field on interface": "{ node(id: 1) { name } }",
    "unknown field on union": "{ search(text: \"x\") { id } }",
    "unknown root field": "{ mee { id } }",
    "duplicate fragment names": "{ me { ...F } } fragment F on User { id } fragment F on User { name }",
    "unknown fragment": "{ me { ...Missing } }",
    "unused fragment": "{ me { id } } fragment Unused on User { id }",
    "impossible inline": "{ me { ... on Task { status } } }",
    "impossible spread": "{ me { ...T } } fragment T on Task { status }",
    "impossible union spread": "{ owner(id: 1) { ... on Task { id } } }",
    "interface spread on union possible": "{ owner(id: 1) { ... on Named { name } } }",
    "fragment cycle": "{ me { ...A } } fragment A on User { manager { ...B } } fragment B on User { ...A }",
    "fragment self": "{ me { ...A } } fragment A on User { ...A }",
    "fragment long cycle": "{ me { ...A } } fragment A on User { ...B } fragment B on User { ...C } fragment C on User { ...A }",
    "duplicate variables": "query ($a: Int, $a: Int, $a: String) { users(first: $a) { id } }",
    "undefined variable": "query Q { users(first: $n) { id } }",
    "undefined variable anonymous": "{ users(first: $n) { id } }",
    "undefined variable in fragment": "query Q { me { ...F } } fragment F on User { friends(first: $n) { id } }",
    "unused variable": "query Q($x: Int) { me { id } }",
    "unused variable anonymous": "query ($x: Int) { me { id } }",
    "variable used only in other op's fragment": "query A($x: Int!) { me { ...F } } query B { me { id } } fragment F on User { friends(first: $x) { id } }",
    "unknown directive": "{ me @nope { id } }",
    "misplaced directive": "query @include(if: true) { me { id } }",
    "misplaced cached": "{ me { ...F @cached(ttl: 1) } } fragment F on User { id }",
    "duplicate directive": "{ me @include(if: true) @include(if: false) { id } }",
    "repeatable directive ok": "{ me @trace @trace { id } }",
    "unknown argument": "{ me { tasks(frist: 1) { id } } }",
    "unknown directive argument": "{ me @include(iff: true) { id } }",
    "duplicate argument": "{ users(first: 1, first: 2) { id } }",
    "int as string": "{ users(first: \"1\") { id } }",
    "float for int": "{ users(first: 1.5) { id } }",
    "int too big": "{ users(first: 3000000000) { id } }",
    "string for enum": "{ users(role: \"ADMIN\") { id } }",
    "unknown enum": "{ users(role: ADMN) { id } }",
    "enum for string": "{ search(text: HELLO) { __typename } }",
    "null for non-null": "{ user(id: null) { id } }",
    "list for scalar": "{ users(first: [1]) { id } }",
    "object for scalar": "{ users(first: {a: 1}) { id } }",
    "scalar for input": "{ tasks(filter: 5) { id } }",
    "missing required input field": "mutation { createTask(input: {status: OPEN}) { id } }",
    "unknown input field": "mutation { createTask(input: {titel: \"x\"}) { id } }",
    "nested wrong type": "{ tasks(filter: {and: [{status: CLOSED}]}) { id } }",
    "null item in non-null list": "{ me { tasks(status: [OPEN, null]) { id } } }",
    "bad default value": "query ($f: Int = \"x\") { users(first: $f) { id } }",
    "bad id": "{ user(id: 1.5) { id } }",
    "boolean as string": "{ echo(flag: \"true\") }",
    "missing required argument": "{ user { id } }",
    "missing directive argument": "{ me @include { id } }",
    "missing cached ttl": "query @cached { me { id } }",
    "variable wrong type": "query ($f: String) { users(first: $f) { id } }",
    "nullable variable into non-null": "query ($id: ID) { user(id: $id) { id } }",
    "nullable with location default": "query ($f: Int) { me { friends(first: $f) { id } } }",
    "list variable into single": "query ($f: [Int]) { users(first: $f) { id } }",
    "single variable into list": "query ($s: Status!) { me { tasks(status: [$s]) { id } } }",
    "variable in input object": "query ($t: String!) { tasks(filter: {title: $t}) { id } }",
    "variable wrong in input object": "query ($t: Int) { tasks(filter: {title: $t}) { id } }",
    "duplicate input field": "mutation { createTask(input: {title: \"a\", title: \"b\"}) { id } }",
    "deprecated field ok": "{ task(id: 1) { title } }",
    "typename on scalar parent": "{ me { id { __typename } } }",
    "schema meta field off root": "{ me { __schema { types { name } } } }",
    "overlap same field twice": "{ me { id id } }",
    "overlap alias different fields": "{ me { x: id x: name } }",
    "overlap differing args": "{ users(first: 1) { id } users(first: 2) { id } }",
    "overlap same args reordered": "{ me { tasks(first: 1, after: \"a\") { id } tasks(after: \"a\", first: 1) { id } } }",
    "overlap args vs none": "{ me { tasks { id } tasks(first: 20) { id } } }",
    "overlap variable vs literal": "query ($n: Int) { users(first: $n) { id } users(first: 1) { id } }",
    "overlap nested subfields": "{ me { manager { x: id } manager { x: name } } }",
    "overlap deep subfields": "{ me { manager { manager { x: id } } manager { manager { x: email } } } }",
    "overlap via fragment": "{ me { x: id ...F } } fragment F on User { x: name }",
    "overlap between fragments": "{ me { ...A ...B } } fragment A on User { x: id } fragment B on User { x: name }",
    "overlap nested fragments": "{ me { ...A } } fragment A on User { x: id ...B } fragment B on User { x: email }",
    "overlap exclusive parents ok": "{ search(text: \"a\") { ... on User { x: email } ... on Task { x: name } } }",
    "overlap exclusive parents type conflict": "{ search(text: \"a\") { ... on User { x: email } ... on Task { x: status } } }",
    "overlap interface and object": "{ node(id: 1) { ... on Entity { x: name } ... on User { x: email } } }",
    "overlap list vs single": "{ search(text: \"a\") { ... on User { t: friends(first: 1) { id } } ... on Project { t: owner { id } } } }",
    "overlap nonnull vs nullable": "{ search(text: \"a\") { ... on User { e: email } ... on Project { e: name } } }",
    "overlap typename alias": "{ me { __typename x: __typename x: id } }",
    "overlap in mutation": "mutation { x: closeTask(id: 1) { id } x: closeTask(id: 2) { id } }",
    "overlap deep different args": "{ me { friends(first: 1) { tasks(first: 1) { id } } friends(first: 1) { tasks(first: 2) { id } } } }",
    "overlap repeated identical": "{ me { " + " ".join(["manager { id name }"] * 30) + " } }",
    "overlap repeated with one odd": "{ me { " + " ".join(["m: manager { id }"] * 10) + " m: friends(first: 1) { id } } }",
    "overlap fragment self-referencing cycle": "{ me { ...A } } fragment A on User { manager { ...A } x: id }",
}
for name, body in HAND.items():
    add("hand: " + name, body)


# --- Documents valid by construction -----------------------------------------------------
class Gen:
    def __init__(self):
        self.variables = {}
        self.fragments = {}

    def literal(self, t, depth=0):
        if isinstance(t, GraphQLNonNull):
            return self.literal(t.of_type, depth)
        if isinstance(t, GraphQLList):
            return "[" + ", ".join(self.literal(t.of_type, depth + 1) for _ in range(rng.randrange(0, 3))) + "]"
        if isinstance(t, GraphQLEnumType):
            return rng.choice(list(t.values))
        if isinstance(t, GraphQLInputObjectType):
            parts = []
            for fname, field in t.fields.items():
                required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
                if required or (depth < 2 and rng.random() < 0.4):
                    parts.append(f"{fname}: {self.literal(field.type, depth + 1)}")
            return "{" + ", ".join(parts) + "}"
        return {"Int": lambda: str(rng.randrange(0, 100)), "Float": lambda: rng.choice(["1.5", "2", "-0.25e2"]),
                "String": lambda: '"s"', "Boolean": lambda: rng.choice(["true", "false"]),
                "ID": lambda: rng.choice(['"7"', "7"]), "DateTime": lambda: '"2026-01-01"',
                "JSON": lambda: rng.choice(['{a: [1, "x"]}', "null", "3"])}[t.name]()

    def argument_value(self, t):
        if rng.random() < 0.3:
            name = f"v{len(self.variables)}"
            self.variables[name] = str(t)
            return "$" + name
        return self.literal(t)

    def selection(self, t, depth):
        named = get_named_type(t)
        if isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
            return ""
        if isinstance(named, GraphQLUnionType):
            parts = ["__typename"] + [f"... on {m.name} {{ {self.fields(m, depth)} }}" for m in rng.sample(named.types, rng.randrange(1, len(named.types) + 1))]
            return "{ " + " ".join(parts) + " }"
        body = self.fields(named, depth)
        if isinstance(named, GraphQLInterfaceType) and rng.random() < 0.5:
            impl = rng.choice(schema.get_possible_types(named))
            body += f" ... on {impl.name} {{ {self.fields(impl, depth)} }}"
        if isinstance(named, GraphQLObjectType) and depth < 2 and rng.random() < 0.25:
            fname = f"F{len(self.fragments)}"
            self.fragments[fname] = f"fragment {fname} on {named.name} {{ {self.fields(named, depth + 1)} }}"
            body += f" ...{fname}"
        return "{ " + body + " }"

    def fields(self, t, depth):
        chosen = rng.sample(list(t.fields.items()), min(len(t.fields), rng.randrange(1, 4)))
        parts = []
        for fname, field in chosen:
            named = get_named_type(field.type)
            if depth >= 3 and not isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
                parts.append("__typename")
                continue
            args = []
            for aname, arg in field.args.items():
                required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
                if required or rng.random() < 0.3:
                    args.append(f"{aname}: {self.argument_value(arg.type)}")
            alias = f"a{rng.randrange(100)}: " if rng.random() < 0.2 else ""
            directive = rng.choice(["", "", "", " @include(if: true)", " @skip(if: $skip)", " @trace(label: \"t\")"])
            if "$skip" in directive:
                self.variables["skip"] = "Boolean!"
            parts.append(f"{alias}{fname}{'(' + ', '.join(args) + ')' if args else ''}{directive} {self.selection(field.type, depth + 1)}".strip())
        return " ".join(parts)

    def document(self, root, keyword):
        body = self.selection(root, 0)
        variables = ", ".join(f"${k}: {v}" for k, v in self.variables.items())
        head = f"{keyword} Op{rng.randrange(1000)}" + (f"({variables})" if variables else "")
        return "\n".join([head + " " + body] + list(self.fragments.values()))


valid = []
for index in range(260):
    roll = rng.random()
    if roll < 0.75:
        doc = Gen().document(schema.query_type, "query")
    elif roll < 0.92:
        doc = Gen().document(schema.mutation_type, "mutation")
    else:
        gen = Gen()
        field = rng.choice(list(schema.subscription_type.fields.items()))
        gen_body = f"{field[0]}({', '.join(f'{a}: {gen.literal(arg.type)}' for a, arg in field[1].args.items())}) {gen.selection(field[1].type, 1)}"
        doc = "subscription S { " + gen_body + " }"
    valid.append(doc)
    add(f"generated {index}", doc)

# --- One fault each -----------------------------------------------------------------------------
FAULTS = [
    ("misspelt field", lambda d: d.replace(" id", " idd", 1)),
    ("unknown argument", lambda d: d.replace("(", "(bogus: 1, ", 1)),
    ("missing required argument", lambda d: d.replace("(id: ", "(ignored: ", 1)),
    ("wrong literal type", lambda d: d.replace("first: ", "first: \"many\" # ", 1) if "first: " in d else d.replace("(id: ", "(id: 1.5, x: ", 1)),
    ("undefined variable", lambda d: d.replace("{", "{ users(first: $undefinedVar) { id } ", 1)),
    ("unused variable", lambda d: d.replace("{", "($unusedVar: Int) {", 1) if "(" not in d.split("{")[0] else d.replace("(", "($unusedVar: Int, ", 1)),
    ("unknown directive", lambda d: d.replace("{", "@unknownDirective {", 1)),
    ("misplaced directive", lambda d: d.replace(" {", " @skip(if: true) {", 1)),
    ("impossible fragment", lambda d: d.replace("{", "{ ... on Comment { body } ", 1)),
    ("duplicate operation", lambda d: d + "\n" + d.split("\n")[0]),
    ("drop selection", lambda d: d.replace("{ __typename }", "", 1)),
    ("enum as string", lambda d: d.replace("OPEN", "\"OPEN\"", 1).replace("ADMIN", "\"ADMIN\"", 1)),
    ("null argument", lambda d: d.replace("(id: ", "(id: null, x: ", 1)),
    ("unknown fragment", lambda d: d.replace("__typename", "...NoSuchFragment", 1)),
    ("duplicate argument", lambda d: d.replace("(", "(first: 1, first: 2, ", 1)),
]
for index in range(420):
    name, fault = rng.choice(FAULTS)
    base = rng.choice(valid)
    mutated = fault(base)
    if mutated != base:
        add(f"fault {index} ({name})", mutated)

json.dump(documents, sys.stdout, ensure_ascii=False)
