"""Runs the PyPI gql client against a Strata server, as a client application would: it fetches
the schema by introspection, checks three operations against it locally, and runs them.

    gql-client.py URL TOKEN

Prints one line per step; exits non-zero on the first failure."""
import json
import sys

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

url, token = sys.argv[1], sys.argv[2]
transport = RequestsHTTPTransport(url=url, headers={"Authorization": f"Bearer {token}"}, retries=0)
client = Client(transport=transport, fetch_schema_from_transport=True)

with client as session:
    types = session.client.schema.type_map
    print(f"schema: {len(types)} types, query root {session.client.schema.query_type.name}")

    listed = session.execute(
        gql("""query Open($status: String!) {
                 tasks(where: {status: {_eq: $status}}, order_by: {title: asc}) { id title project { name } }
               }"""),
        variable_values={"status": "todo"},
    )
    print("tasks:", json.dumps(listed, sort_keys=True))

    task_id = listed["tasks"][0]["id"]
    one = session.execute(
        gql("query One($id: uuid!) { tasks_by_pk(id: $id) { title status comments { body } } }"),
        variable_values={"id": task_id},
    )
    print("tasks_by_pk:", json.dumps(one, sort_keys=True))

    totals = session.execute(gql("{ tasks_aggregate { aggregate { count sum { reward } } } }"))
    print("tasks_aggregate:", json.dumps(totals, sort_keys=True))

    try:
        session.execute(gql("{ tasks { no_such_field } }"))
        print("a field outside the schema was not caught")
        sys.exit(1)
    except Exception as error:  # gql checks documents against the fetched schema
        print("local validation:", type(error).__name__)
