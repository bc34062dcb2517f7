/**
 * Pure tests of the restJson1 layer: request serialisation, success and error decoding, transport failure
 * classification. No transport, no signing.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import { DateTime, Effect, Either, Redacted } from "effect"
import * as RestJson from "../src/internal/restJson.js"

const wabaArn = "arn:aws:social-messaging:us-east-1:123456789012:waba/0f1e2d3c4b5a"
const requestId = "rid-1234"

/** A response as the transport hands it over (lower-case header names). */
const response = (status: number, body: string, headers: Record<string, string> = {}): RestJson.WireResponse => ({
  status,
  headers: { "x-amzn-requestid": requestId, ...headers },
  body
})

/** A decodeSuccess result that must be a Right. */
const right = <A>(result: Either.Either<A, Errors.MalformedResponse>): A => {
  if (Either.isLeft(result)) return assert.fail(`expected a decoded output, got: ${result.left.message}`)
  return result.right
}

/** A decodeSuccess result that must be a MalformedResponse. */
const malformed = <A>(result: Either.Either<A, Errors.MalformedResponse>): Errors.MalformedResponse => {
  if (Either.isRight(result)) return assert.fail("expected a MalformedResponse")
  return result.left
}

// =============================================================================
// Requests
// =============================================================================

describe("encodeQueryComponent", () => {
  it("is RFC 3986: encodeURIComponent plus !'()*", () => {
    assert.strictEqual(RestJson.encodeQueryComponent("!'()*"), "%21%27%28%29%2A")
    assert.strictEqual(RestJson.encodeQueryComponent("a b"), "a%20b")
    assert.strictEqual(RestJson.encodeQueryComponent("+/=&?#%"), "%2B%2F%3D%26%3F%23%25")
    assert.strictEqual(RestJson.encodeQueryComponent("arn:aws:x/y"), "arn%3Aaws%3Ax%2Fy")
    // Unreserved characters stay as they are.
    assert.strictEqual(RestJson.encodeQueryComponent("AZaz09-._~"), "AZaz09-._~")
    // UTF-8 bytes, upper-case hex.
    assert.strictEqual(RestJson.encodeQueryComponent("é🎉"), "%C3%A9%F0%9F%8E%89")
  })
})

describe("serialize", () => {
  it("GET: query parameters, no body", () => {
    const wire = RestJson.serialize(Operations.ListTagsForResource, { resourceArn: `${wabaArn} !'()*` })
    assert.strictEqual(wire.method, "GET")
    assert.strictEqual(wire.path, "/v1/tags/list")
    assert.strictEqual(
      wire.pathAndQuery,
      "/v1/tags/list?resourceArn=arn%3Aaws%3Asocial-messaging%3Aus-east-1%3A123456789012%3Awaba%2F0f1e2d3c4b5a" +
        "%20%21%27%28%29%2A"
    )
    assert.deepStrictEqual(wire.query, { resourceArn: `${wabaArn} !'()*` })
    assert.isUndefined(wire.body)
  })

  it("query parameters are sorted by name (as the SDK sends them); numbers become decimal strings", () => {
    const wire = RestJson.serialize(Operations.ListLinkedWhatsAppBusinessAccounts, {
      nextToken: "a+b/c==",
      maxResults: 25
    })
    assert.strictEqual(wire.pathAndQuery, "/v1/whatsapp/waba/list?maxResults=25&nextToken=a%2Bb%2Fc%3D%3D")
    assert.deepStrictEqual(wire.query, { nextToken: "a+b/c==", maxResults: "25" })
    assert.isUndefined(wire.body)
  })

  it("absent query members are skipped: no `?` at all when none is given", () => {
    const wire = RestJson.serialize(Operations.ListLinkedWhatsAppBusinessAccounts, {})
    assert.strictEqual(wire.pathAndQuery, "/v1/whatsapp/waba/list")
    assert.deepStrictEqual(wire.query, {})
    assert.isUndefined(wire.body)
    const onlyMax = RestJson.serialize(Operations.ListLinkedWhatsAppBusinessAccounts, { maxResults: 1 })
    assert.strictEqual(onlyMax.pathAndQuery, "/v1/whatsapp/waba/list?maxResults=1")
  })

  it("an empty string is still sent (`key=`)", () => {
    const wire = RestJson.serialize(Operations.ListTagsForResource, { resourceArn: "" })
    assert.strictEqual(wire.pathAndQuery, "/v1/tags/list?resourceArn=")
  })

  it("DELETE: query parameters, no body", () => {
    const wire = RestJson.serialize(Operations.DisassociateWhatsAppBusinessAccount, { id: wabaArn })
    assert.strictEqual(wire.method, "DELETE")
    assert.strictEqual(wire.pathAndQuery, `/v1/whatsapp/waba/disassociate?id=${RestJson.encodeQueryComponent(wabaArn)}`)
    assert.isUndefined(wire.body)
  })

  it("POST/PUT: everything in the JSON body, the path without a query", () => {
    const put = RestJson.serialize(Operations.PutWhatsAppBusinessAccountEventDestinations, {
      id: "waba-1",
      eventDestinations: [{ eventDestinationArn: "arn:aws:sns:us-east-1:1:t" }]
    })
    assert.strictEqual(put.method, "PUT")
    assert.strictEqual(put.pathAndQuery, "/v1/whatsapp/waba/eventdestinations")
    assert.deepStrictEqual(put.query, {})
    assert.strictEqual(
      put.body,
      "{\"id\":\"waba-1\",\"eventDestinations\":[{\"eventDestinationArn\":\"arn:aws:sns:us-east-1:1:t\"}]}"
    )
  })

  it("`{}` for an empty input; undefined members are dropped", () => {
    assert.strictEqual(RestJson.serialize(Operations.TagResource, {}).body, "{}")
    assert.strictEqual(RestJson.serialize(Operations.TagResource, undefined).body, "{}")
    assert.strictEqual(RestJson.serialize(Operations.TagResource, { resourceArn: undefined }).body, "{}")
    assert.strictEqual(RestJson.serialize(Operations.AssociateWhatsAppBusinessAccount, {}).body, "{}")
  })

  it.effect("members in model order whatever the caller's order; secrets revealed only on the wire", () =>
    Effect.gen(function*() {
      const encoded = yield* Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, {
        setupFinalization: {
          waba: { tags: [{ value: "v", key: "k" }], id: "123" },
          phoneNumbers: [{ twoFactorPin: "123456", id: "555" }],
          associateInProgressToken: "tok"
        }
      }).pipe(Effect.flatMap((input) => Operations.encodeInput(Operations.AssociateWhatsAppBusinessAccount, input)))
      const wire = RestJson.serialize(Operations.AssociateWhatsAppBusinessAccount, encoded)
      assert.strictEqual(
        wire.body,
        "{\"setupFinalization\":{\"associateInProgressToken\":\"tok\"," +
          "\"phoneNumbers\":[{\"id\":\"555\",\"twoFactorPin\":\"123456\"}]," +
          "\"waba\":{\"id\":\"123\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}}}"
      )
    }))

  it.effect("unicode and JSON escapes are JSON.stringify's (what the SDK sends)", () =>
    Effect.gen(function*() {
      const input = { resourceArn: wabaArn, tags: [{ key: "émoji 🎉", value: "q\"\\\n\u2028" }] }
      const encoded = yield* Operations.decodeInput(Operations.TagResource, input).pipe(
        Effect.flatMap((typed) => Operations.encodeInput(Operations.TagResource, typed))
      )
      assert.strictEqual(RestJson.serialize(Operations.TagResource, encoded).body, JSON.stringify(input))
    }))
})

// =============================================================================
// Success answers
// =============================================================================

const account = {
  arn: wabaArn,
  id: "waba-0f1e2d3c4b5a",
  wabaId: "123456789012345",
  registrationStatus: "COMPLETE",
  linkDate: 1717171717.123,
  wabaName: "Shop",
  eventDestinations: [],
  phoneNumbers: []
}

describe("decodeSuccess", () => {
  it("linkDate is epoch seconds, fractional ones to the millisecond", () => {
    const out = right(RestJson.decodeSuccess(
      Operations.GetLinkedWhatsAppBusinessAccount,
      response(200, JSON.stringify({ account }))
    ))
    assert.isDefined(out.account)
    assert.strictEqual(DateTime.toEpochMillis(out.account?.linkDate ?? DateTime.unsafeMake(0)), 1717171717123)
    const whole = right(RestJson.decodeSuccess(
      Operations.GetLinkedWhatsAppBusinessAccount,
      response(200, JSON.stringify({ account: { ...account, linkDate: 1700000000 } }))
    ))
    assert.strictEqual(DateTime.toEpochMillis(whole.account?.linkDate ?? DateTime.unsafeMake(0)), 1700000000000)
  })

  it("an enum value AWS adds later decodes instead of failing the answer", () => {
    const out = right(RestJson.decodeSuccess(
      Operations.ListLinkedWhatsAppBusinessAccounts,
      response(200, JSON.stringify({ linkedAccounts: [{ ...account, registrationStatus: "SUSPENDED" }] }))
    ))
    assert.strictEqual(out.linkedAccounts?.[0]?.registrationStatus, "SUSPENDED")
  })

  it("unknown fields (top level and nested) are ignored and dropped", () => {
    const out = right(RestJson.decodeSuccess(
      Operations.GetLinkedWhatsAppBusinessAccount,
      response(200, JSON.stringify({ account: { ...account, brandNew: { x: 1 } }, alsoNew: [1, 2] }))
    ))
    assert.deepStrictEqual(Object.keys(out), ["account"])
    assert.notProperty(out.account, "brandNew")
  })

  it("an empty (or blank) body is `{}`", () => {
    for (const body of ["", "  \n", "{}"]) {
      assert.deepStrictEqual(
        right(RestJson.decodeSuccess(Operations.DisassociateWhatsAppBusinessAccount, response(200, body))),
        {}
      )
      assert.deepStrictEqual(
        right(RestJson.decodeSuccess(Operations.PutWhatsAppBusinessAccountEventDestinations, response(200, body))),
        {}
      )
    }
    assert.deepStrictEqual(
      right(RestJson.decodeSuccess(Operations.GetLinkedWhatsAppBusinessAccount, response(200, ""))),
      {}
    )
  })

  it("secrets in the output come back Redacted", () => {
    const out = right(RestJson.decodeSuccess(
      Operations.AssociateWhatsAppBusinessAccount,
      response(200, JSON.stringify({ signupCallbackResult: { associateInProgressToken: "tok" }, statusCode: 200 }))
    ))
    const token = out.signupCallbackResult?.associateInProgressToken
    assert.isTrue(token !== undefined && Redacted.isRedacted(token))
    assert.strictEqual(token === undefined ? undefined : Redacted.value(token), "tok")
    assert.strictEqual(out.statusCode, 200)
  })

  it("a body that is not JSON is a MalformedResponse with status, request id and excerpt", () => {
    const error = malformed(RestJson.decodeSuccess(Operations.TagResource, response(200, "<html>oops</html>")))
    assert.strictEqual(error.operation, "TagResource")
    assert.strictEqual(error.status, 200)
    assert.strictEqual(error.requestId, requestId)
    assert.strictEqual(error.bodyExcerpt, "<html>oops</html>")
    assert.match(error.detail ?? "", /^body is not JSON/)
  })

  it("a truncated body is a MalformedResponse", () => {
    const error = malformed(
      RestJson.decodeSuccess(Operations.GetLinkedWhatsAppBusinessAccount, response(200, "{\"account\":{\"ar"))
    )
    assert.match(error.detail ?? "", /^body is not JSON/)
  })

  it("JSON off the model (wrong types, null) is a MalformedResponse naming the output", () => {
    const wrong = malformed(RestJson.decodeSuccess(
      Operations.GetLinkedWhatsAppBusinessAccount,
      response(200, JSON.stringify({ account: { ...account, linkDate: "yesterday" } }))
    ))
    assert.match(wrong.detail ?? "", /does not match GetLinkedWhatsAppBusinessAccountOutput/)
    assert.match(wrong.detail ?? "", /linkDate/)
    malformed(RestJson.decodeSuccess(Operations.TagResource, response(200, "null")))
    malformed(RestJson.decodeSuccess(Operations.TagResource, response(200, JSON.stringify({ statusCode: "200" }))))
  })

  it("the excerpt keeps the first 256 characters", () => {
    const body = "x".repeat(300)
    const error = malformed(RestJson.decodeSuccess(Operations.TagResource, response(200, body)))
    assert.strictEqual(error.bodyExcerpt, `${"x".repeat(256)}…`)
    assert.strictEqual(RestJson.excerpt("short"), "short")
    assert.strictEqual(RestJson.excerpt("y".repeat(256)), "y".repeat(256))
  })
})

// =============================================================================
// Error answers
// =============================================================================

const coral = (name: string) => `${name}:http://internal.amazon.com/coral/com.amazonaws.socialmessaging/`

describe("decodeError", () => {
  const tagError = (status: number, body: string, headers: Record<string, string> = {}) =>
    RestJson.decodeError(Operations.TagResource, response(status, body, headers))

  it("type from x-amzn-errortype (coral suffix cut), message and request id carried", () => {
    const error = tagError(429, JSON.stringify({ message: "Rate exceeded" }), {
      "x-amzn-errortype": coral("ThrottledRequestException")
    })
    assert.instanceOf(error, Errors.ThrottledRequestException)
    assert.strictEqual(error.message, "Rate exceeded")
    assert.strictEqual(error.requestId, requestId)
    assert.isTrue(error.classification.retryable)
  })

  it("type from the body's code, in any letter case, or __type with a namespace", () => {
    assert.instanceOf(
      tagError(400, JSON.stringify({ code: "InvalidParametersException" })),
      Errors.InvalidParametersException
    )
    assert.instanceOf(tagError(400, JSON.stringify({ Code: "ValidationException" })), Errors.ValidationException)
    assert.instanceOf(tagError(400, JSON.stringify({ CODE: "ValidationException" })), Errors.ValidationException)
    assert.instanceOf(
      tagError(500, JSON.stringify({ __type: "com.amazonaws.socialmessaging#InternalServiceException" })),
      Errors.InternalServiceException
    )
    assert.instanceOf(
      tagError(403, JSON.stringify({ __type: `aws.protocols#${coral("AccessDeniedException")}` })),
      Errors.AccessDeniedException
    )
  })

  it("precedence: header, then code, then __type (the AWS SDK's order)", () => {
    const body = JSON.stringify({ __type: "InternalServiceException", code: "InvalidParametersException" })
    assert.instanceOf(tagError(400, body, { "x-amzn-errortype": "ValidationException" }), Errors.ValidationException)
    assert.instanceOf(tagError(400, body), Errors.InvalidParametersException)
  })

  it("a present but empty header still wins, as in the SDK", () => {
    const error = tagError(400, JSON.stringify({ __type: "ValidationException" }), { "x-amzn-errortype": "" })
    assert.instanceOf(error, Errors.UnknownServiceError)
    if (error instanceof Errors.UnknownServiceError) assert.strictEqual(error.errorType, "")
  })

  it("fields are read leniently: null message, numeric code (stringified as the SDK does)", () => {
    const nullMessage = tagError(
      429,
      JSON.stringify({ __type: "ThrottledRequestException", message: null, Message: "slow" })
    )
    assert.instanceOf(nullMessage, Errors.ThrottledRequestException)
    assert.strictEqual(nullMessage.message, "slow")
    const numeric = tagError(400, JSON.stringify({ code: 400, __type: "ValidationException" }))
    assert.instanceOf(numeric, Errors.UnknownServiceError)
    if (numeric instanceof Errors.UnknownServiceError) assert.strictEqual(numeric.errorType, "400")
    // A code of another type is ignored, and __type used.
    assert.instanceOf(
      tagError(400, JSON.stringify({ code: { x: 1 }, __type: "ValidationException" })),
      Errors.ValidationException
    )
  })

  it("message from `message`, else `Message`; none when neither is a string", () => {
    const header = { "x-amzn-errortype": "InvalidParametersException" }
    assert.strictEqual(tagError(400, JSON.stringify({ message: "a", Message: "b" }), header).message, "a")
    assert.strictEqual(tagError(400, JSON.stringify({ Message: "b" }), header).message, "b")
    const none = tagError(400, JSON.stringify({ message: 42 }), header)
    assert.instanceOf(none, Errors.InvalidParametersException)
    // No `message` field: the Error's message reads as "".
    assert.strictEqual(none.message, "")
  })

  it("a typed header with a body that is not JSON (or empty) still gives the typed error", () => {
    assert.instanceOf(
      tagError(503, "<html>busy</html>", { "x-amzn-errortype": "ThrottledRequestException" }),
      Errors.ThrottledRequestException
    )
    assert.instanceOf(tagError(403, "", { "x-amzn-errortype": "AccessDeniedException" }), Errors.AccessDeniedException)
  })

  it("a model error the operation does not declare is an UnknownServiceError carrying its name", () => {
    const error = tagError(400, JSON.stringify({ message: "limit" }), { "x-amzn-errortype": "LimitExceededException" })
    assert.instanceOf(error, Errors.UnknownServiceError)
    if (error instanceof Errors.UnknownServiceError) {
      assert.strictEqual(error.errorType, "LimitExceededException")
      assert.strictEqual(error.operation, "TagResource")
      assert.strictEqual(error.status, 400)
      assert.strictEqual(error.awsMessage, "limit")
      assert.strictEqual(error.requestId, requestId)
    }
    // ...while Associate declares it.
    assert.instanceOf(
      RestJson.decodeError(
        Operations.AssociateWhatsAppBusinessAccount,
        response(400, "{}", { "x-amzn-errortype": "LimitExceededException" })
      ),
      Errors.LimitExceededException
    )
  })

  it("an unknown name is an UnknownServiceError, classified by status", () => {
    const error = tagError(503, JSON.stringify({ __type: "ServiceUnavailableException" }))
    assert.instanceOf(error, Errors.UnknownServiceError)
    if (error instanceof Errors.UnknownServiceError) {
      assert.strictEqual(error.errorType, "ServiceUnavailableException")
      assert.isTrue(error.classification.retryable)
    }
    const client = tagError(409, JSON.stringify({ __type: "ConflictException" }))
    assert.isFalse(client.classification.retryable)
  })

  it("no type anywhere: MalformedResponse (JSON without a type, not JSON, empty, truncated, not an object)", () => {
    const cases = [
      { body: JSON.stringify({ error: "nope" }), detail: /^error answer without an error type \(outcome unknown/ },
      { body: "<html><body>502 Bad Gateway</body></html>", detail: /body is not JSON/ },
      { body: "", detail: /body is not JSON \(empty body\)/ },
      { body: "{\"__type\":\"Internal", detail: /body is not JSON/ },
      { body: "[1,2]", detail: /^error answer without an error type \(outcome unknown/ },
      { body: "null", detail: /^error answer without an error type \(outcome unknown/ }
    ]
    for (const { body, detail } of cases) {
      const error = tagError(502, body)
      assert.instanceOf(error, Errors.MalformedResponse)
      if (error instanceof Errors.MalformedResponse) {
        assert.match(error.detail ?? "", detail)
        assert.strictEqual(error.status, 502)
        assert.strictEqual(error.requestId, requestId)
        assert.strictEqual(error.bodyExcerpt, RestJson.excerpt(body))
        // A proxy's 5xx page is transient; a 4xx one is not.
        assert.isTrue(error.classification.retryable)
      }
    }
    assert.isFalse(tagError(404, "").classification.retryable)
  })

  it("a 5xx of an operation that is not idempotent says its outcome is unknown and how to find out", () => {
    const answer = (status: number) => ({
      status,
      headers: { "x-amzn-errortype": "InternalServiceException" },
      body: JSON.stringify({ message: "boom" })
    })
    const unsafe = RestJson.decodeError(Operations.TagResource, answer(500))
    assert.instanceOf(unsafe, Errors.InternalServiceException)
    assert.match(
      unsafe.message,
      /^boom \(outcome unknown: the request may have been acted on, so it was not sent again\./
    )
    assert.include(unsafe.message, "ListTagsForResource")
    const associate = RestJson.decodeError(Operations.AssociateWhatsAppBusinessAccount, answer(500))
    assert.include(associate.message, "ListLinkedWhatsAppBusinessAccounts")
    // Read-only and idempotent operations, and 4xx answers, keep AWS's message as it is.
    assert.strictEqual(RestJson.decodeError(Operations.ListTagsForResource, answer(500)).message, "boom")
    assert.notInclude(
      RestJson.decodeError(Operations.DisassociateWhatsAppBusinessAccount, answer(500)).message,
      "outcome"
    )
    assert.strictEqual(
      RestJson.decodeError(Operations.TagResource, {
        ...answer(400),
        headers: {
          "x-amzn-errortype": "ValidationException"
        }
      }).message,
      "boom"
    )
  })

  it("without x-amzn-requestid there is no request id", () => {
    const error = RestJson.decodeError(Operations.TagResource, {
      status: 400,
      headers: { "x-amzn-errortype": "ValidationException" },
      body: "{}"
    })
    assert.instanceOf(error, Errors.ValidationException)
    if (error instanceof Errors.ValidationException) assert.isUndefined(error.requestId)
  })
})

describe("sanitizeErrorType", () => {
  it("cleans as the AWS SDK does: first `,`, first `:`, then between the first `#` and the next", () => {
    const table: ReadonlyArray<readonly [string, string]> = [
      ["ThrottledRequestException", "ThrottledRequestException"],
      [coral("ThrottledRequestException"), "ThrottledRequestException"],
      ["aws.protocols#ValidationException", "ValidationException"],
      ["com.amazonaws.socialmessaging#ResourceNotFoundException:http://x#y", "ResourceNotFoundException"],
      ["ResourceNotFoundException,InternalServiceException", "ResourceNotFoundException"],
      ["a#b#c", "b"],
      [" ValidationException ", "ValidationException"],
      ["", ""]
    ]
    for (const [raw, name] of table) assert.strictEqual(RestJson.sanitizeErrorType(raw), name, raw)
  })
})

// =============================================================================
// Transport failures
// =============================================================================

const withCode = (code: string, cause?: unknown) => Object.assign(new Error(`failed: ${code}`), { code, cause })

describe("transportFailure", () => {
  it("classifies node and undici codes", () => {
    const table: ReadonlyArray<readonly [string, Errors.TransportFailure]> = [
      ["ECONNRESET", "ConnectionReset"],
      ["EPIPE", "ConnectionReset"],
      ["UND_ERR_SOCKET", "ConnectionReset"],
      ["UND_ERR_CLOSED", "ConnectionReset"],
      ["ECONNREFUSED", "ConnectionRefused"],
      ["ETIMEDOUT", "SocketTimeout"],
      ["ESOCKETTIMEDOUT", "SocketTimeout"],
      ["UND_ERR_CONNECT_TIMEOUT", "ConnectTimeout"],
      ["UND_ERR_HEADERS_TIMEOUT", "SocketTimeout"],
      ["UND_ERR_BODY_TIMEOUT", "SocketTimeout"],
      ["ENOTFOUND", "DnsFailure"],
      ["EAI_AGAIN", "DnsFailure"],
      ["ERR_TLS_CERT_ALTNAME_INVALID", "TlsFailure"],
      ["ERR_SSL_WRONG_VERSION_NUMBER", "TlsFailure"],
      ["CERT_HAS_EXPIRED", "TlsFailure"],
      ["SELF_SIGNED_CERT_IN_CHAIN", "TlsFailure"],
      ["DEPTH_ZERO_SELF_SIGNED_CERT", "TlsFailure"],
      ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "TlsFailure"],
      ["UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "TlsFailure"],
      ["EHOSTUNREACH", "HostUnreachable"],
      ["ENETUNREACH", "HostUnreachable"],
      ["ERR_SOMETHING_ELSE", "Unknown"]
    ]
    for (const [code, reason] of table) assert.strictEqual(RestJson.transportFailure(withCode(code)), reason, code)
  })

  it("follows the cause chain (undici's `fetch failed` wraps the socket error)", () => {
    const fetchFailed = new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") })
    assert.strictEqual(RestJson.transportFailure(fetchFailed), "ConnectionRefused")
    // The outermost code that means something wins.
    assert.strictEqual(
      RestJson.transportFailure(withCode("UND_ERR_SOCKET", withCode("ECONNREFUSED"))),
      "ConnectionReset"
    )
    assert.strictEqual(RestJson.transportFailure(withCode("ERR_X", withCode("ETIMEDOUT"))), "SocketTimeout")
  })

  it("anything without a code is Unknown", () => {
    for (const cause of [undefined, null, "boom", 42, new Error("no code"), { code: 7 }]) {
      assert.strictEqual(RestJson.transportFailure(cause), "Unknown")
    }
  })

  it("stops after six levels of causes (a cyclic chain terminates)", () => {
    const cyclic: { code: string; cause?: unknown } = { code: "ERR_A" }
    cyclic.cause = cyclic
    assert.strictEqual(RestJson.transportFailure(cyclic), "Unknown")
    let deep: unknown = withCode("ECONNRESET")
    for (let i = 0; i < 6; i++) deep = new Error("wrapper", { cause: deep })
    assert.strictEqual(RestJson.transportFailure(deep), "Unknown")
  })

  it("describeCause gives the message and the code chain", () => {
    assert.strictEqual(
      RestJson.describeCause(new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") })),
      "fetch failed [ECONNREFUSED]"
    )
    assert.strictEqual(RestJson.describeCause("plain"), "plain")
  })
})

describe("no secret reaches an error", () => {
  const associate = Operations.AssociateWhatsAppBusinessAccount
  const response = (status: number, body: string, headers: Record<string, string> = {}): RestJson.WireResponse => ({
    status,
    headers: { "x-amzn-requestid": "req-1", ...headers },
    body
  })

  it("serialize carries the secret values it is given (the client passes the typed input's Redacted values)", () => {
    const typed = {
      setupFinalization: {
        associateInProgressToken: Redacted.make("aip-SECRET"),
        phoneNumbers: [{ id: "1", twoFactorPin: Redacted.make("246810") }]
      }
    }
    const wire = RestJson.serialize(associate, {
      setupFinalization: {
        associateInProgressToken: "aip-SECRET",
        phoneNumbers: [{ id: "1", twoFactorPin: "246810" }]
      }
    }, Redaction.revealedSecrets(typed))
    assert.deepStrictEqual([...wire.secrets].sort(), ["246810", "aip-SECRET"])
    assert.deepStrictEqual(RestJson.serialize(Operations.ListTagsForResource, { resourceArn: "arn:x" }).secrets, [])
  })

  it("an unreadable step-1 answer keeps its in-progress token out of the excerpt and the detail", () => {
    const truncated = "{\"signupCallbackResult\":{\"associateInProgressToken\":\"aip-SECRET-FROM-AWS"
    const error = RestJson.decodeSuccess(associate, response(200, truncated))
    assert.isTrue(Either.isLeft(error))
    const text = JSON.stringify(Either.isLeft(error) ? error.left : {})
    assert.notInclude(text, "aip-SECRET-FROM-AWS")
    assert.include(text, "<redacted>")
    // The JSON parser's own message would quote the text around the fault; only the position is kept.
    const garbage = RestJson.decodeSuccess(associate, response(200, "{\"x\": aip-SECRET-FROM-AWS}"))
    assert.isTrue(Either.isLeft(garbage))
    const detail = Either.isLeft(garbage) ? garbage.left.detail ?? "" : ""
    assert.match(detail, /not valid JSON/)
    assert.notInclude(detail, "aip-SECRET")
  })

  it("a proxy page echoing the request hides the request's secrets", () => {
    const echo = "<html>bad gateway for {\"accessToken\": \"EAAG-token\"} pin 246810</html>"
    const error = RestJson.decodeError(associate, response(502, echo), ["EAAG-token", "246810"])
    const text = JSON.stringify(error)
    assert.strictEqual(error._tag, "MalformedResponse")
    assert.notInclude(text, "EAAG-token")
    assert.notInclude(text, "246810")
  })

  it("AWS's canonical-request dump (with the session token) is cut from a signature error", () => {
    const message = "The request signature we calculated does not match the signature you provided.\n\n" +
      "The Canonical String for this request should have been\n'GET\n/v1/tags/list\n\n" +
      "x-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLETOKEN\n'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256'"
    const error = RestJson.decodeError(
      Operations.ListTagsForResource,
      response(403, JSON.stringify({ message }), { "x-amzn-errortype": "InvalidSignatureException" })
    )
    assert.strictEqual(error._tag, "UnknownServiceError")
    const text = JSON.stringify(error) + error.message
    assert.notInclude(text, "IQoJb3JpZ2luX2VjEXAMPLETOKEN")
    assert.include(text, "does not match the signature you provided")
  })
})
