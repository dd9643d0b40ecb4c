"""The reference answers from graphql-core (a port of graphql-js 16), for machines without node.
Columns count code points rather than UTF-16 units, so documents with characters outside the
Basic Multilingual Plane may differ in column; the comparison notes it."""
import json
import sys

from graphql import GraphQLSyntaxError, parse, print_ast

outcomes = []
for document in json.load(sys.stdin):
    try:
        outcomes.append({"name": document["name"], "ok": True, "printed": print_ast(parse(document["body"]))})
    except GraphQLSyntaxError as error:
        outcomes.append({"name": document["name"], "ok": False, "errors": [
            {"message": error.message, "line": loc.line, "column": loc.column} for loc in error.locations or []]})
    except (RecursionError, IndexError) as error:
        # graphql-core's own failures (deep recursion; an escape at the very end of input).
        outcomes.append({"name": document["name"], "ok": False, "errors": [], "crashed": type(error).__name__})
json.dump(outcomes, sys.stdout)
