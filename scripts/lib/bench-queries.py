"""Drives scripts/bench-queries: starts `strata dev` on a fresh data directory, then for each
benchmark query measures pgbench on its final SQL (prepared, settings fixed per connection) and
wrk against Strata's /graphql, and prints both with their ratio.

    bench-queries.py STRATA DATA_DIR CONNECTIONS SECONDS"""
import json
import os
import re
import subprocess
import sys

from bench_server import free_port, start_server, wrk_post

strata, data, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
QUERIES = [
    ("tasks_by_pk", "queries/bench/tasks_by_pk.graphql", {"id": "12000000-0000-4000-8000-000000000001"}, 0.5),
    ("nested lists", "queries/bench/nested_lists.graphql", {}, 0.8),
]


def explain(path, variables):
    """The final SQL and each bind's value, as `strata explain` prints them."""
    output = subprocess.run([strata, "explain", "--data-dir", data, "--role", "member", path, "--variables", json.dumps(variables),
                             "--tenant", ACME, "--user", ALAN], check=True, capture_output=True, text=True).stdout
    lines = output.splitlines()
    binds = []
    for line in lines[1:]:
        match = re.match(r"-- \$(\d+) = (.*?)(?:  → (.*))?$", line)
        value = match.group(3) if match.group(3) is not None else match.group(2)
        binds.append(json.loads(value))
    return lines[0], binds


def pgbench(sql, binds):
    script = os.path.join(data, "bench.sql")
    with open(script, "w") as out:
        out.write(re.sub(r"\$(\d+)", lambda m: f":p{m.group(1)}", sql) + ";\n")
    claims = json.dumps({"role": "member", "tenant_id": ACME, "sub": ALAN}, separators=(",", ":"))
    environment = dict(os.environ, PGOPTIONS=f"-c role=member -c app.tenant_id={ACME} -c app.user_id={ALAN} "
                                              f"-c request.jwt.claims={claims} -c TimeZone=UTC")
    command = ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", script,
               "-h", os.path.join(data, "pg"), "-U", "strata_authenticator", "strata"]
    for index, value in enumerate(binds, start=1):
        command += ["-D", f"p{index}={value}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=environment).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def wrk(port, token, path, variables):
    return wrk_post(data, port, token, json.dumps({"query": open(path).read(), "variables": variables}), connections, seconds)


def healthz(port):
    output = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", f"http://127.0.0.1:{port}/healthz"],
                            check=True, capture_output=True, text=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


port = free_port()
server = start_server(strata, data, port, connections)
try:
    token = subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                           check=True, capture_output=True, text=True).stdout.strip()
    print(f"{connections} connections, {seconds} s per run, loopback, one machine")
    print(f"{'query':<14} {'pgbench (limit)':>16} {'strata':>10} {'ratio':>7} {'target':>7} {'/healthz':>10} {'ratio':>7}")
    for name, path, variables, target in QUERIES:
        sql, binds = explain(path, variables)
        limit = pgbench(sql, binds)
        served = wrk(port, token, path, variables)
        # The same HTTP server answering a constant: what no query can beat on this machine.
        floor = healthz(port)
        print(f"{name:<14} {limit:>14.0f}/s {served:>8.0f}/s {served / limit:>6.2f}x {target:>6.1f}x "
              f"{floor:>8.0f}/s {floor / limit:>6.2f}x")
finally:
    server.terminate()
    server.wait(timeout=60)
