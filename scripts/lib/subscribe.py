"""Subscribes to a GraphQL operation over graphql-transport-ws and prints each result as a line
of JSON until the server completes it or Ctrl-C.

    subscribe.py URL TOKEN DOCUMENT [VARIABLES_JSON]"""
import asyncio
import json
import sys

import websockets

url, token, document = sys.argv[1], sys.argv[2], sys.argv[3]
variables = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}


async def main():
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        while json.loads(await socket.recv())["type"] != "connection_ack":
            pass  # a ping before the ack
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": document, "variables": variables}}))
        async for text in socket:
            message = json.loads(text)
            if message["type"] == "ping":
                await socket.send(json.dumps({"type": "pong"}))
            elif message["type"] in ("next", "error"):
                print(json.dumps(message["payload"]), flush=True)
            elif message["type"] == "complete":
                return


try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
except OSError as error:
    sys.exit(f"subscribe: no Strata answers at {url}: {error.strerror or error}")
except websockets.ConnectionClosed as closed:
    sys.exit(f"subscribe: the server closed the connection: {closed.rcvd.code if closed.rcvd else 'no close frame'} "
             f"{closed.rcvd.reason if closed.rcvd else ''}".rstrip())
except websockets.ConnectionClosed as closed:
    sys.exit(f"closed: {closed.rcvd.code if closed.rcvd else ''} {closed.rcvd.reason if closed.rcvd else ''}")
