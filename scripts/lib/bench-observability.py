"""Drives scripts/bench-observability: tasks_by_pk through wrk against `strata dev` with metrics
and JSON request logs off, then on (with a scrape of /metrics every second), alternating, and
prints each run and the ratio of the medians.

    bench-observability.py STRATA DATA_DIR CONNECTIONS SECONDS"""
import glob
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from bench_server import callgrind_requests, callgrind_total, free_port, process_counters, start_server, wrk_post

strata, data, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
BODY = json.dumps({"query": open("queries/bench/tasks_by_pk.graphql").read(), "variables": {"id": "12000000-0000-4000-8000-000000000001"}})
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def run(observed):
    """One server start and one wrk run; returns its rate and how many scrapes it served."""
    os.environ["LOG_LEVEL"] = "info" if observed else "warning"
    port = free_port()
    extra = ["--log-format", "json"] if observed else ["--no-metrics"]
    server = start_server(strata, data, port, connections, extra)
    scrapes = [0]
    done = threading.Event()

    def scrape():
        while not done.wait(1.0):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as response:
                response.read()
            scrapes[0] += 1
    try:
        token = subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                               check=True, capture_output=True, text=True).stdout.strip()
        time.sleep(1)
        scraper = threading.Thread(target=scrape) if observed else None
        if scraper:
            scraper.start()
        cpu_before, _ = process_counters(server.pid)
        figures = wrk_post(data, port, token, BODY, connections, seconds, details=True)
        cpu_after, _ = process_counters(server.pid)
        done.set()
        if scraper:
            scraper.join()
        return figures["rate"], (cpu_after - cpu_before) * 1e6 / figures["requests"], scrapes[0]
    finally:
        server.terminate()
        server.wait(timeout=60)


print(f"tasks_by_pk, {connections} connections, {seconds} s per run, loopback; off = --no-metrics and LOG_LEVEL=warning, "
      f"on = metrics scraped every second and a JSON log line per request")
off, on, off_cpu, on_cpu = [], [], [], []
for round in range(ROUNDS):
    rate, cpu, _ = run(False)
    off.append(rate)
    off_cpu.append(cpu)
    print(f"  off {rate:>9.0f}/s  {cpu:6.1f} µs of Strata CPU per request")
    rate, cpu, scrapes = run(True)
    on.append(rate)
    on_cpu.append(cpu)
    print(f"  on  {rate:>9.0f}/s  {cpu:6.1f} µs of Strata CPU per request  ({scrapes} scrapes)")
if ROUNDS:
    ratio = statistics.median(on) / statistics.median(off)
    print(f"median off {statistics.median(off):.0f}/s, on {statistics.median(on):.0f}/s: on/off = {ratio:.3f} "
          f"(cost {100 * (1 - ratio):.1f}%; target at most 5%)")
    print(f"median CPU per request: off {statistics.median(off_cpu):.1f} µs, on {statistics.median(on_cpu):.1f} µs "
          f"(+{100 * (statistics.median(on_cpu) / statistics.median(off_cpu) - 1):.1f}%)")
    log = open(os.path.join(data, "server.log")).read()
    lines = log.count('"message":"request"')
    print(f"request lines logged: {lines}")


def instructions(observed, count=2000, scrape_every=1000):
    """Instructions Strata executes per request (valgrind's callgrind, counted after a warm-up):
    the same figure on a busy machine as on an idle one. `observed` scrapes /metrics every
    `scrape_every` requests (the load test above scrapes once a second, about once per 4,000
    requests; Prometheus itself every 15 s or more)."""
    os.environ["LOG_LEVEL"] = "info" if observed else "warning"
    extra = ["--log-format", "json"] if observed else ["--no-metrics"]
    def mint():
        return subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                              check=True, capture_output=True, text=True).stdout.strip()

    def scrape(index, port):
        if observed and index % scrape_every == scrape_every - 1:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=120) as response:
                response.read()
    dump = callgrind_requests(strata, data, "on" if observed else "off", extra, mint, BODY, count, between=scrape)
    return callgrind_total(dump) / count


if subprocess.run(["which", "valgrind"], capture_output=True).returncode == 0:
    # Two runs of each, the smaller count kept: what varies from run to run (how often a task
    # finds its data already there) only ever adds instructions.
    quiet = min(instructions(False), instructions(False))
    counted = min(instructions(True), instructions(True))
    print(f"instructions per request (callgrind, fewest of two runs): off {quiet:,.0f}, on {counted:,.0f} "
          f"(+{100 * (counted / quiet - 1):.1f}%; target at most 5%)")
