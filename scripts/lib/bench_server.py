"""What scripts/bench-queries and scripts/bench-mutations share: a free loopback port, starting
`strata dev` on a data directory and waiting until it serves, and wrk POSTing one GraphQL
request (after checking that it answers without errors)."""
import json
import os
import re
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(strata, data, port, connections):
    """Starts `strata dev` and returns once its log (appended to data/server.log) says it serves."""
    log_path = os.path.join(data, "server.log")
    log = open(log_path, "a")
    offset = os.path.getsize(log_path)
    server = subprocess.Popen([strata, "dev", "--data-dir", data, "--port", str(port), "--connections", str(connections)],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 180
    while time.time() < deadline:
        with open(log_path) as text:
            text.seek(offset)
            if "Strata is serving" in text.read():
                return server
        if server.poll() is not None:
            sys.exit("strata dev exited:\n" + open(log_path).read())
        time.sleep(0.2)
    server.kill()
    sys.exit("strata dev did not start in time")


def wrk_post(data, port, token, body, connections, seconds):
    """Requests per second of wrk POSTing `body` (JSON text) to /graphql with the token."""
    script = os.path.join(data, "bench.lua")
    with open(script, "w") as out:
        out.write('wrk.method = "POST"\n')
        out.write(f"wrk.body = {json.dumps(body)}\n")
        out.write('wrk.headers["Content-Type"] = "application/json"\n')
        out.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    check = subprocess.run(["curl", "-s", "-X", "POST", f"http://127.0.0.1:{port}/graphql", "-H", "Content-Type: application/json",
                            "-H", f"Authorization: Bearer {token}", "-d", body], capture_output=True, text=True).stdout
    if '"data"' not in check or '"errors"' in check:
        sys.exit(f"the request does not answer cleanly: {check[:300]}")
    output = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "-s", script,
                             f"http://127.0.0.1:{port}/graphql"], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        sys.exit("wrk saw failed requests:\n" + output)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
