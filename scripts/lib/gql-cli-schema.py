"""Prints each role's schema with PyPI gql's own command line (`gql-cli URL --print-schema`,
introspecting the running server) and compares it, after sorting, with what
`strata schema print --role R` prints from the YAML. One line per role. gql-cli is asked for
everything introspection can tell (`specifiedBy` URLs, deprecated input fields, the schema's
description, repeatable directives). graphql-core 3.2, which gql builds on, does not know `@oneOf` as
a built-in directive (the September 2025 specification's), so it prints its definition; that
definition is left out before comparing.

usage: gql-cli-schema.py GQL_CLI URL STRATA SCHEMA_DIR ROLE=TOKEN…   (TOKEN - for none)
"""
import re
import subprocess
import sys

from graphql import GraphQLSchema, build_schema, lexicographic_sort_schema, print_schema

FULL = ["specified_by_url:true", "input_value_deprecation:true", "schema_description:true", "directive_is_repeatable:true"]


def without_one_of(schema):
    """The schema without a `@oneOf` definition graphql-core 3.2 takes for a custom directive."""
    kwargs = schema.to_kwargs()
    kwargs["directives"] = [directive for directive in kwargs["directives"] if directive.name != "oneOf"]
    return GraphQLSchema(**kwargs)

gql_cli, url, strata, schema_dir = sys.argv[1:5]
failed = False
for pair in sys.argv[5:]:
    role, token = pair.split("=", 1)
    headers = [] if token == "-" else ["-H", f"Authorization:Bearer {token}"]
    fetched = subprocess.run([gql_cli, url, "--print-schema", "--schema-download", *FULL, *headers],
                             capture_output=True, text=True, timeout=120)
    if fetched.returncode != 0:
        codes = re.findall(r"'code': '([a-z-]+)'", fetched.stderr)
        print(f"{role}: gql-cli could not introspect: {codes[0] if codes else fetched.stderr.strip()[-300:]}")
        continue
    printed = subprocess.run([strata, "schema", "print", "--schema", schema_dir, "--role", role],
                             capture_output=True, text=True, check=True).stdout
    same = print_schema(lexicographic_sort_schema(without_one_of(build_schema(fetched.stdout)))) == \
        print_schema(lexicographic_sort_schema(build_schema(printed)))
    print(f"{role}: gql-cli --print-schema {'equals' if same else 'differs from'} strata schema print")
    failed |= not same
sys.exit(1 if failed else 0)
