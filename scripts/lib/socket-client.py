"""GraphQL over WebSocket against a Strata server, as real clients speak it: PyPI gql's
WebsocketsTransport on both subprotocols, then raw `websockets` connections for each close code.

    socket-client.py WS_URL TOKEN SHORT_TOKEN OTHER_TENANT_TOKEN PG_SOCKET_DIR

SHORT_TOKEN expires within a few seconds; OTHER_TENANT_TOKEN is a member of another tenant;
PG_SOCKET_DIR is where the server's embedded PostgreSQL listens, for a write in plain SQL. Prints one line per check; exits non-zero on the first
failure."""
import asyncio
import json
import subprocess
import sys
import time
import urllib.request

import websockets
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport

url, token, short_token, other_token, pg_socket = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
# Another `strata` process on the same database, when given.
other_url = sys.argv[6] if len(sys.argv) > 6 else None
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


TASK = "12000000-0000-4000-8000-000000000002"
LIVE = "subscription Talk($task: uuid!) { comments(where: {task_id: {_eq: $task}}, order_by: {body: asc}) { body } }"


def post(query, bearer=None, server=None):
    """Runs `query` over HTTP, as another client would (on `server`, a WebSocket URL, if given)."""
    request = urllib.request.Request((server or url).replace("ws://", "http://"), data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {bearer or token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


async def first_two(subscription, write, variables=None, subprotocol=WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL):
    """Subscribes; after the first result runs `write` (blocking, on a thread); returns the
    first two results."""
    transport = WebsocketsTransport(url=url, subprotocols=[subprotocol], init_payload={"Authorization": f"Bearer {token}"})
    results = []
    async with Client(transport=transport) as session:
        async for result in session.subscribe(gql(subscription), variable_values=variables):
            results.append(result)
            if len(results) == 2:
                break
            await asyncio.to_thread(write)
    return results


def bodies(result):
    return [comment["body"] for comment in result["comments"]]


def insert_comment(task, body, bearer=None, server=None):
    answer = post('mutation { insert_comments_one(object: {task_id: "%s", body: "%s"}) { body } }' % (task, body), bearer, server)
    if "errors" in answer:
        fail(f"a write failed: {answer}")


async def live(subprotocol):
    """A live query: its first result at once, then a new one after another client's write."""
    body = f"pushed to {subprotocol} at {time.time()}"
    first, second = await first_two(LIVE, lambda: insert_comment(TASK, body), {"task": TASK}, subprotocol)
    added = sorted(set(bodies(second)) - set(bodies(first)))
    print(f"live {subprotocol}: one more comment {len(bodies(second)) == len(bodies(first)) + 1}, the one written {added == [body]}")


async def isolation():
    """A write in another tenant sends the subscriber nothing; its own tenant's next write does."""
    stamp = time.time()

    def writes():
        insert_comment("22000000-0000-4000-8000-000000000001", "globex secret", other_token)
        time.sleep(0.5)
        insert_comment(TASK, f"acme {stamp}")

    first, second = await first_two("subscription { comments(order_by: {body: asc}) { body } }", writes)
    added = sorted(set(bodies(second)) - set(bodies(first)))
    seen = any("globex" in body for body in bodies(first) + bodies(second))
    print(f"isolation: only its own write arrived {added == [f'acme {stamp}']}, other tenant's rows seen: {seen}")


async def leaving():
    """A row that stops matching the subscription's filter disappears from the next result."""
    status = 'mutation { update_tasks_by_pk(pk_columns: {id: "%s"}, _set: {status: "%s"}) { id } }'
    first, second = await first_two('subscription { tasks(where: {status: {_eq: "todo"}}) { id } }',
                                     lambda: post(status % (TASK, "in_progress")))
    post(status % (TASK, "todo"))
    ids = [[task["id"] for task in result["tasks"]] for result in (first, second)]
    print(f"leaving: {TASK in ids[0]} then {TASK in ids[1]}")


async def plain_sql():
    """A write made with plain SQL, not through Strata, refreshes subscribers too."""
    stamp = f"plain {time.time()}"

    def write():
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg_socket, "-U", "postgres", "-d", "strata", "-c",
                        f"INSERT INTO public.comments (tenant_id, task_id, author_id, body) VALUES "
                        f"('00000000-0000-4000-8000-000000000001', '{TASK}', '10000000-0000-4000-8000-000000000002', '{stamp}')"],
                       check=True, capture_output=True)

    first, second = await first_two(LIVE, write, {"task": TASK})
    print(f"plain sql: {sorted(set(bodies(second)) - set(bodies(first))) == [stamp]}")


async def other_process():
    """A write through another `strata` process on the same database reaches this one's subscriber."""
    body = f"through the other process at {time.time()}"
    first, second = await first_two(LIVE, lambda: insert_comment(TASK, body, server=other_url), {"task": TASK})
    print(f"other process: {sorted(set(bodies(second)) - set(bodies(first))) == [body]}")


async def channel_and_stream():
    """gql following the event channel and a stream: each sends the comment written after it started."""
    body = f"followed at {time.time()}"
    first, second = await first_two('subscription { change_events(tables: ["comments"]) { table op new } }',
                                     lambda: insert_comment(TASK, body))
    event = second["change_events"][0] if second["change_events"] else {}
    print(f"channel: first {first['change_events']}, then {event.get('table')} {event.get('op')} {event.get('new', {}).get('body') == body}")
    stream = 'subscription($after: timestamptz!) { comments_stream(batch_size: 5, cursor: {initial_value: {created_at: $after}}) { body } }'
    after = post('{ comments(order_by: {created_at: desc}, limit: 1) { created_at } }')["data"]["comments"][0]["created_at"]
    body = f"streamed at {time.time()}"
    first, second = await first_two(stream, lambda: insert_comment(TASK, body), {"after": after})
    print(f"stream: first {first['comments_stream']}, then {[row['body'] == body for row in second['comments_stream']]}")


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
    await live(WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL)
    await live(WebsocketsTransport.APOLLO_SUBPROTOCOL)
    await isolation()
    await leaving()
    await plain_sql()
    await channel_and_stream()
    if other_url:
        await other_process()
    await ping_pong()
    await close_codes()


asyncio.run(main())
