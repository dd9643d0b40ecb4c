#!/usr/bin/env python3
"""Black-box fuzzing of a running Strata: hypothesis-graphql generates operations from each
role's API (valid ones, and invalid ones in its negative mode), and a second strategy mutates
them (cut, spliced, nested deep, fragments repeated). Every request is posted as that role.

usage: blackbox-fuzz.py URL [--examples N] [--seed S] ROLE SDL_FILE TOKEN [ROLE SDL_FILE TOKEN …]
       (TOKEN '-' sends no Authorization header)

Every answer must be GraphQL JSON with `data` or `errors`; the only 5xx allowed is 503 with
`database-unavailable`; the server must answer /healthz afterwards. Prints a JSON report and
exits 1 on the first answer that breaks these rules, with the request that caused it.
"""
import json
import sys
import urllib.error
import urllib.request

from hypothesis import HealthCheck, given, seed, settings, strategies as st
from hypothesis_graphql import Mode, from_schema, nodes

arguments = sys.argv[1:]
url = arguments.pop(0)
examples, random_seed = 200, 1
while arguments and arguments[0].startswith("--"):
    flag = arguments.pop(0)
    if flag == "--examples":
        examples = int(arguments.pop(0))
    elif flag == "--seed":
        random_seed = int(arguments.pop(0))
roles = [arguments[i:i + 3] for i in range(0, len(arguments), 3)]

uuids = st.one_of(st.uuids().map(str), st.sampled_from([
    "00000000-0000-4000-8000-000000000001", "12000000-0000-4000-8000-000000000001", "not-a-uuid", ""]))
SCALARS = {
    "uuid": uuids.map(nodes.String),
    "timestamptz": st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), st.text(max_size=12)).map(nodes.String),
    "date": st.one_of(st.dates().map(str), st.text(max_size=12)).map(nodes.String),
    "numeric": st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str), st.integers().map(str),
                         st.text(max_size=8)).map(nodes.String),
    "bigint": st.one_of(st.integers(min_value=-2**70, max_value=2**70).map(str)).map(nodes.String),
    "jsonb": st.one_of(st.text(max_size=10).map(nodes.String), st.integers(min_value=-2**40, max_value=2**40).map(nodes.Int)),
}


def mutated(document):
    """Documents a client might send by mistake or malice, built from a generated one."""
    return st.one_of(
        st.integers(min_value=0, max_value=max(len(document) - 1, 0)).map(lambda cut: document[:cut]),
        st.integers(min_value=1, max_value=400).map(lambda depth: "{ " + "__typename " + "a { " * depth + "b" + " }" * depth + " }"),
        st.integers(min_value=1, max_value=300).map(
            lambda count: "{ ...F " * 1 + "}\nfragment F on query_root { " + "__typename " * count + "}"),
        st.integers(min_value=2, max_value=60).map(lambda count: document + "\n" + document.replace("{", "{ __typename ", 1) * count),
        st.text(max_size=60).map(lambda noise: document[: len(document) // 2] + noise + document[len(document) // 2:]),
    )


failures = []
seen = {"requests": 0, "statuses": {}}


def post(token, query):
    body = json.dumps({"query": query}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
    if token != "-":
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check(role, token, query):
    status, raw = post(token, query)
    seen["requests"] += 1
    seen["statuses"][str(status)] = seen["statuses"].get(str(status), 0) + 1
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = None
    problem = None
    if not isinstance(payload, dict) or not ("data" in payload or "errors" in payload):
        problem = "not a GraphQL response"
    elif status >= 500 and not (status == 503 and "database-unavailable" in raw.decode(errors="replace")):
        problem = "a server error"
    if problem:
        failures.append({"role": role, "status": status, "problem": problem, "query": query[:2000],
                         "answer": raw[:500].decode(errors="replace")})
        raise AssertionError(problem)


for role, sdl_file, token in roles:
    sdl = open(sdl_file, encoding="utf-8").read()
    strategies = [from_schema(sdl, custom_scalars=SCALARS, mode=Mode.POSITIVE),
                  from_schema(sdl, custom_scalars=SCALARS, mode=Mode.NEGATIVE)]
    for index, strategy in enumerate(strategies):
        documents = strategy | strategy.flatmap(mutated) if index == 0 else strategy

        @seed(random_seed)
        @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @given(documents)
        def run(document):
            check(role, token, document)

        try:
            run()
        except AssertionError:
            break
    if failures:
        break

alive = False
try:
    with urllib.request.urlopen(url.rsplit("/", 1)[0] + "/healthz", timeout=10) as response:
        alive = response.status == 200
except Exception:
    pass
print(json.dumps({"requests": seen["requests"], "statuses": seen["statuses"], "alive": alive, "failures": failures[:1]}))
sys.exit(0 if alive and not failures else 1)
