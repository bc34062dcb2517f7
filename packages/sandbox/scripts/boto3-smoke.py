#!/usr/bin/env python3
"""Drives the sandbox server with AWS's Python SDK (boto3) through every operation of the newest model.

Not run by `npm test`. From the repository root:

    python3 -m venv /tmp/v && /tmp/v/bin/pip install boto3
    /tmp/v/bin/python packages/sandbox/scripts/boto3-smoke.py [--endpoint-url http://127.0.0.1:PORT]

Without --endpoint-url it starts `packages/sandbox/src/serve.ts` (through npx tsx) on a free port and stops
it at the end. Every operation botocore's model has is called at least once (the script checks it against
`client.meta.service_model.operation_names`); each call's outcome is printed, and the exit code is 0 only if
every step went as expected (including the errors expected on purpose).
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import urllib.request

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ACCESS_KEY = "AKIASANDBOX000000001"
SECRET_KEY = "sandbox-secret-access-key-do-not-use-in-aws"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))

called = set()
failures = []


def start_server():
    process = subprocess.Popen(
        ["npx", "tsx", "--conditions=@social-messaging/source", "packages/sandbox/src/serve.ts", "--port", "0",
         "--template-review-delay", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return process, match.group(1)
    raise SystemExit("the sandbox server did not start")


def step(name, operation, fn, expect_error=None):
    """Runs one call; `expect_error` names the AWS error it must fail with."""
    called.add(operation)
    try:
        result = fn()
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if expect_error == code:
            print(f"  ok    {operation:48} {name}: {code} (expected)")
            return error.response
        failures.append(f"{operation}: {name}: {code}: {error.response['Error'].get('Message')}")
        print(f"  FAIL  {operation:48} {name}: {code}: {error.response['Error'].get('Message')}")
        return None
    if expect_error is not None:
        failures.append(f"{operation}: {name}: succeeded, expected {expect_error}")
        print(f"  FAIL  {operation:48} {name}: succeeded, expected {expect_error}")
        return result
    print(f"  ok    {operation:48} {name}")
    return result


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"  FAIL  {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint-url")
    args = parser.parse_args()
    process = None
    url = args.endpoint_url
    if url is None:
        process, url = start_server()
    try:
        run(url)
    finally:
        if process is not None:
            process.terminate()
            process.wait()
    model = boto3.session.Session().client("socialmessaging", region_name="us-east-1").meta.service_model
    missing = sorted(set(model.operation_names) - called)
    print(f"\nbotocore {botocore.__version__}: {len(model.operation_names)} operations in the model, "
          f"{len(called & set(model.operation_names))} called; {len(failures)} failures")
    if missing:
        print("not called: " + ", ".join(missing))
    for failure in failures:
        print("  - " + failure)
    sys.exit(1 if failures or missing else 0)


def run(url):
    client = boto3.client(
        "socialmessaging", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"max_attempts": 1}))
    blob = lambda value: json.dumps(value).encode()

    print(f"boto3 {boto3.__version__} against {url}")
    # Association.
    s1 = step("step 1", "AssociateWhatsAppBusinessAccount", lambda: client.associate_whatsapp_business_account(
        signupCallback={"accessToken": "sandbox-meta-token-two-wabas"}))
    token = s1["signupCallbackResult"]["associateInProgressToken"]
    s2 = step("step 2", "AssociateWhatsAppBusinessAccount", lambda: client.associate_whatsapp_business_account(
        setupFinalization={"associateInProgressToken": token, "waba": {"id": "100000000000001"},
                           "phoneNumbers": [{"id": "200000000000011", "twoFactorPin": "123456"},
                                            {"id": "200000000000012", "twoFactorPin": "123456"}]}))
    waba = s2["linkedWhatsAppBusinessAccountId"]
    listed = step("list", "ListLinkedWhatsAppBusinessAccounts", lambda: client.list_linked_whatsapp_business_accounts())
    check([a["id"] for a in listed["linkedAccounts"]] == [waba], "the linked WABA is listed")
    account = step("get", "GetLinkedWhatsAppBusinessAccount", lambda: client.get_linked_whatsapp_business_account(id=waba))
    number = account["account"]["phoneNumbers"][0]["phoneNumberId"]
    number_arn = account["account"]["phoneNumbers"][0]["arn"]
    step("get number", "GetLinkedWhatsAppBusinessAccountPhoneNumber",
         lambda: client.get_linked_whatsapp_business_account_phone_number(id=number))
    step("event destinations", "PutWhatsAppBusinessAccountEventDestinations",
         lambda: client.put_whatsapp_business_account_event_destinations(id=waba, eventDestinations=[
             {"eventDestinationArn": "arn:aws:sns:us-east-1:123456789012:events"}]))
    step("tag the number", "TagResource", lambda: client.tag_resource(resourceArn=number_arn, tags=[{"key": "team", "value": "support"}]))
    tags = step("list tags", "ListTagsForResource", lambda: client.list_tags_for_resource(resourceArn=number_arn))
    check(tags["tags"] == [{"key": "team", "value": "support"}], "the number's tags")
    step("untag", "UntagResource", lambda: client.untag_resource(resourceArn=number_arn, tagKeys=["team"]))

    # Messages.
    sent = step("text message", "SendWhatsAppMessage", lambda: client.send_whatsapp_message(
        originationPhoneNumberId=number, metaApiVersion="v20.0",
        message=blob({"messaging_product": "whatsapp", "to": "+16505551234", "type": "text", "text": {"body": "Hello from boto3"}})))
    step("no recipient", "SendWhatsAppMessage", lambda: client.send_whatsapp_message(
        originationPhoneNumberId=number, metaApiVersion="v20.0",
        message=blob({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}})), expect_error="ValidationException")
    step("unregistered number", "SendWhatsAppMessage", lambda: client.send_whatsapp_message(
        originationPhoneNumberId="phone-number-id-00000000000000000000000000000000", metaApiVersion="v20.0",
        message=blob({"messaging_product": "whatsapp", "to": "+16505551234", "type": "text", "text": {"body": "x"}})),
        expect_error="ResourceNotFoundException")
    with urllib.request.urlopen(f"{url}/_sandbox/outbox?originationPhoneNumberId={number}") as response:
        outbox = json.load(response)["messages"]
    check([m["messageId"] for m in outbox] == [sent["messageId"]], "the outbox holds the message sent")

    # Media.
    media = step("post from S3", "PostWhatsAppMessageMedia", lambda: client.post_whatsapp_message_media(
        originationPhoneNumberId=number, sourceS3File={"bucketName": "sandbox-media", "key": "images/welcome.jpg"}))
    media_id = media["mediaId"]
    meta = step("metadata", "GetWhatsAppMessageMedia", lambda: client.get_whatsapp_message_media(
        mediaId=media_id, originationPhoneNumberId=number, metadataOnly=True))
    check(meta["mimeType"] == "image/jpeg", "the media's MIME type")
    step("image by id", "SendWhatsAppMessage", lambda: client.send_whatsapp_message(
        originationPhoneNumberId=number, metaApiVersion="v20.0",
        message=blob({"messaging_product": "whatsapp", "to": "+16505551234", "type": "image", "image": {"id": media_id}})))
    step("delete", "DeleteWhatsAppMessageMedia", lambda: client.delete_whatsapp_message_media(mediaId=media_id, originationPhoneNumberId=number))
    handle = step("header sample", "CreateWhatsAppMessageTemplateMedia", lambda: client.create_whatsapp_message_template_media(
        id=waba, sourceS3File={"bucketName": "sandbox-media", "key": "images/logo.png"}))
    check(handle["metaHeaderHandle"].startswith("4::"), "a header handle")

    # Templates.
    created = step("create", "CreateWhatsAppMessageTemplate", lambda: client.create_whatsapp_message_template(
        id=waba, templateDefinition=blob({"name": "boto3_test", "language": "en_US", "category": "UTILITY",
                                         "components": [{"type": "BODY", "text": "Hi {{1}}"}]})))
    template_id = created["metaTemplateId"]
    templates = step("list", "ListWhatsAppMessageTemplates", lambda: client.list_whatsapp_message_templates(id=waba, maxResults=2))
    check("nextToken" in templates, "the template list has a second page")
    got = step("get", "GetWhatsAppMessageTemplate", lambda: client.get_whatsapp_message_template(id=waba, metaTemplateId=template_id))
    check(json.loads(got["template"])["status"] == "APPROVED", "reviewed with a zero delay: APPROVED")
    step("update", "UpdateWhatsAppMessageTemplate", lambda: client.update_whatsapp_message_template(
        id=waba, metaTemplateId=template_id, templateComponents=blob([{"type": "BODY", "text": "Hello {{1}}"}])))
    library = step("library", "ListWhatsAppTemplateLibrary", lambda: client.list_whatsapp_template_library(id=waba, filters={"topic": "APPOINTMENT"}))
    check([t["templateName"] for t in library["metaLibraryTemplates"]] == ["appointment_reminder"], "the library filter")
    step("from library", "CreateWhatsAppMessageTemplateFromLibrary", lambda: client.create_whatsapp_message_template_from_library(
        id=waba, metaLibraryTemplate={"templateName": "my_reminder", "libraryTemplateName": "appointment_reminder",
                                      "templateCategory": "UTILITY", "templateLanguage": "en_US"}))
    step("delete", "DeleteWhatsAppMessageTemplate", lambda: client.delete_whatsapp_message_template(
        id=waba, templateName="boto3_test", deleteAllLanguages=True))

    # Flows.
    flow_json = blob({"version": "7.3", "screens": [{"id": "WELCOME", "terminal": True, "layout": {"type": "SingleColumnLayout", "children": []}}]})
    flow = step("create", "CreateWhatsAppFlow", lambda: client.create_whatsapp_flow(id=waba, flowName="boto3", categories=["SURVEY"]))
    flow_id = flow["flowId"]
    step("update", "UpdateWhatsAppFlow", lambda: client.update_whatsapp_flow(id=waba, flowId=flow_id, flowName="boto3 v2"))
    step("assets", "UpdateWhatsAppFlowAssets", lambda: client.update_whatsapp_flow_assets(id=waba, flowId=flow_id, flowJson=flow_json))
    step("list assets", "ListWhatsAppFlowAssets", lambda: client.list_whatsapp_flow_assets(id=waba, flowId=flow_id))
    step("preview", "GetWhatsAppFlowPreview", lambda: client.get_whatsapp_flow_preview(id=waba, flowId=flow_id, invalidate=True))
    step("publish", "PublishWhatsAppFlow", lambda: client.publish_whatsapp_flow(id=waba, flowId=flow_id))
    got_flow = step("get", "GetWhatsAppFlow", lambda: client.get_whatsapp_flow(id=waba, flowId=flow_id))
    check(got_flow["flowStatus"] == "PUBLISHED", "the flow is published")
    step("delete published", "DeleteWhatsAppFlow", lambda: client.delete_whatsapp_flow(id=waba, flowId=flow_id),
         expect_error="InvalidParametersException")
    step("deprecate", "DeprecateWhatsAppFlow", lambda: client.deprecate_whatsapp_flow(id=waba, flowId=flow_id))
    step("list", "ListWhatsAppFlows", lambda: client.list_whatsapp_flows(id=waba))
    draft = step("create draft", "CreateWhatsAppFlow", lambda: client.create_whatsapp_flow(id=waba, flowName="draft", categories=["OTHER"]))
    step("delete draft", "DeleteWhatsAppFlow", lambda: client.delete_whatsapp_flow(id=waba, flowId=draft["flowId"]))

    # Datasets and conversion events.
    dataset = step("dataset", "CreateWhatsAppDataset", lambda: client.create_whatsapp_dataset(id=waba))
    step("conversion event", "SendWhatsAppConversionEvent", lambda: client.send_whatsapp_conversion_event(
        id=waba, datasetId=dataset["datasetId"], eventData=blob({"data": [{
            "event_name": "Purchase", "event_time": 1767225600, "action_source": "business_messaging",
            "messaging_channel": "whatsapp", "user_data": {"ctwa_clid": "abc"}}]})))

    # Business public key.
    pem = "\n".join([
        "-----BEGIN PUBLIC KEY-----",
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqCA6FaiZESakyzJUVVjQ",
        "0Xrp8j2ZAmLxM7XY1Mbfh9GjZOtTKT1VbCLnTb1tCu/NCHSZPuJIx0A6dw98FeA2",
        "+9nEDJWYnWtVHdVi7idIp7uSszi3tGYkG5XQj+OmBZClRFI+0osods0P9JV4pe2A",
        "k7x5l7cHnzSqCTBn5gTw+XNITET05M62D2Q4aYV+CU+ol2ahOpnRaQihW5GCHEBN",
        "vUaNPeNWnwxpUOP+nDkWC5eUt2+fz7WBDYemxYOoO6pg5xnU7uBU2CiRg8OT6arA",
        "kQnuAsirb8Fbf5DbrNTYVlCVssvVEdnONW5VB6ClVIR/5/rF246k6LeIsm69LB0g",
        "ywIDAQAB",
        "-----END PUBLIC KEY-----", ""])
    step("put key", "PutWhatsAppBusinessPublicKey", lambda: client.put_whatsapp_business_public_key(
        originationPhoneNumberId=number, businessPublicKey=pem))
    step("not a PEM", "PutWhatsAppBusinessPublicKey", lambda: client.put_whatsapp_business_public_key(
        originationPhoneNumberId=number, businessPublicKey="nope"), expect_error="InvalidParametersException")
    key = step("get key", "GetWhatsAppBusinessPublicKey", lambda: client.get_whatsapp_business_public_key(originationPhoneNumberId=number))
    check(key.get("businessPublicKeySignatureStatus") == "VALID", "the key reads back")

    # Calling.
    step("call settings", "UpdateLinkedWhatsAppBusinessAccountPhoneNumber", lambda: client.update_linked_whatsapp_business_account_phone_number(
        id=number, callSettings={"callEnabled": True, "callHours": {
            "enabled": True, "timezone": "America/Los_Angeles",
            "weeklyOperatingHours": [{"dayOfWeek": "MONDAY", "openTime": {"hours": 9, "minutes": 0}, "closeTime": {"hours": 17, "minutes": 0}}]}}))
    permission = step("permission", "GetWhatsAppCallPermission", lambda: client.get_whatsapp_call_permission(
        originationPhoneNumberId=number, destinationPhoneNumber="+14255550100"))
    check(permission["permission"]["status"] == "granted", "the seeded end user granted permission")
    call = step("connect", "SendWhatsAppCallEvent", lambda: client.send_whatsapp_call_event(
        originationPhoneNumberId=number, metaApiVersion="v23.0",
        callEvent=blob({"messaging_product": "whatsapp", "action": "connect", "to": "+14255550100", "session": {"sdp_type": "offer", "sdp": "v=0"}})))
    step("terminate", "SendWhatsAppCallEvent", lambda: client.send_whatsapp_call_event(
        originationPhoneNumberId=number, metaApiVersion="v23.0",
        callEvent=blob({"messaging_product": "whatsapp", "action": "terminate", "call_id": call["callId"]})))
    step("terminate again", "SendWhatsAppCallEvent", lambda: client.send_whatsapp_call_event(
        originationPhoneNumberId=number, metaApiVersion="v23.0",
        callEvent=blob({"messaging_product": "whatsapp", "action": "terminate", "call_id": call["callId"]})),
        expect_error="ConflictException")

    # Disassociation removes what hangs off the WABA.
    step("disassociate", "DisassociateWhatsAppBusinessAccount", lambda: client.disassociate_whatsapp_business_account(id=waba))
    step("templates gone", "ListWhatsAppMessageTemplates", lambda: client.list_whatsapp_message_templates(id=waba),
         expect_error="ResourceNotFoundException")


if __name__ == "__main__":
    main()
