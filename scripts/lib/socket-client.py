"""GraphQL over WebSocket against a Strata server, as real clients speak it: PyPI gql's
WebsocketsTransport on both subprotocols, then raw `websockets` connections for each close code.

    socket-client.py WS_URL TOKEN SHORT_TOKEN

SHORT_TOKEN expires within a few seconds. Prints one line per check; exits non-zero on the first
failure."""
import asyncio
import json
import sys

import websockets
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

url, token, short_token = sys.argv[1], sys.argv[2], sys.argv[3]
QUERY = "query Open($status: String!) { tasks(where: {status: {_eq: $status}}, order_by: {title: asc}) { title } }"


def fail(message):
    print("FAILED:", message)
    sys.exit(1)


async def gql_client(subprotocol):
    transport = WebsocketsTransport(url=url, subprotocols=[subprotocol], init_payload={"Authorization": f"Bearer {token}"})
    async with Client(transport=transport) as session:
        result = await session.execute(gql(QUERY), variable_values={"status": "todo"})
        print(f"gql {subprotocol}:", json.dumps(result, sort_keys=True))
        # A message over 32 KiB is planned off the event loop; its answer is the same.
        large = await session.execute(gql(QUERY), variable_values={"status": "todo", "padding": "x" * 40_000})
        print(f"gql {subprotocol} large message:", json.dumps(large == result))
        inserted = await session.execute(gql(
            'mutation { insert_comments_one(object: {task_id: "12000000-0000-4000-8000-000000000002", body: "over a socket"}) { body } }'))
        print(f"gql {subprotocol} mutation:", json.dumps(inserted, sort_keys=True))
        try:
            await session.execute(gql("{ tasks { no_such_field } }"))
            fail("a field outside the schema was answered")
        except Exception as error:
            print(f"gql {subprotocol} refused:", type(error).__name__)


async def closed_with(messages, subprotocols=("graphql-transport-ws",), wait=5.0):
    """Sends `messages` (text; None waits for one message from the server, as a client waits
    for the ack) and returns (close code, reason, texts received before it)."""
    received = []
    async with websockets.connect(url, subprotocols=list(subprotocols)) as socket:
        for message in messages:
            if message is None:
                received.append(await asyncio.wait_for(socket.recv(), wait))
            else:
                await socket.send(message)
        try:
            while True:
                received.append(await asyncio.wait_for(socket.recv(), wait))
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None, closed.rcvd.reason if closed.rcvd else "", received
        except asyncio.TimeoutError:
            return None, "still open", received


def init(bearer=None):
    return json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {bearer or token}"}})


def subscribe(id, query="{ tasks { title } }"):
    return json.dumps({"id": id, "type": "subscribe", "payload": {"query": query}})


async def close_codes():
    checks = [
        ("4406", [], ("chat",)),
        ("4400", ["{not json"], None),
        ("4401", [subscribe("1")], None),
        ("4403", [init("not.a.token")], None),
        ("4429", [init(), init()], None),
        ("4409", [init(), None, subscribe("1", "{ tasks { title comments { body } } }"), subscribe("1")], None),
        ("4408", [], None),
    ]
    for expected, messages, subprotocols in checks:
        code, reason, _ = await closed_with(messages, subprotocols or ("graphql-transport-ws",))
        print(f"close {expected}: {code} {reason}")
        if str(code) != expected:
            fail(f"expected {expected}, got {code} {reason}")
    # An expiring token: acknowledged, then closed with 4403 when it expires.
    code, reason, received = await closed_with([init(short_token)], wait=15.0)
    print(f"expiry: {code} {reason} after {received}")
    if code != 4403 or received != ['{"type":"connection_ack"}']:
        fail("an expired token should close the connection with 4403 after its ack")


async def ping_pong():
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:
        await socket.send(json.dumps({"type": "ping", "payload": {"n": 1}}))
        answer = await asyncio.wait_for(socket.recv(), 5)
        print("ping:", answer)
        latency = await asyncio.wait_for(await socket.ping(), 5)
        print("websocket ping answered:", latency >= 0)


async def main():
    await gql_client(WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL)
    await gql_client(WebsocketsTransport.APOLLO_SUBPROTOCOL)
    await ping_pong()
    await close_codes()


asyncio.run(main())
