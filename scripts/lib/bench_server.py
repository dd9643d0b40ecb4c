"""What scripts/bench-queries and scripts/bench-mutations share: a free loopback port, starting
`strata dev` on a data directory and waiting until it serves, and wrk POSTing one GraphQL
request (after checking that it answers without errors)."""
import glob
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time


def sql(data, statement):
    """Runs SQL as the embedded cluster's superuser; returns the unaligned output."""
    return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", os.path.join(data, "pg"), "-U", "postgres",
                           "-d", "strata"], input=statement, check=True, capture_output=True, text=True).stdout.strip()


def process_counters(pid):
    """CPU seconds used so far by the process, and the context switches of its threads."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    switches = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                for line in status:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
        except FileNotFoundError:
            pass
    return cpu, switches


def busy_seconds():
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O)."""
    with open("/proc/stat") as stat:
        fields = [int(field) for field in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def thread_seconds(pid):
    """CPU seconds used so far by each thread of the process, by thread id."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[task] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def explain(strata, data, path, variables, tenant, user):
    """The final SQL of a one-statement operation and each bind's value, as `strata explain`
    prints them for a member of `tenant`."""
    output = subprocess.run([strata, "explain", "--data-dir", data, "--role", "member", path, "--variables", json.dumps(variables),
                             "--tenant", tenant, "--user", user], check=True, capture_output=True, text=True).stdout
    lines = output.splitlines()
    binds = []
    for line in lines[1:]:
        match = re.match(r"-- \$(\d+) = (.*?)(?:  → (.*))?$", line)
        if match is None:
            break
        value = match.group(3) if match.group(3) is not None else match.group(2)
        binds.append(json.loads(value))
    return lines[0], binds


def pgbench(data, sql_text, binds, connections, seconds, tenant, user):
    """Transactions per second of pgbench running `sql_text` as a prepared statement with
    `binds`, on connections whose settings are a member's of `tenant` from the start."""
    script = os.path.join(data, "bench.sql")
    with open(script, "w") as out:
        out.write(re.sub(r"\$(\d+)", lambda m: f":p{m.group(1)}", sql_text) + ";\n")
    claims = json.dumps({"role": "member", "tenant_id": tenant, "sub": user}, separators=(",", ":"))
    environment = dict(os.environ, PGOPTIONS=f"-c role=member -c app.tenant_id={tenant} -c app.user_id={user} "
                                              f"-c request.jwt.claims={claims} -c TimeZone=UTC")
    command = ["pgbench", "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", script,
               "-h", os.path.join(data, "pg"), "-U", "strata_authenticator", "strata"]
    for index, value in enumerate(binds, start=1):
        command += ["-D", f"p{index}={value if isinstance(value, str) else json.dumps(value)}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=environment).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(strata, data, port, connections, extra=(), prefix=()):
    """Starts `strata dev` (with `extra` arguments, under the command `prefix` if any, such as
    valgrind) and returns once its log (appended to data/server.log) says it serves."""
    log_path = os.path.join(data, "server.log")
    log = open(log_path, "a")
    offset = os.path.getsize(log_path)
    server = subprocess.Popen([*prefix, strata, "dev", "--data-dir", data, "--port", str(port), "--connections", str(connections), *extra],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + (600 if prefix else 180)
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


def wrk_post(data, port, token, body, connections, seconds, details=False):
    """Requests per second of wrk POSTing `body` (JSON text) to /graphql with the token; with
    `details`, a dict of the rate, the request count and the p50/p99 latencies in ms."""
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
    output = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script,
                             f"http://127.0.0.1:{port}/graphql"], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        sys.exit("wrk saw failed requests:\n" + output)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if not details:
        return rate

    def milliseconds(percentile):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return {"rate": rate, "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "p50": milliseconds(50), "p99": milliseconds(99)}


def callgrind_requests(strata, data, label, extra, mint, body, count, between=None, warm_up=300, idle=False):
    """Runs `strata dev` under valgrind's callgrind, POSTs `body` with the token `mint()` makes
    once the server runs (and so the development secret exists) `warm_up` times,
    then `count` times counted (calling `between(index, port)` after each, if given), and
    returns the path of the dump holding the counted requests' instructions. With `idle`, returns
    also a dump of the server left idle as long as the requests took: what its timers (the change
    feed's looks every 25 ms, the log's flushes) cost meanwhile, which under valgrind's slowdown
    is a large share of the first dump and has nothing to do with the requests."""
    out = os.path.join(data, f"callgrind.{label}")
    for old in glob.glob(out + "*"):
        os.remove(old)
    # valgrind cannot read the debug information of a binary that links the Swift runtime in:
    # it runs a copy without it.
    stripped = os.path.join(data, "strata-stripped")
    if not os.path.exists(stripped):
        subprocess.run(["objcopy", "--strip-debug", strata, stripped], check=True)
    port = free_port()
    # Without the file watcher: its scans would count as the requests' instructions.
    server = start_server(stripped, data, port, 2, [*extra, "--no-watch"],
                          prefix=["valgrind", "--tool=callgrind", "--demangle=no", "--collect-atstart=yes", f"--callgrind-out-file={out}.%p"])
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + mint()}

        def requests(n, counted):
            for index in range(n):
                connection.request("POST", "/graphql", body, headers)
                answer = connection.getresponse().read()
                if b'"errors"' in answer:
                    sys.exit(f"the request failed: {answer[:300]}")
                if counted and between:
                    between(index, port)
        requests(warm_up, False)
        time.sleep(1)
        subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True, capture_output=True)
        started = time.monotonic()
        requests(count, True)
        time.sleep(0.5)  # the log writer's next batch
        elapsed = time.monotonic() - started
        subprocess.run(["callgrind_control", "--dump", str(server.pid)], check=True, capture_output=True)
        counted = sorted(glob.glob(f"{out}.{server.pid}.*"), key=os.path.getmtime)[-1]
        if not idle:
            return counted
        time.sleep(0.5)
        subprocess.run(["callgrind_control", "--zero", str(server.pid)], check=True, capture_output=True)
        time.sleep(elapsed)
        subprocess.run(["callgrind_control", "--dump", str(server.pid)], check=True, capture_output=True)
        return counted, sorted(glob.glob(f"{out}.{server.pid}.*"), key=os.path.getmtime)[-1]
    finally:
        server.terminate()
        server.wait(timeout=120)


def callgrind_total(dump):
    """The instructions a callgrind dump counted in all."""
    with open(dump) as text:
        for line in text:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("callgrind wrote no totals")
