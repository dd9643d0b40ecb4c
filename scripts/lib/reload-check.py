"""Reloads a running `strata dev` by editing its schema, as a schema author would, with two
live queries open, and prints what a client sees at each step (one line each).

usage: reload-check.py GRAPHQL_URL TOKEN SCHEMA_DIR PG_SOCKET_DIR"""
import asyncio
import json
import subprocess
import sys
import time

import requests
import websockets

graphql, token, schema, pg_socket = sys.argv[1:5]
tasks_file = f"{schema}/tables/tasks.yaml"
original = open(tasks_file).read()
auth = {"Authorization": "Bearer " + token}


def query(text):
    return requests.post(graphql, json={"query": text}, headers=auth).json()


async def next_message(socket, seconds):
    try:
        return json.loads(await asyncio.wait_for(socket.recv(), seconds))
    except asyncio.TimeoutError:
        return None


async def wait_for(socket, id, type, seconds=15):
    """The first message of subscription `id` of `type` within `seconds`, or None."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        message = await next_message(socket, 1)
        if message and message.get("id") == id and message["type"] == type:
            return message
    return None


async def main():
    async with websockets.connect(graphql.replace("http://", "ws://"), subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer " + token}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        await socket.send(json.dumps({"id": "titles", "type": "subscribe", "payload": {"query": "subscription { tasks(order_by: {title: asc}) { title } }"}}))
        await socket.send(json.dumps({"id": "statuses", "type": "subscribe", "payload": {"query": "subscription { tasks(order_by: {id: asc}) { id status } }"}}))
        first = [await next_message(socket, 30), await next_message(socket, 30)]
        print("both live:", sorted(message["id"] for message in first if message and message["type"] == "next"))

        # A broken edit: the reload fails, the API stays as it was.
        open(tasks_file, "w").write(original.replace("columns:\n", "columns:\n  : [\n", 1))
        time.sleep(5)  # the watcher looks every second
        print("after a broken edit, titles still answer:", "data" in query("{ tasks { title } }") and "errors" not in query("{ tasks { title } }"))
        early = await next_message(socket, 0.5)
        print("and no subscription ended:", early is None)

        # The member may no longer read titles.
        open(tasks_file, "w").write(original.replace("assignee_id, title, status, due_on, estimate_hours, reward, created_at", "assignee_id, status, due_on, estimate_hours, reward, created_at", 1))
        ended = await wait_for(socket, "titles", "error")
        print("titles subscription ended with:", ended["type"] if ended else None,
              "reloaded" in json.dumps(ended) if ended else None, "title" in json.dumps(ended) if ended else None)
        refused = query("{ tasks { title } }")
        print("titles over HTTP now:", refused.get("errors", [{}])[0].get("extensions", {}).get("code"))
        print("statuses over HTTP now:", "errors" not in query("{ tasks { status } }"))

        # The other subscription lives on: a write still reaches it.
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg_socket, "-U", "postgres", "-d", "strata", "-c",
                        "UPDATE public.tasks SET status = 'done' WHERE id = '12000000-0000-4000-8000-000000000002'"], check=True)
        pushed = await wait_for(socket, "statuses", "next")
        print("statuses subscription still pushed:", pushed is not None and "done" in json.dumps(pushed))
    open(tasks_file, "w").write(original)


asyncio.run(main())
