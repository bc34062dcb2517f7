/** Pure parts: redacted output in every format, shorthand parsing, trace redaction. */
import { assert, describe, it } from "@effect/vitest"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { Effect, Either, Redacted, Schema } from "effect"
import * as Input from "../src/internal/Input.js"
import * as Output from "../src/internal/Output.js"
import * as Transport from "../src/internal/Transport.js"

const secret = "CANARY-output-token-0f3e"

describe("Output", () => {
  it.effect("shows the wire form with every secret redacted, in json, table and text", () =>
    Effect.gen(function*() {
      const output = yield* Schema.decodeUnknown(WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput)({
        signupCallbackResult: {
          associateInProgressToken: secret,
          linkedAccountsWithIncompleteSetup: { "100": { accountName: "Shop", registrationStatus: "INCOMPLETE" } }
        },
        statusCode: 200
      })
      const document = yield* Output.display(WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput, output)
      assert.deepStrictEqual(document, {
        signupCallbackResult: {
          associateInProgressToken: "<redacted>",
          linkedAccountsWithIncompleteSetup: { "100": { accountName: "Shop", registrationStatus: "INCOMPLETE" } }
        },
        statusCode: 200
      })
      for (const format of Output.formats) {
        const text = Output.render(format, document, "AssociateWhatsAppBusinessAccount")
        assert.notInclude(text, secret)
        assert.include(text, "<redacted>")
      }
      assert.strictEqual(
        Output.renderText(document),
        ["200", "SIGNUPCALLBACKRESULT\t<redacted>", "100\tShop\tINCOMPLETE"].join("\n")
      )
    }))

  it("traces redact the whole value of every secret member the domain names, at any depth", () => {
    assert.deepStrictEqual(
      Transport.showBody(JSON.stringify({
        a: [{ twoFactorPin: "123456", id: "x" }],
        accessToken: secret,
        associateInProgressToken: 1,
        // A malformed answer: the secret is nested under the member, not its string value.
        extra: { accessToken: { nested: secret }, twoFactorPin: [secret] }
      })),
      {
        a: [{ twoFactorPin: "<redacted>", id: "x" }],
        accessToken: "<redacted>",
        associateInProgressToken: "<redacted>",
        extra: { accessToken: "<redacted>", twoFactorPin: "<redacted>" }
      }
    )
    const every = Object.fromEntries([...WhatsAppSignup.secretMembers].map((member) => [member, secret]))
    assert.notInclude(JSON.stringify(Transport.showBody(JSON.stringify({ nested: [every] }))), secret)
  })
})

describe("Input shorthand", () => {
  it.effect("tags: key=K,value=V, K=V lists and JSON", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Input.parseTags("--tags", ["Key=env,Value=prod", "a=1,b=2", "[{\"key\":\"c\"}]"]), [
        { key: "env", value: "prod" },
        { key: "a", value: "1" },
        { key: "b", value: "2" },
        { key: "c" }
      ])
      const bad = yield* Effect.either(Input.parseTags("--tags", ["novalue"]))
      assert.isTrue(Either.isLeft(bad))
    }))

  it.effect("tag keys and event destinations", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Input.parseTagKeys("--tag-keys", ["a,b", "c"]), ["a", "b", "c"])
      assert.deepStrictEqual(
        yield* Input.parseEventDestinations("--event-destinations", [
          "eventDestinationArn=arn:aws:sns:x:1:t,roleArn=arn:aws:iam::1:role/r"
        ]),
        [{ eventDestinationArn: "arn:aws:sns:x:1:t", roleArn: "arn:aws:iam::1:role/r" }]
      )
      assert.deepStrictEqual(yield* Input.parseEventDestinations("--event-destinations", ["[]"]), [])
    }))
})

describe("Transport", () => {
  it("redacts the signature, the session token and the body hash, keeps the credential scope", () => {
    const headers = Transport.redactHeaders({
      Authorization:
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/social-messaging/aws4_request, SignedHeaders=host, Signature=abc123",
      "X-Amz-Security-Token": "session",
      "x-amz-content-sha256": "e3b0",
      "x-amz-date": "20240101T000000Z"
    })
    assert.deepStrictEqual(headers, {
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/social-messaging/aws4_request, SignedHeaders=host, Signature=<redacted>",
      "x-amz-security-token": "<redacted>",
      "x-amz-content-sha256": "<redacted>",
      "x-amz-date": "20240101T000000Z"
    })
    assert.deepStrictEqual(Transport.showBody("{\"setupFinalization\":{\"associateInProgressToken\":\"t\"}}"), {
      setupFinalization: { associateInProgressToken: "<redacted>" }
    })
    assert.strictEqual(Transport.showBody("<html>"), "<6 bytes, not JSON>")
    assert.isFalse(Redacted.isRedacted(headers))
  })
})
