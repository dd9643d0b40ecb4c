#!/usr/bin/env python3
"""For each role: builds a client schema from Strata's introspection answer with graphql-core's
build_client_schema and checks that, printed after sorting, it is the SDL `strata schema print`
gives for that role. Roles whose YAML disables introspection must be refused. Then the same for
`strata schema print --format json` (the schema.json codegen tools read), for every role.
    compare-introspection.py STRATA_EXECUTABLE SCHEMA_DIR ROLE…"""
import json
import subprocess
import sys

from graphql import build_client_schema, build_schema, lexicographic_sort_schema, print_schema

strata, schema_dir, roles = sys.argv[1], sys.argv[2], sys.argv[3:]
failures = []
for role in roles:
    answer = subprocess.run([strata, "schema", "introspect", "--schema", schema_dir, "--role", role],
                            capture_output=True, text=True)
    body = json.loads(answer.stdout)
    if "errors" in body:
        if body["errors"][0].get("extensions", {}).get("code") == "introspection-disabled":
            print(f"{role}: introspection refused, as its YAML says")
            continue
        failures.append(f"{role}: {body['errors']}")
        continue
    sdl = subprocess.run([strata, "schema", "print", "--schema", schema_dir, "--role", role],
                         capture_output=True, text=True, check=True).stdout
    from_introspection = print_schema(lexicographic_sort_schema(build_client_schema(body["data"])))
    from_sdl = print_schema(lexicographic_sort_schema(build_schema(sdl)))
    if from_introspection != from_sdl:
        import difflib
        diff = "\n".join(list(difflib.unified_diff(from_sdl.splitlines(), from_introspection.splitlines(),
                                                   "strata schema print", "build_client_schema", lineterm=""))[:40])
        failures.append(f"{role}: the schemas differ\n{diff}")
    else:
        types = len(body["data"]["__schema"]["types"])
        print(f"{role}: build_client_schema gives the printed schema ({types} types, {len(from_sdl.splitlines())} lines)")
for role in roles:
    printed = subprocess.run([strata, "schema", "print", "--schema", schema_dir, "--role", role, "--format", "json"],
                             capture_output=True, text=True)
    sdl = subprocess.run([strata, "schema", "print", "--schema", schema_dir, "--role", role],
                         capture_output=True, text=True, check=True).stdout
    try:
        from_json = print_schema(lexicographic_sort_schema(build_client_schema(json.loads(printed.stdout)["data"])))
    except Exception as error:  # what the command printed is not an introspection result
        failures.append(f"{role}: schema print --format json: {error!r} {printed.stderr}")
        continue
    if from_json == print_schema(lexicographic_sort_schema(build_schema(sdl))):
        print(f"{role}: schema print --format json gives the printed schema")
    else:
        failures.append(f"{role}: schema print --format json differs from the SDL")
if failures:
    print("\n".join(failures))
sys.exit(1 if failures else 0)
