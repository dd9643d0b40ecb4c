#!/usr/bin/env python3
"""Restarts PostgreSQL under a running Strata while clients query and insert, and reports what
the clients saw. Standard library only.

usage: restart-drill.py URL MEMBER_TOKEN ADMIN_TOKEN PG_CTL DATA_DIR [RUNAS_USER]

Four clients run for the whole drill: two read (`projects`), two insert comments and count the
inserts Strata acknowledged. One second in, PostgreSQL is stopped (fast), kept down for two
seconds, and started again. The report (JSON on stdout) gives every status seen, the answers
while the database was down, the time from PostgreSQL being back to the first good read, the
slowest answer, and the acknowledged inserts beside the rows the table holds afterwards.
"""
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

url, member, admin, pg_ctl, data_dir = sys.argv[1:6]
runas = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
TASK = "12000000-0000-4000-8000-000000000001"
RUN = str(int(time.time() * 1000))

lock = threading.Lock()
events = []          # (start, end, kind, status, code)
acked = []           # bodies of acknowledged inserts
stop = threading.Event()


def post(token, query, variables=None, timeout=15):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/graphql-response+json",
        "Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            payload = json.loads(text)
        except ValueError:
            payload = {"raw": text.decode(errors="replace")}
        return error.code, dict(error.headers), payload
    except Exception as error:  # a hang past the timeout or a dropped connection
        return 0, {}, {"exception": repr(error)}


def code_of(payload):
    try:
        return payload["errors"][0]["extensions"]["code"]
    except (KeyError, IndexError, TypeError):
        return None


def reader():
    while not stop.is_set():
        start = time.monotonic()
        status, headers, payload = post(member, "{ projects { name } }")
        with lock:
            events.append((start, time.monotonic(), "read", status, code_of(payload), headers.get("Retry-After")))
        time.sleep(0.02)


def writer(number):
    sequence = 0
    while not stop.is_set():
        sequence += 1
        text = "drill-%s-%d-%d" % (RUN, number, sequence)
        start = time.monotonic()
        status, headers, payload = post(member, "mutation($c: comments_insert_input!) { insert_comments_one(object: $c) { id } }",
                                        {"c": {"task_id": TASK, "body": text}})
        ok = status == 200 and isinstance(payload, dict) and (payload.get("data") or {}).get("insert_comments_one")
        with lock:
            events.append((start, time.monotonic(), "write", status, code_of(payload), headers.get("Retry-After")))
            if ok:
                acked.append(text)
        time.sleep(0.02)


def pg(*arguments):
    command = [pg_ctl] + list(arguments)
    if runas:
        command = ["runuser", "-u", runas, "--"] + command
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


threads = [threading.Thread(target=reader) for _ in range(2)] + [threading.Thread(target=writer, args=(n,)) for n in range(2)]
for thread in threads:
    thread.start()
time.sleep(1)
down_at = time.monotonic()
pg("stop", "-D", data_dir + "/pg", "-m", "fast", "-w")
stopped_at = time.monotonic()
time.sleep(2)
# Down for certain until the start begins: PostgreSQL accepts connections before `pg_ctl -w`
# notices and returns, so requests ending before `back_at` may already be served.
starting_at = time.monotonic()
pg("start", "-D", data_dir + "/pg", "-w", "-t", "60", "-l", data_dir + "/pg/restart.log")
back_at = time.monotonic()
deadline = back_at + 10
recovered_at = None
while time.monotonic() < deadline and recovered_at is None:
    time.sleep(0.05)
    with lock:
        good = [end for (start, end, kind, status, code, _) in events if kind == "read" and status == 200 and start >= back_at]
    if good:
        recovered_at = min(good)
time.sleep(1)
stop.set()
for thread in threads:
    thread.join()

status, _, payload = post(admin, 'query($p: String!) { comments_aggregate(where: {body: {_like: $p}}) { aggregate { count } } }',
                          {"p": "drill-%s-%%" % RUN})
stored = (((payload or {}).get("data") or {}).get("comments_aggregate") or {}).get("aggregate", {}).get("count")
status, _, payload = post(admin, 'query($b: [String!]) { comments_aggregate(where: {body: {_in: $b}}) { aggregate { count } } }',
                          {"b": acked})
acked_stored = (((payload or {}).get("data") or {}).get("comments_aggregate") or {}).get("aggregate", {}).get("count")

statuses = {}
for (_, _, kind, status, code, _) in events:
    key = "%s %s %s" % (kind, status, code or "")
    statuses[key] = statuses.get(key, 0) + 1
outage = [e for e in events if e[0] >= stopped_at and e[1] < starting_at]
report = {
    "requests": len(events),
    "statuses": statuses,
    "during_outage": len(outage),
    "answered_503_during_outage": sum(1 for e in outage if e[3] == 503),
    "retry_after_on_503": all(e[5] for e in events if e[3] == 503),
    "unexpected": sorted({"%s %s %s" % (e[2], e[3], e[4]) for e in events if e[3] not in (200, 503)}),
    "slowest_seconds": round(max((end - start for (start, end, *_rest) in events), default=0), 3),
    "stop_seconds": round(stopped_at - down_at, 3),
    "recovery_seconds": round(recovered_at - back_at, 3) if recovered_at else None,
    "acknowledged_inserts": len(acked),
    "stored_inserts": stored,
    "acknowledged_and_stored": acked_stored,
}
print(json.dumps(report))
