"""Makes a few requests of a running Strata, then scrapes its metrics and parses them with
prometheus-client's own text-format parser. Prints one JSON object: the samples a test checks,
the request ids seen, and whether the exposition parsed.

usage: metrics-check.py GRAPHQL_URL METRICS_URL TOKEN
"""
import asyncio
import json
import sys

import requests
import websockets
from prometheus_client.parser import text_string_to_metric_families

graphql, metrics_url, token = sys.argv[1:4]
auth = {"Authorization": "Bearer " + token}
report = {"request_ids": {}}

# One good query three times (a document and plan cache hit after the first), a refused one,
# one without a token, and one with the client's own request id.
for _ in range(3):
    response = requests.post(graphql, json={"query": "query Titles { tasks { title } }"}, headers=auth)
    assert response.status_code == 200, response.text
report["request_ids"]["generated"] = response.headers.get("X-Request-Id")
response = requests.post(graphql, json={"query": "{ tasks { no_such_field } }"}, headers=auth)
report["refused_status"] = response.status_code
response = requests.post(graphql, json={"query": "{ tasks { title } }"}, headers={"Authorization": "Bearer nonsense"})
report["unauthorized_status"] = response.status_code
response = requests.post(graphql, json={"query": "{ tasks { title } }"}, headers={**auth, "X-Request-Id": "checkout-42"})
report["request_ids"]["given"] = response.headers.get("X-Request-Id")


async def subscribe_and_scrape():
    """A live query over WebSocket held open while the metrics are scraped."""
    socket_url = graphql.replace("http://", "ws://")
    async with websockets.connect(socket_url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer " + token}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "subscription { tasks { title } }"}}))
        assert json.loads(await socket.recv())["type"] == "next"
        return requests.get(metrics_url)


scrape = asyncio.run(subscribe_and_scrape())
report["content_type"] = scrape.headers.get("Content-Type")
samples = {}
types = {}
for family in text_string_to_metric_families(scrape.text):
    types[family.name] = family.type
    for sample in family.samples:
        labels = ",".join(f"{key}={value}" for key, value in sorted(sample.labels.items()))
        samples[f"{sample.name}{{{labels}}}"] = sample.value
report["parsed"] = True
report["types"] = types
report["samples"] = samples
print(json.dumps(report))
