import { assert, describe, it, layer } from "@effect/vitest"
import * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Cause, Effect, Either, Logger, Redacted, Ref } from "effect"
import { call, messageOf, sandboxKeys, send, type WireResponse } from "./support/SignedClient.js"

// Every test starts its own server on a free loopback port, under the live clock (the AWS-style
// signing below uses real time, as any client does).

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const assertError = (response: WireResponse, status: number, errorType: string, message?: RegExp) => {
  assert.strictEqual(response.status, status, response.text)
  assert.strictEqual(response.headers.get("x-amzn-errortype"), errorType)
  assert.match(response.headers.get("x-amzn-requestid") ?? "", uuidPattern)
  assert.strictEqual(response.headers.get("content-type"), "application/json")
  if (message !== undefined) assert.match(messageOf(response), message)
}

const json = (response: WireResponse) => {
  assert.strictEqual(response.status, 200, response.text)
  return response.json
}

const field = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (acc, key) =>
      typeof acc === "object" && acc !== null && Object.prototype.hasOwnProperty.call(acc, key)
        ? Object.getOwnPropertyDescriptor(acc, key)?.value
        : undefined,
    value
  )

const text = (value: unknown, ...path: ReadonlyArray<string | number>): string => {
  const v = field(value, ...path)
  assert.isString(v)
  return typeof v === "string" ? v : ""
}

/** Step 1 + step 2 for "Example Clinic" over HTTP; answers the linked WABA id. */
const linkClinic = (url: string) =>
  Effect.gen(function*() {
    const step1 = json(
      yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: Fixtures.tokens.oneWaba }
      })
    )
    const token = text(step1, "signupCallbackResult", "associateInProgressToken")
    const step2 = json(
      yield* call(url, "AssociateWhatsAppBusinessAccount", {
        setupFinalization: {
          associateInProgressToken: token,
          phoneNumbers: [{ id: "200000000000031", twoFactorPin: "123456" }]
        }
      })
    )
    return text(step2, "linkedWhatsAppBusinessAccountId")
  })

describe("Server: operations over loopback HTTP", () => {
  it.scopedLive("serves all nine operations with the model's bindings", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve()
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      const { url } = server

      // AssociateWhatsAppBusinessAccount, step 1 (POST, JSON body).
      const step1Response = yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: Fixtures.tokens.twoWabas }
      })
      assert.match(step1Response.headers.get("x-amzn-requestid") ?? "", uuidPattern)
      assert.strictEqual(step1Response.headers.get("content-type"), "application/json")
      const step1 = json(step1Response)
      assert.strictEqual(field(step1, "statusCode"), 200)
      const token = text(step1, "signupCallbackResult", "associateInProgressToken")
      const setup = field(step1, "signupCallbackResult", "linkedAccountsWithIncompleteSetup", "100000000000001")
      const phoneNumberId = text(setup, "unregisteredWhatsAppPhoneNumbers", 0, "phoneNumberId")
      assert.match(phoneNumberId, /^phone-number-id-[0-9a-f]{32}$/)

      // Step 2.
      const step2 = json(
        yield* call(url, "AssociateWhatsAppBusinessAccount", {
          setupFinalization: {
            associateInProgressToken: token,
            phoneNumbers: [{ id: phoneNumberId, twoFactorPin: "123456", dataLocalizationRegion: "IN" }],
            waba: { id: "100000000000001", eventDestinations: [] }
          }
        })
      )
      assert.strictEqual(field(step2, "statusCode"), 200)
      const id = text(step2, "linkedWhatsAppBusinessAccountId")

      // ListLinkedWhatsAppBusinessAccounts (GET, query). linkDate is epoch seconds.
      const list = json(yield* call(url, "ListLinkedWhatsAppBusinessAccounts", { maxResults: 10 }))
      assert.strictEqual(field(list, "linkedAccounts", 0, "id"), id)
      const linkDate = field(list, "linkedAccounts", 0, "linkDate")
      assert.isNumber(linkDate)
      assert.approximately(typeof linkDate === "number" ? linkDate : 0, Date.now() / 1000, 60)

      // GetLinkedWhatsAppBusinessAccount.
      const account = field(json(yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id })), "account")
      assert.strictEqual(field(account, "wabaName"), "Example Retail Support")
      assert.strictEqual(field(account, "phoneNumbers", 0, "dataLocalizationRegion"), "IN")
      const wabaArn = text(account, "arn")
      const phoneArn = text(account, "phoneNumbers", 0, "arn")

      // GetLinkedWhatsAppBusinessAccountPhoneNumber, by ARN (percent-encoded in the query).
      const phone = json(yield* call(url, "GetLinkedWhatsAppBusinessAccountPhoneNumber", { id: phoneArn }))
      assert.strictEqual(field(phone, "linkedWhatsAppBusinessAccountId"), id)
      assert.strictEqual(field(phone, "phoneNumber", "phoneNumberId"), phoneNumberId)

      // PutWhatsAppBusinessAccountEventDestinations (PUT, id in the body).
      const destination = { eventDestinationArn: "arn:aws:sns:us-east-1:123456789012:events" }
      assert.deepStrictEqual(
        json(yield* call(url, "PutWhatsAppBusinessAccountEventDestinations", { id, eventDestinations: [destination] })),
        {}
      )

      // Tags.
      assert.deepStrictEqual(
        json(yield* call(url, "TagResource", { resourceArn: wabaArn, tags: [{ key: "a", value: "1" }, { key: "b" }] })),
        { statusCode: 200 }
      )
      assert.deepStrictEqual(json(yield* call(url, "UntagResource", { resourceArn: wabaArn, tagKeys: ["b"] })), {
        statusCode: 200
      })
      assert.deepStrictEqual(json(yield* call(url, "ListTagsForResource", { resourceArn: wabaArn })), {
        statusCode: 200,
        tags: [{ key: "a", value: "1" }]
      })

      // DisassociateWhatsAppBusinessAccount (DELETE, query), twice: idempotent.
      assert.deepStrictEqual(json(yield* call(url, "DisassociateWhatsAppBusinessAccount", { id })), {})
      assert.deepStrictEqual(json(yield* call(url, "DisassociateWhatsAppBusinessAccount", { id })), {})
      assert.deepStrictEqual(json(yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {})), { linkedAccounts: [] })
      assert.strictEqual((yield* server.engine.state).linked.length, 0)
    }))

  it.scopedLive("pages with nextToken across requests", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      const step1 = json(
        yield* call(url, "AssociateWhatsAppBusinessAccount", {
          signupCallback: { accessToken: Fixtures.tokens.thirtyWabas }
        })
      )
      const token = text(step1, "signupCallbackResult", "associateInProgressToken")
      for (const waba of Fixtures.franchises.slice(0, 5)) {
        json(
          yield* call(url, "AssociateWhatsAppBusinessAccount", {
            setupFinalization: {
              associateInProgressToken: token,
              phoneNumbers: [{ id: waba.phoneNumbers[0]!.metaPhoneNumberId, twoFactorPin: "123456" }],
              waba: { id: waba.wabaId }
            }
          })
        )
      }
      const seen: Array<unknown> = []
      let nextToken: string | undefined = undefined
      let pages = 0
      do {
        const page = json(
          yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {
            maxResults: 2,
            ...(nextToken === undefined ? {} : { nextToken })
          })
        )
        const accounts = field(page, "linkedAccounts")
        if (Array.isArray(accounts)) { for (const a of accounts) seen.push(field(a, "wabaId")) }
        const next = field(page, "nextToken")
        nextToken = typeof next === "string" ? next : undefined
        pages++
      } while (nextToken !== undefined)
      assert.strictEqual(pages, 3)
      assert.deepStrictEqual(seen, Fixtures.franchises.slice(0, 5).map((w) => w.wabaId))
      assertError(
        yield* call(url, "ListLinkedWhatsAppBusinessAccounts", { nextToken: "bm90LWEtdG9rZW4" }),
        400,
        "InvalidParametersException",
        /nextToken/
      )
    }))
})

describe("Server: AWS errors", () => {
  it.scopedLive("answers each engine error with its status, x-amzn-errortype and {message}", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve({ wabaLimit: 1 })
      const unknown = `waba-${"0".repeat(32)}`
      assertError(
        yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id: unknown }),
        404,
        "ResourceNotFoundException",
        /was not found/
      )
      assertError(
        yield* call(url, "GetLinkedWhatsAppBusinessAccountPhoneNumber", { id: `phone-number-id-${"0".repeat(32)}` }),
        404,
        "ResourceNotFoundException"
      )
      assertError(
        yield* call(url, "DisassociateWhatsAppBusinessAccount", { id: unknown }),
        404,
        "ResourceNotFoundException"
      )
      assertError(
        yield* call(url, "PutWhatsAppBusinessAccountEventDestinations", { id: unknown, eventDestinations: [] }),
        400,
        "InvalidParametersException"
      )
      assertError(
        yield* call(url, "ListTagsForResource", {
          resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/0"
        }),
        400,
        "InvalidParametersException"
      )
      assertError(
        yield* call(url, "AssociateWhatsAppBusinessAccount", { signupCallback: { accessToken: "nope" } }),
        400,
        "InvalidParametersException",
        /access token is not valid/
      )
      assertError(
        yield* call(url, "AssociateWhatsAppBusinessAccount", {
          signupCallback: { accessToken: Fixtures.tokens.metaUnavailable }
        }),
        502,
        "DependencyException"
      )
      yield* linkClinic(url)
      const step1 = json(
        yield* call(url, "AssociateWhatsAppBusinessAccount", {
          signupCallback: { accessToken: Fixtures.tokens.twoWabas }
        })
      )
      assertError(
        yield* call(url, "AssociateWhatsAppBusinessAccount", {
          setupFinalization: {
            associateInProgressToken: text(step1, "signupCallbackResult", "associateInProgressToken"),
            phoneNumbers: [{ id: "200000000000021", twoFactorPin: "123456" }],
            waba: { id: "100000000000002" }
          }
        }),
        400,
        "LimitExceededException",
        /limit of 1 linked/
      )
    }))

  it.scopedLive("answers ValidationException naming each member, AWS style, without echoing secrets", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      const maxResults = yield* call(url, "ListLinkedWhatsAppBusinessAccounts", { maxResults: 0 })
      assertError(maxResults, 400, "ValidationException", /^1 validation error detected: Value at 'maxResults' failed/)

      const nested = yield* call(url, "AssociateWhatsAppBusinessAccount", {
        setupFinalization: {
          associateInProgressToken: "aip-secret-token-value",
          phoneNumbers: [
            { id: "200000000000031", twoFactorPin: "123456" },
            { id: "200000000000032", twoFactorPin: "9876543", dataLocalizationRegion: "de" }
          ]
        }
      })
      assertError(nested, 400, "ValidationException", /^2 validation errors detected: /)
      const message = messageOf(nested)
      assert.include(
        message,
        "Value at 'setupFinalization.phoneNumbers.2.member.twoFactorPin' failed to satisfy constraint"
      )
      assert.include(message, "Value at 'setupFinalization.phoneNumbers.2.member.dataLocalizationRegion'")
      assert.notInclude(message, "9876543")
      assert.notInclude(message, "aip-secret-token-value")

      // A PIN of the wrong type, and both steps at once: still no secret in the message.
      const wrongType = yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: "meta-secret-token" },
        setupFinalization: {
          associateInProgressToken: "aip-secret-token-value",
          phoneNumbers: [{ id: "1", twoFactorPin: 424242 }]
        }
      })
      assertError(wrongType, 400, "ValidationException")
      for (const secret of ["424242", "meta-secret-token", "aip-secret-token-value"]) {
        assert.notInclude(messageOf(wrongType), secret)
      }

      // Secrets nested under a secret member (malformed input): the member's whole value stays out.
      const nestedSecret = yield* call(url, "AssociateWhatsAppBusinessAccount", {
        signupCallback: { accessToken: { value: "meta-token-in-an-object" } },
        setupFinalization: {
          associateInProgressToken: ["aip-token-in-a-list"],
          phoneNumbers: [{ id: "1", twoFactorPin: ["pin-in-a-list-7788"] }]
        }
      })
      assertError(nestedSecret, 400, "ValidationException")
      for (const secret of ["meta-token-in-an-object", "aip-token-in-a-list", "pin-in-a-list-7788"]) {
        assert.notInclude(messageOf(nestedSecret), secret)
      }

      // Unknown members are rejected too.
      assertError(
        yield* call(url, "TagResource", { resourceArn: "arn:aws:x", tags: [], extra: true }),
        400,
        "ValidationException",
        /extra/
      )
    }))

  it.scopedLive("answers SerializationException for a body that is not a JSON object", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      for (const body of ["{not json", "[1, 2]"]) {
        assertError(
          yield* send(url, { method: "POST", path: "/v1/tags/tag-resource", body }),
          400,
          "SerializationException"
        )
      }
    }))

  it.scopedLive("answers 404 UnknownOperationException for unknown routes and methods", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      assertError(
        yield* send(url, { method: "GET", path: "/v1/whatsapp/send" }),
        404,
        "UnknownOperationException",
        /GET \/v1\/whatsapp\/send/
      )
      assertError(yield* send(url, { method: "DELETE", path: "/v1/tags/list" }), 404, "UnknownOperationException")
      // Authentication comes first, as on AWS.
      assertError(
        yield* send(url, { method: "GET", path: "/nowhere" }, { unsigned: true }),
        403,
        "MissingAuthenticationTokenException"
      )
    }))
})

describe("Server: internals", () => {
  it.scopedLive("answers a bug in the sandbox with a fixed 500 message and logs the cause on the server", () =>
    Effect.gen(function*() {
      const logged: Array<{ readonly message: unknown; readonly cause: string }> = []
      const logger = Logger.make(({ cause, message }) => void logged.push({ message, cause: Cause.pretty(cause) }))
      const engine = yield* Engine.make()
      const broken: Engine.Service = {
        ...engine,
        listLinkedWhatsAppBusinessAccounts: () => Effect.die(new Error("sandbox bug: internal detail 5f2a"))
      }
      const { url } = yield* Server.make().pipe(
        Effect.provideService(Engine.Engine, broken),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      const response = yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {})
      assertError(response, 500, "InternalServiceException")
      assert.deepStrictEqual(response.json, { message: Server.internalErrorMessage })
      assert.notInclude(response.text, "internal detail 5f2a")
      assert.notInclude(response.text, "    at ")
      const entry = logged.find((line) => line.cause.includes("sandbox bug: internal detail 5f2a"))
      assert.isDefined(entry, JSON.stringify(logged))
      assert.include(String(entry?.message), "GET /v1/whatsapp/waba/list")
    }))

  it.scopedLive("brackets an IPv6 host in its url, which clients can use", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ host: "::1" })
      assert.strictEqual(server.url, `http://[::1]:${server.port}`)
      assert.isAbove(server.port, 0)
      const response = yield* call(server.url, "ListLinkedWhatsAppBusinessAccounts", {})
      assert.deepStrictEqual(json(response), { linkedAccounts: [] })
    }))

  it("answers a url for TCP addresses only; another address is a typed error, not port 0", () => {
    assert.deepStrictEqual(
      Server.endpointOf("127.0.0.1", { _tag: "TcpAddress", hostname: "127.0.0.1", port: 8080 }),
      Either.right({ url: "http://127.0.0.1:8080", port: 8080 })
    )
    assert.deepStrictEqual(
      Server.endpointOf("::1", { _tag: "TcpAddress", hostname: "::1", port: 8080 }),
      Either.right({ url: "http://[::1]:8080", port: 8080 })
    )
    const unix = Server.endpointOf("127.0.0.1", { _tag: "UnixAddress", path: "/tmp/sandbox.sock" })
    assert.isTrue(Either.isLeft(unix))
    if (Either.isLeft(unix)) {
      assert.strictEqual(unix.left._tag, "ServerAddressError")
      assert.include(unix.left.message, "/tmp/sandbox.sock")
    }
  })
})

describe("Server: SigV4", () => {
  const list = { method: "GET", path: "/v1/whatsapp/waba/list", query: { maxResults: "5" } }
  const tag = {
    method: "POST",
    path: "/v1/tags/tag-resource",
    body: JSON.stringify({ resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/1", tags: [] })
  }
  const mismatch = /^The request signature we calculated does not match the signature you provided/

  it.scopedLive("accepts a correctly signed request, with or without x-amz-content-sha256", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      assert.strictEqual((yield* send(url, list)).status, 200)
      assert.strictEqual((yield* send(url, list, { contentSha256: true })).status, 200)
      // The signature verified; the ARN is unknown.
      assertError(yield* send(url, tag, { contentSha256: true }), 400, "InvalidParametersException")
    }))

  it.scopedLive("rejects missing auth, unknown keys and wrong secrets", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      assertError(
        yield* send(url, list, { unsigned: true }),
        403,
        "MissingAuthenticationTokenException",
        /^Missing Authentication Token$/
      )
      assertError(
        yield* send(url, list, { credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" } }),
        403,
        "UnrecognizedClientException",
        /^The security token included in the request is invalid\.$/
      )
      assertError(
        yield* send(url, list, { credentials: { ...sandboxKeys, secretAccessKey: "wrong" } }),
        403,
        "InvalidSignatureException",
        mismatch
      )
      assertError(
        yield* send(url, list, { tamper: (s) => ({ ...s, headers: { ...s.headers, authorization: "Bearer x" } }) }),
        400,
        "IncompleteSignatureException"
      )
    }))

  it.scopedLive("rejects a tampered body, signed header or query", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      const tamperedBody = yield* send(url, tag, {
        tamper: (s) => ({ ...s, body: s.body?.replace("\"tags\":[]", "\"tags\":[{\"key\":\"x\"}]") })
      })
      assertError(tamperedBody, 403, "InvalidSignatureException", mismatch)
      const tamperedHeader = yield* send(url, tag, {
        tamper: (s) => ({ ...s, headers: { ...s.headers, "content-type": "application/x-amz-json-1.1" } })
      })
      assertError(tamperedHeader, 403, "InvalidSignatureException", mismatch)
      const tamperedQuery = yield* send(url, list, { tamper: (s) => ({ ...s, query: { maxResults: "6" } }) })
      assertError(tamperedQuery, 403, "InvalidSignatureException", mismatch)
      const tamperedHash = yield* send(url, tag, {
        contentSha256: true,
        tamper: (s) => ({ ...s, body: `${s.body ?? ""} ` })
      })
      assertError(tamperedHash, 403, "InvalidSignatureException", /x-amz-content-sha256/)
      // An unsigned header may change freely.
      const extraHeader = yield* send(url, list, {
        tamper: (s) => ({ ...s, headers: { ...s.headers, "x-extra": "1" } })
      })
      assert.strictEqual(extraHeader.status, 200)
    }))

  it.scopedLive("rejects a date more than 5 minutes off the server's clock, with a Date header", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      const past = yield* send(url, list, { signingDate: Date.now() - 6 * 60_000 })
      assertError(
        past,
        403,
        "InvalidSignatureException",
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/
      )
      const serverDate = Date.parse(past.headers.get("date") ?? "")
      assert.approximately(serverDate, Date.now(), 5_000)
      const future = yield* send(url, list, { signingDate: Date.now() + 6 * 60_000 })
      assertError(future, 403, "InvalidSignatureException", /^Signature not yet current: .* \+ 5 min\.\)$/)
      const tamperedDate = yield* send(url, list, {
        tamper: (s) => ({ ...s, headers: { ...s.headers, "x-amz-date": "20200101T000000Z" } })
      })
      assertError(tamperedDate, 403, "InvalidSignatureException", /Date in Credential scope does not match/)
      assert.strictEqual((yield* send(url, list, { signingDate: Date.now() - 4 * 60_000 })).status, 200)
    }))

  it.scopedLive("rejects the wrong region or service in the credential scope", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      assertError(yield* send(url, list, { region: "eu-west-1" }), 403, "InvalidSignatureException", /valid region/)
      assertError(
        yield* send(url, list, { service: "socialmessaging" }),
        403,
        "InvalidSignatureException",
        /correct service: 'social-messaging'/
      )
      const other = yield* Server.serve({ region: "eu-west-1" })
      assert.strictEqual((yield* send(other.url, list, { region: "eu-west-1" })).status, 200)
    }))

  it.scopedLive("accepts the configured key pairs only", () =>
    Effect.gen(function*() {
      const keys = { accessKeyId: "AKIAOTHERKEY00000001", secretAccessKey: "another-secret" }
      const { url } = yield* Server.serve({
        credentials: [{ accessKeyId: keys.accessKeyId, secretAccessKey: Redacted.make(keys.secretAccessKey) }]
      })
      assert.strictEqual((yield* send(url, list, { credentials: keys })).status, 200)
      assertError(yield* send(url, list), 403, "UnrecognizedClientException")
    }))
})

describe("Server: request log", () => {
  it.scopedLive("records operation, status, error type, signer and latency of each request", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve()
      yield* call(server.url, "ListLinkedWhatsAppBusinessAccounts", {})
      yield* call(server.url, "GetLinkedWhatsAppBusinessAccount", { id: "waba-1" })
      yield* send(server.url, { method: "GET", path: "/v1/whatsapp/waba/list" }, { unsigned: true })
      yield* send(server.url, { method: "GET", path: "/nope" })
      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(
        log.map((e) => [e.operation, e.method, e.path, e.status, e.errorType, e.accessKeyId, e.fault]),
        [
          [
            "ListLinkedWhatsAppBusinessAccounts",
            "GET",
            "/v1/whatsapp/waba/list",
            200,
            undefined,
            sandboxKeys.accessKeyId,
            undefined
          ],
          [
            "GetLinkedWhatsAppBusinessAccount",
            "GET",
            "/v1/whatsapp/waba/details",
            404,
            "ResourceNotFoundException",
            sandboxKeys.accessKeyId,
            undefined
          ],
          [
            "ListLinkedWhatsAppBusinessAccounts",
            "GET",
            "/v1/whatsapp/waba/list",
            403,
            "MissingAuthenticationTokenException",
            undefined,
            undefined
          ],
          [undefined, "GET", "/nope", 404, "UnknownOperationException", sandboxKeys.accessKeyId, undefined]
        ]
      )
      for (const entry of log) {
        assert.match(entry.requestId, uuidPattern)
        assert.isAtLeast(entry.latencyMillis, 0)
      }
      yield* Ref.set(server.requestLog, [])
      assert.deepStrictEqual(yield* Ref.get(server.requestLog), [])
    }))
})

// A server shared by several tests. Without the test services the server and the signing client both use
// the real clock (under TestClock the server would see every real signature as expired).
layer(Server.layerServer(), { excludeTestServices: true })("Server.layerServer", (it) => {
  it.effect("provides the server and the engine behind it", () =>
    Effect.gen(function*() {
      const server = yield* Server.SandboxServer
      const engine = yield* Engine.Engine
      const id = yield* linkClinic(server.url)
      assert.strictEqual((yield* engine.state).linked[0]?.id, id)
      assert.strictEqual(server.engine, engine)
      assert.strictEqual(server.region, "us-east-1")
      assert.strictEqual(server.credentials[0]?.accessKeyId, sandboxKeys.accessKeyId)
    }))

  it.effect("keeps its state between the tests that share it", () =>
    Effect.gen(function*() {
      const server = yield* Server.SandboxServer
      const list = json(yield* call(server.url, "ListLinkedWhatsAppBusinessAccounts", {}))
      assert.strictEqual(field(list, "linkedAccounts", 0, "wabaName"), "Example Clinic")
    }))
})
