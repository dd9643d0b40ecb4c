#!/usr/bin/env python3
"""Writes the parse benchmark's documents into a directory: the kitchen sink, a ~100 KB query
and a ~1 MB schema (SDL). Deterministic, so runs compare like with like."""
import os
import random
import shutil
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shutil.copy(os.path.join(root, "Tests/GraphQLLanguageTests/Cases/print/kitchen-sink.graphql"),
            os.path.join(out, "kitchen-sink.graphql"))
rng = random.Random(7)


def selection(depth, width):
    lines = []
    for i in range(width):
        name = f"field{rng.randrange(1000)}"
        if depth > 0 and rng.random() < 0.35:
            args = f'(first: {rng.randrange(100)}, after: "cursor{i}", where: {{status: {{_eq: OPEN}}, owner: {{id: {{_in: [1, 2, 3]}}}}}})'
            lines.append(f"alias{i}: {name}{args} @include(if: $flag) {{ {selection(depth - 1, max(2, width // 2))} }}")
        elif rng.random() < 0.1:
            lines.append("...TaskFields")
        else:
            lines.append(name)
    return " ".join(lines)


query = ["query Big($flag: Boolean!, $id: ID!, $limit: Int = 10) {"]
size = 0
index = 0
while size < 100_000:
    block = f"  root{index}: tasks(limit: $limit, order_by: {{created_at: desc}}) {{ {selection(3, 6)} }}"
    query.append(block)
    size += len(block)
    index += 1
query.append("}")
query.append("fragment TaskFields on Task { id title status due_on assignee { id name } }")
with open(os.path.join(out, "query-100k.graphql"), "w") as f:
    f.write("\n".join(query) + "\n")

sdl = []
size = 0
index = 0
while size < 1_000_000:
    fields = []
    for j in range(12):
        args = f'(where: Filter{index}, limit: Int = 20, order: [Order!] = [ASC])' if j % 3 == 0 else ""
        fields.append(f'  """The field number {j} of type {index}."""\n  field{j}{args}: [Type{(index + j) % 500}!]! @deprecated(reason: "use other")')
    block = (f'"""\nType number {index}, with a description\nspanning lines.\n"""\n'
             f"type Type{index} implements Node & Entity @key(fields: \"id\") {{\n" + "\n".join(fields) + "\n}\n\n"
             f"input Filter{index} {{ id: ID, name: String = \"x\", and: [Filter{index}!] }}\n\n"
             f"enum Status{index} {{ OPEN CLOSED \"archived\" ARCHIVED }}\n")
    sdl.append(block)
    size += len(block)
    index += 1
with open(os.path.join(out, "schema-1m.graphql"), "w") as f:
    f.write("\n".join(sdl))
