#!/usr/bin/env python3
"""Checks the JSON Schema files that editors use for the YAML schema (docs/json-schema/) against
the demo schema, which must pass, and against mistakes an editor must flag."""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = os.path.join(os.path.dirname(__file__), "..", "..")
table = json.load(open(os.path.join(root, "docs/json-schema/table.json")))
settings = json.load(open(os.path.join(root, "docs/json-schema/strata.json")))
function = json.load(open(os.path.join(root, "docs/json-schema/function.json")))
table_validator = jsonschema.Draft202012Validator(table)
settings_validator = jsonschema.Draft202012Validator(settings)
function_validator = jsonschema.Draft202012Validator(function)
failures = []

files = sorted(glob.glob(os.path.join(root, "schema/tables/*.yaml")))
for path in files:
    for error in table_validator.iter_errors(yaml.safe_load(open(path))):
        failures.append(f"{os.path.relpath(path, root)}: {error.message}")
function_files = sorted(glob.glob(os.path.join(root, "schema/functions/*.yaml")))
for path in function_files:
    for error in function_validator.iter_errors(yaml.safe_load(open(path))):
        failures.append(f"{os.path.relpath(path, root)}: {error.message}")
if function_validator.is_valid(yaml.safe_load("function: f\nreturns: t\nexposed_as: mutaton\n")):
    failures.append("the function schema accepts an unknown exposed_as")
for error in settings_validator.iter_errors(yaml.safe_load(open(os.path.join(root, "schema/strata.yaml")))):
    failures.append(f"schema/strata.yaml: {error.message}")

mistakes = {
    "unknown column type": "table: t\nprimary_key: [id]\ncolumns: {id: txt}\n",
    "relationship without object or array": "table: t\nprimary_key: [id]\ncolumns: {id: uuid}\nrelationships: {a: {objct: b, columns: {id: id}}}\n",
    "unknown permission key": "table: t\nprimary_key: [id]\ncolumns: {id: uuid}\npermissions: {member: {selct: {columns: '*'}}}\n",
    "unknown event": "table: t\nprimary_key: [id]\ncolumns: {id: uuid}\nevents: [upsert]\n",
    "missing primary key": "table: t\ncolumns: {id: uuid}\n",
    "trigger with two resolvers": "table: t\nprimary_key: [id]\ncolumns: {id: uuid}\ntriggers: {a: {history: {}, sql: {function: f}}}\n",
    "notification without kind": "table: t\nprimary_key: [id]\ncolumns: {id: uuid}\ntriggers: {a: {notification: {recipient: new.id}}}\n",
}
for name, text in mistakes.items():
    if table_validator.is_valid(yaml.safe_load(text)):
        failures.append(f"the table schema accepts a file with: {name}")
if settings_validator.is_valid(yaml.safe_load("auth: {jwt: {algorithms: [HS257]}}\n")):
    failures.append("the settings schema accepts an unknown JWT algorithm")

print(f"JSON Schema: {len(files)} table files, {len(function_files)} function files and strata.yaml valid, {len(mistakes) + 2} mistakes flagged"
      if not failures else "\n".join(failures))
sys.exit(1 if failures else 0)
