#!/usr/bin/env python3
"""Records botocore's serialised and signed requests for every operation into a fixture.

AWS's Python SDK is the oracle for the operations AWS's JS SDK (3.1069.0) lacks, and a second one for the rest:
for each of the model's operations it builds a minimal input (required members only) and a full one (every
member, at every depth), lets botocore serialise and sign them (SigV4, fixed date 2026-01-01T00:00:00Z, keys
AKIDEXAMPLE / secret, region us-east-1) and catches each request in a `before-send` handler, so nothing
leaves the machine. It also records how botocore parses a few success and error answers.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install boto3==1.43.107
    /tmp/v/bin/python packages/http-client/scripts/record-botocore.py            # write the fixture
    /tmp/v/bin/python packages/http-client/scripts/record-botocore.py --check    # exit 1 if it is stale

The fixture (packages/http-client/test/fixtures/botocore-requests.json) is committed; `npm test` needs no
Python. Inputs are recorded in wire form (what the domain's schemas encode to: blobs as base64 strings), so a
TypeScript test decodes them with the operation's input schema to get the typed input.
"""

import base64
import datetime
import json
import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "packages/http-client/test/fixtures/botocore-requests.json"
FIXED_DATE = datetime.datetime(2026, 1, 1, 0, 0, 0)
REGION = "us-east-1"
ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "secret"
EXPECTED_BOTOCORE = "1.43.107"

# botocore reads the signing time through this name; a fixed time makes the signatures reproducible.
botocore.auth.get_current_datetime = lambda remove_tzinfo=True: FIXED_DATE

# Headers that differ per run or per machine and that botocore does not sign (they are dropped from the
# record before signing, so they cannot change the signature either).
UNSTABLE_HEADERS = {"user-agent", "amz-sdk-invocation-id", "amz-sdk-request"}

# =============================================================================
# Sample values
# =============================================================================

# Values for the patterned string shapes (the model's patterns are checked on them below).
PATTERNED = {
    "Arn": "arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef0123456789abcdef",
    "EventDestinationArn": "arn:aws:sns:us-east-1:123456789012:social-messaging-events",
    "IsoCountryCode": "DE",
    "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "LinkedWhatsAppBusinessAccountArn": "arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef",
    "LinkedWhatsAppBusinessAccountId": "waba-0123456789abcdef0123456789abcdef",
    "LinkedWhatsAppPhoneNumberArn": "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/0123456789ab",
    "MetaFlowId": "1234567890123456",
    "MetaTemplateId": "987654321098765",
    "RoleArn": "arn:aws:iam::123456789012:role/SocialMessagingEvents",
    "S3FileBucketNameString": "my-media-bucket",
    "S3PresignedUrlUrlString": "https://my-media-bucket.s3.us-east-1.amazonaws.com/media/photo.jpg",
    "WhatsAppDatasetId": "123456789012345",
    "WhatsAppDate": "2026-12-25",
    "WhatsAppDestinationPhoneNumber": "+14255550123",
    "WhatsAppMediaId": "1234567890",
    "WhatsAppPhoneNumberId": "phone-number-id-0123456789abcdef0123456789abcdef",
}

# Blob contents: Meta's JSON for the message kinds, the rest small JSON documents.
BLOBS = {
    "WhatsAppMessageBlob": {
        "messaging_product": "whatsapp",
        "to": "+14255550123",
        "type": "text",
        "text": {"body": "Grüße & hello"},
    },
    "MetaFlowJsonBlob": {"version": "6.0", "screens": [{"id": "WELCOME", "layout": {"type": "SingleColumnLayout"}}]},
    "MetaTemplateDefinition": {"name": "order_update", "language": "en_US", "category": "UTILITY"},
    "MetaTemplateComponents": [{"type": "BODY", "text": "Your order {{1}} has shipped."}],
    "WhatsAppCallEventBlob": {"call_id": "wacid.123", "action": "accept"},
    "WhatsAppConversionEventBlob": {"event_name": "Purchase", "event_time": 1767225600},
}

# Strings sent in the query or the body where the model allows anything: reserved and non-ASCII characters
# exercise percent-encoding and JSON escaping.
FREE_TEXT = "a b/c:d&e=f+g~ü"


def check_pattern(name, shape, value):
    pattern = shape.metadata.get("pattern")
    if pattern is None:
        return
    anchored = pattern[2:-2] if pattern.startswith(".*") and pattern.endswith(".*") else "^" + pattern + "$"
    if re.search(anchored, value) is None:
        raise SystemExit(f"sample for {name} does not match {anchored}: {value}")


def sample(shape, full, depth=0):
    """A valid value of `shape` in botocore's input form; `full` fills every optional member too."""
    name, kind, meta = shape.name, shape.type_name, shape.metadata
    if depth > 12:
        raise SystemExit(f"recursion at {name}")
    if kind == "structure":
        members = shape.members if full else {k: v for k, v in shape.members.items() if k in shape.required_members}
        return {k: sample(v, full, depth + 1) for k, v in members.items()}
    if kind == "list":
        return [sample(shape.member, full, depth + 1) for _ in range(max(meta.get("min", 1), 1))]
    if kind == "map":
        return {sample(shape.key, full, depth + 1): sample(shape.value, full, depth + 1)}
    if kind == "string":
        if shape.enum:
            return shape.enum[-1] if full else shape.enum[0]
        if name in PATTERNED:
            value = PATTERNED[name]
        elif meta.get("pattern") is not None:
            raise SystemExit(f"no sample for patterned shape {name}")
        else:
            value = FREE_TEXT if full else name
        lo, hi = meta.get("min", 0), meta.get("max")
        if hi is not None and len(value) > hi:
            value = value[:hi]
        if len(value) < lo:
            value = value + "x" * (lo - len(value))
        check_pattern(name, shape, value)
        return value
    if kind in ("integer", "long"):
        lo, hi = meta.get("min"), meta.get("max")
        if full:
            return hi if hi is not None else 42
        return lo if lo is not None else 7
    if kind == "boolean":
        return full
    if kind == "blob":
        return json.dumps(BLOBS[name], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if kind == "timestamp":
        return datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    raise SystemExit(f"shape type {kind} of {name} not handled")


def wire(value, shape):
    """The input as the domain's schemas encode it: blobs base64, timestamps epoch seconds."""
    kind = shape.type_name
    if kind == "structure":
        return {k: wire(v, shape.members[k]) for k, v in value.items()}
    if kind == "list":
        return [wire(v, shape.member) for v in value]
    if kind == "map":
        return {k: wire(v, shape.value) for k, v in value.items()}
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    if kind == "timestamp":
        return value.timestamp()
    return value


# =============================================================================
# Recording
# =============================================================================


class Recorder:
    def __init__(self):
        self.sent = []
        self.answer = (200, {}, b"{}")

    def before_sign(self, request, **_):
        for header in list(request.headers.keys()):
            if header.lower() in UNSTABLE_HEADERS:
                del request.headers[header]

    def before_send(self, request, **_):
        headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
        for h in UNSTABLE_HEADERS:
            headers.pop(h, None)
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        parts = urlsplit(request.url)
        self.sent.append(
            {
                "method": request.method,
                "url": request.url,
                "path": parts.path,
                "rawQuery": parts.query,
                "query": [list(p) for p in parse_qsl(parts.query, keep_blank_values=True)],
                "headers": dict(sorted(headers.items())),
                "body": body if body not in (None, "", b"") else None,
            }
        )
        status, answer_headers, answer_body = self.answer
        return AWSResponse(request.url, status, answer_headers, _Raw(answer_body))


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **_):
        yield self._data

    def read(self, *_):
        return self._data


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().replace("whats_app", "whatsapp")


def make_client(recorder):
    session = botocore.session.get_session()
    client = session.create_client(
        "socialmessaging",
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    client.meta.events.register("before-sign.socialmessaging", recorder.before_sign)
    client.meta.events.register_first("before-send.socialmessaging", recorder.before_send)
    return client


def method_of(client, op_name):
    for python_name, api_name in client.meta.method_to_api_mapping.items():
        if api_name == op_name:
            return getattr(client, python_name)
    raise SystemExit(f"no client method for {op_name}")


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    return value


RESPONSES = [
    # (operation, case, status, headers, body)
    (
        "GetLinkedWhatsAppBusinessAccount",
        "success",
        200,
        {"content-type": "application/json", "x-amzn-requestid": "req-1"},
        {
            "account": {
                "arn": "arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef",
                "id": "waba-0123456789abcdef",
                "wabaId": "123456789012345",
                "registrationStatus": "COMPLETE",
                "linkDate": 1767225600.5,
                "wabaName": "Example",
                "eventDestinations": [],
                "phoneNumbers": [],
            }
        },
    ),
    (
        "ListWhatsAppFlows",
        "success",
        200,
        {"content-type": "application/json"},
        {
            "flows": [
                {
                    "flowId": "1234567890123456",
                    "flowName": "signup",
                    "flowStatus": "DRAFT",
                    "flowCategories": ["SIGN_UP", "SOMETHING_NEW"],
                    "validationErrors": [],
                }
            ],
            "nextToken": "page-2",
        },
    ),
    ("ListTagsForResource", "empty body", 200, {}, None),
    (
        "GetWhatsAppCallPermission",
        "success",
        200,
        {"content-type": "application/json"},
        {"permission": {"status": "GRANTED", "expirationTime": 1767225600}, "actions": []},
    ),
    (
        "SendWhatsAppMessage",
        "error from header",
        400,
        {"x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/", "content-type": "application/json"},
        {"message": "bad message"},
    ),
    (
        "SendWhatsAppMessage",
        "error from __type",
        429,
        {"content-type": "application/json"},
        {"__type": "com.amazonaws.socialmessaging#ThrottledRequestException", "message": "slow down"},
    ),
    (
        "SendWhatsAppCallEvent",
        "error from code",
        409,
        {"content-type": "application/json"},
        {"code": "ConflictException", "message": "conflict"},
    ),
    (
        "AssociateWhatsAppBusinessAccount",
        "undeclared error",
        400,
        {"x-amzn-errortype": "SomethingNewException"},
        {"message": "new"},
    ),
    ("DeleteWhatsAppFlow", "html 502", 502, {"content-type": "text/html"}, "<html>Bad Gateway</html>"),
]


def record():
    if botocore.__version__ != EXPECTED_BOTOCORE:
        raise SystemExit(f"botocore {botocore.__version__}, expected {EXPECTED_BOTOCORE}")
    recorder = Recorder()
    client = make_client(recorder)
    model = client.meta.service_model
    requests = []
    for op_name in sorted(model.operation_names):
        op = model.operation_model(op_name)
        method = method_of(client, op_name)
        for case, full in (("minimal", False), ("full", True)):
            params = sample(op.input_shape, full)
            recorder.sent.clear()
            recorder.answer = (200, {"content-type": "application/json"}, b"{}")
            method(**params)
            if len(recorder.sent) != 1:
                raise SystemExit(f"{op_name} {case}: {len(recorder.sent)} requests")
            requests.append(
                {
                    "operation": op_name,
                    "case": case,
                    "input": wire(params, op.input_shape),
                    "request": recorder.sent[0],
                }
            )
    responses = []
    for op_name, case, status, headers, body in RESPONSES:
        op = model.operation_model(op_name)
        raw = b"" if body is None else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
        recorder.answer = (status, headers, raw)
        entry = {
            "operation": op_name,
            "case": case,
            "response": {"status": status, "headers": headers, "body": raw.decode() if raw else None},
        }
        try:
            entry["parsed"] = jsonable(method_of(client, op_name)(**sample(op.input_shape, False)))
        except ClientError as e:
            entry["error"] = {
                "code": e.response["Error"].get("Code"),
                "message": e.response["Error"].get("Message"),
                "exception": type(e).__name__,
                "httpStatus": e.response["ResponseMetadata"]["HTTPStatusCode"],
            }
        responses.append(entry)
    return {
        "$comment": "Recorded by packages/http-client/scripts/record-botocore.py; do not edit.",
        "botocore": botocore.__version__,
        "region": REGION,
        "accessKeyId": ACCESS_KEY_ID,
        "secretAccessKey": SECRET_ACCESS_KEY,
        "signingDate": "2026-01-01T00:00:00Z",
        "droppedHeaders": sorted(UNSTABLE_HEADERS),
        "operations": len(model.operation_names),
        "requests": requests,
        "responses": responses,
    }


def main():
    text = json.dumps(record(), indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if not FIXTURE.exists() or FIXTURE.read_text(encoding="utf-8") != text:
            print(f"{FIXTURE.relative_to(ROOT)} is stale", file=sys.stderr)
            sys.exit(1)
        print(f"{FIXTURE.relative_to(ROOT)} is up to date")
        return
    FIXTURE.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {FIXTURE.relative_to(ROOT)}: {len(data['requests'])} requests, {len(data['responses'])} responses")


if __name__ == "__main__":
    main()
