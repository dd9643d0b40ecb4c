"""Sends traced requests to a running Strata, as the tracing test needs them, and prints what it
sent as one JSON object (trace ids, parent ids, request ids).

usage: trace-requests.py GRAPHQL_URL TOKEN

- "first": a query with a sampled traceparent, seen for the first time (parsed, validated, planned);
- "again": the same query under another trace (answered from the caches);
- "unsampled": the same query with a traceparent whose sampled flag is off;
- "untraced": the query with no traceparent (Strata starts the trace);
- "socket": a query over graphql-transport-ws whose upgrade request carried a traceparent;
- "variables": a query with a variable whose value must appear in no span.
"""
import asyncio
import json
import secrets
import sys

import requests
import websockets

graphql, token = sys.argv[1:3]
auth = {"Authorization": "Bearer " + token}
QUERY = "query Titles { tasks(limit: 2) { title } }"
report = {}


def parent():
    trace, span = secrets.token_hex(16), secrets.token_hex(8)
    return trace, span


def post(name, query, flags="01", variables=None, traced=True):
    headers = dict(auth)
    entry = {}
    if traced:
        trace, span = parent()
        headers["traceparent"] = f"00-{trace}-{span}-{flags}"
        entry.update(trace_id=trace, parent_id=span)
    response = requests.post(graphql, json={"query": query, "variables": variables or {}}, headers=headers)
    entry.update(status=response.status_code, request_id=response.headers.get("X-Request-Id"), body=response.json())
    report[name] = entry


post("first", QUERY)
post("again", QUERY)
post("unsampled", QUERY, flags="00")
post("untraced", QUERY, traced=False)
post("variables", "query Named($title: String!) { tasks(where: {title: {_eq: $title}}) { id } }",
     variables={"title": "variable-value-never-traced"})


async def socket_query():
    trace, span = parent()
    socket_url = graphql.replace("http://", "ws://")
    headers = {"traceparent": f"00-{trace}-{span}-01"}
    # The header argument was renamed in websockets 14.
    named = "additional_headers" if int(websockets.__version__.split(".")[0]) >= 14 else "extra_headers"
    async with websockets.connect(socket_url, subprotocols=["graphql-transport-ws"], **{named: headers}) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer " + token}}))
        while json.loads(await socket.recv())["type"] != "connection_ack":
            pass
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "query OverSocket { projects { name } }"}}))
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == "next":
                break
    report["socket"] = {"trace_id": trace, "parent_id": span}


asyncio.run(socket_query())
print(json.dumps(report))
