"""Drives scripts/profile-request: `strata dev` under callgrind, one GraphQL request repeated on
one keep-alive connection after a warm-up, and where its instructions go — per request, by
library and by function (exclusive counts). Instructions, not seconds: the same figures on a
busy machine as on an idle one, so a change's effect shows without a quiet machine. What the
server spends idle in as long as the requests took is counted too and taken off.

    profile-request.py STRATA DATA_DIR QUERY_FILE VARIABLES_JSON REQUESTS TOP"""
import collections
import json
import os
import re
import subprocess
import sys

from bench_server import callgrind_requests

strata, data, query_file, variables, count, top = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
BODY = json.dumps({"query": open(query_file).read(), "variables": json.loads(variables)})

# The library a function belongs to, from its demangled name (the binary links everything in).
LIBRARIES = [
    ("PostgresNIO", r"PostgresNIO|_PostgresNIO"),
    ("SwiftNIO", r"\bNIO[A-Za-z0-9]*\.|NIOCore|NIOPosix|_NIO"),
    ("swift-log/metrics/tracing", r"Logging\.|CoreMetrics|Metrics\.|Tracing\.|Instrumentation\.|ServiceContext"),
    ("Strata: server", r"\bServer\."),
    ("Strata: database", r"\bDatabase\."),
    ("Strata: planner and SQL", r"\bPlanner\.|\bSQL\."),
    ("Strata: GraphQL", r"GraphQL(Language|TypeSystem|Validation)\."),
    ("Strata: other", r"\b(Telemetry|APISchema|SchemaModel|Events|strata)\."),
    ("JWTKit/crypto", r"JWTKit|Crypto|_CryptoExtras|CCryptoBoringSSL"),
    ("Foundation", r"Foundation"),
    ("Swift runtime: exclusivity checks", r"swift_beginAccess|swift_endAccess|AccessSet"),
    ("Swift runtime: generic metadata and casts", r"Metadata|getCache|tryCast|swift_dynamicCast|swift_conformsTo|ConformanceCache|swift_getWitnessTable|swift_getAssociated"),
    ("Swift concurrency", r"swift_task|swift_job|swift_continuation|swift_asyncLet|Concurrency|AsyncTask|StatusRecord|StackAllocator|TaskAllocator|swift::|SwiftTLSContext"),
    ("Swift runtime: retain/release", r"swift_retain|swift_release|swift_bridgeObjectRetain|swift_bridgeObjectRelease|swift_unknownObject"),
    ("Swift runtime: allocation", r"swift_allocObject|swift_deallocObject|swift_deallocClassInstance|swift_slowAlloc|swift_slowDealloc|swift_allocBox|malloc|free|_int_malloc|_int_free|calloc|realloc|cfree|RefCounts|swift_arrayDestroy|swift_arrayInit"),
    ("Swift runtime: enums and value witnesses", r"swift_getEnumCase|swift_storeEnumTag|swift_destructiveProjectEnum|value witness|swift_isUniquelyReferenced"),
    ("Swift standard library", r"\bSwift\.|\$ss|swift_"),
    ("libc", r"^(mem|str|__|pthread|epoll|read|write|send|recv|clock)"),
]


def library(name):
    for label, pattern in LIBRARIES:
        if re.search(pattern, name):
            return label
    return "other"


def profile():
    os.environ["LOG_LEVEL"] = os.environ.get("LOG_LEVEL", "info")
    def mint():
        return subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                              check=True, capture_output=True, text=True).stdout.strip()
    # Without the background workers a mutation's count is the request's alone, not also its
    # change events' handling.
    extra = [] if os.environ.get("PROFILE_WORKERS", "1") == "1" else ["--no-workers"]
    return callgrind_requests(strata, data, "profile", extra, mint, BODY, count, idle=True)


def exclusive_costs(path):
    """Each function's own instructions in a callgrind file (what its calls cost is left out),
    by its mangled name."""
    names, costs = {}, collections.Counter()
    current, skip_next, total = None, False, None
    with open(path, errors="replace") as dump:
        for line in dump:
            if line.startswith("fn="):
                match = re.match(r"fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
                if match.group(2) is not None:
                    names[match.group(1)] = match.group(2)
                current = names.get(match.group(1), match.group(1))
            elif line.startswith("calls="):
                skip_next = True  # the next cost line is the call's inclusive cost
            elif line.startswith("cfn="):
                match = re.match(r"cfn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
                if match.group(2) is not None:
                    names[match.group(1)] = match.group(2)
            elif line.startswith("summary:"):
                total = int(line.split()[1])
            elif line[:1].isdigit() or line[:1] in "+-*":
                if skip_next:
                    skip_next = False
                elif current is not None:
                    costs[current] += int(line.split()[-1])
    return total, costs


if os.environ.get("PROFILE_FROM"):
    dump, idle_dump = os.environ["PROFILE_FROM"], os.environ.get("PROFILE_FROM_IDLE")
else:
    dump, idle_dump = profile()
if os.environ.get("PROFILE_DUMP"):
    import shutil
    shutil.copy(dump, os.environ["PROFILE_DUMP"])
    if idle_dump:
        shutil.copy(idle_dump, os.environ["PROFILE_DUMP"] + ".idle")
total, costs = exclusive_costs(dump)
if not total:
    sys.exit("callgrind wrote no totals")
# What the idle server spent in as long as the requests took — its timers' work, which valgrind's
# slowdown makes a large and varying share — is taken off, function by function.
idle_total = 0
if idle_dump:
    idle_total, idle_costs = exclusive_costs(idle_dump)
    for name, instructions in idle_costs.items():
        costs[name] = max(0, costs[name] - instructions)
    total = sum(costs.values())
functions = costs.most_common()
names = [name for name, _ in functions]
demangled = subprocess.run(["swift-demangle"], input="\n".join(names), check=True, capture_output=True, text=True).stdout.splitlines()
by_library = collections.Counter()
for (_, instructions), name in zip(functions, demangled):
    by_library[library(name)] += instructions
print(f"{os.path.basename(query_file)}: {total / count:,.0f} instructions per request in Strata's process "
      f"(callgrind, {count} requests on one keep-alive connection, after 300 to warm up; less "
      f"{idle_total / count:,.0f} per request that the idle server spent in as long)")
print("\nby library (exclusive):")
for label, instructions in by_library.most_common():
    if os.environ.get("PROFILE_OTHER") and label == "other":
        for (_, cost), name in list(zip(functions, demangled)):
            if library(name) == "other" and cost / count > 300:
                print(f"      other: {cost / count:>8,.0f}  {name[:140]}")
    print(f"  {instructions / count:>10,.0f}  {100 * instructions / total:5.1f}%  {label}")
print(f"\ntop {top} functions (exclusive):")
for (_, instructions), name in list(zip(functions, demangled))[:top]:
    print(f"  {instructions / count:>10,.0f}  {100 * instructions / total:5.1f}%  {name[:160]}")
