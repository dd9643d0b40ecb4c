"""A stand-in OpenTelemetry collector: receives OTLP/HTTP trace exports (protobuf or JSON) on
POST /v1/traces and prints each span as one JSON line, flushed at once.

usage: otlp-receiver.py        (prints "listening on PORT" first; runs until killed)

Span lines: {"trace_id", "span_id", "parent_span_id" (hex, "" for a root), "name", "kind"
(SERVER, CLIENT, INTERNAL…), "start", "end" (nanoseconds), "status" (UNSET, OK, ERROR),
"attributes" (name to value), "service" (the resource's service.name), "content_type"}.
"""
import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse

KINDS = {0: "UNSPECIFIED", 1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}
STATUSES = {0: "UNSET", 1: "OK", 2: "ERROR"}


def value_of(any_value):
    """An OTLP AnyValue as JSON (proto3 JSON mapping: one key naming its kind)."""
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in any_value:
            return any_value[key]
    if "intValue" in any_value:
        return int(any_value["intValue"])
    return any_value


def hex_id(text):
    """Ids are base64 in protobuf's JSON mapping and hex in OTLP/JSON."""
    if not text:
        return ""
    if len(text) in (16, 32) and all(c in "0123456789abcdef" for c in text):
        return text
    return base64.b64decode(text).hex()


def kind_of(value):
    if isinstance(value, int):
        return KINDS.get(value, str(value))
    return value.replace("SPAN_KIND_", "")


def status_of(status):
    code = status.get("code", 0)
    if isinstance(code, int):
        return STATUSES.get(code, str(code))
    return code.replace("STATUS_CODE_", "")


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/x-protobuf"):
            request = MessageToDict(ExportTraceServiceRequest.FromString(body))
        else:
            request = json.loads(body)
        for resource_spans in request.get("resourceSpans", []):
            resource = {a["key"]: value_of(a["value"]) for a in resource_spans.get("resource", {}).get("attributes", [])}
            for scope_spans in resource_spans.get("scopeSpans", []):
                for span in scope_spans.get("spans", []):
                    print(json.dumps({
                        "trace_id": hex_id(span.get("traceId")), "span_id": hex_id(span.get("spanId")),
                        "parent_span_id": hex_id(span.get("parentSpanId", "")), "name": span.get("name"),
                        "kind": kind_of(span.get("kind", 0)), "start": int(span.get("startTimeUnixNano", 0)),
                        "end": int(span.get("endTimeUnixNano", 0)), "status": status_of(span.get("status", {})),
                        "attributes": {a["key"]: value_of(a["value"]) for a in span.get("attributes", [])},
                        "service": resource.get("service.name"), "content_type": content_type,
                    }), flush=True)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf" if content_type.startswith("application/x-protobuf") else "application/json")
        answer = answer if content_type.startswith("application/x-protobuf") else b"{}"
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *arguments):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
print(f"listening on {server.server_address[1]}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
