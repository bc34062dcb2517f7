/**
 * The sandbox server attacked as a local process or a web page would (issue 16): a body swapped under an
 * unsigned payload, bodies too large with and without credentials, bodies that stall or trickle, a
 * foreign `Host` (DNS rebinding), and a request log that must stay bounded. Loopback (127.0.0.1) only.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import * as SigV4Verifier from "@social-messaging/sandbox/SigV4Verifier"
import { Effect, Predicate, Ref } from "effect"
import { exchange, head, pause, type RawResponse, signedHeaders } from "./support/RawHttp.js"
import { call, messageOf, send, type WireResponse } from "./support/SignedClient.js"

const signatureMismatch = "The request signature we calculated does not match the signature you provided. " +
  "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

const assertAwsError = (response: WireResponse, status: number, errorType: string) => {
  assert.strictEqual(response.status, status, response.text)
  assert.strictEqual(response.headers.get("x-amzn-errortype"), errorType)
  assert.isNotNull(response.headers.get("x-amzn-requestid"))
}

/** A raw answer in AWS's error shape: status, `x-amzn-errortype`, `{"message": …}`. */
const assertRawError = (response: RawResponse, status: number, errorType: string): string => {
  assert.strictEqual(response.status, status, response.body)
  assert.strictEqual(response.headers["x-amzn-errortype"], errorType)
  assert.strictEqual(response.headers["content-type"], "application/json")
  assert.isDefined(response.headers["x-amzn-requestid"])
  const body: unknown = JSON.parse(response.body)
  assert.isTrue(Predicate.hasProperty(body, "message") && typeof body.message === "string", response.body)
  return Predicate.hasProperty(body, "message") && typeof body.message === "string" ? body.message : ""
}

const field = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (acc, key) =>
      typeof acc === "object" && acc !== null && Object.prototype.hasOwnProperty.call(acc, key)
        ? Object.getOwnPropertyDescriptor(acc, key)?.value
        : undefined,
    value
  )

/** Links "Example Clinic" and answers its WABA's ARN. */
const linkClinic = (url: string) =>
  Effect.gen(function*() {
    const step1 = yield* call(url, "AssociateWhatsAppBusinessAccount", {
      signupCallback: { accessToken: Fixtures.tokens.oneWaba }
    })
    const token = field(step1.json, "signupCallbackResult", "associateInProgressToken")
    const step2 = yield* call(url, "AssociateWhatsAppBusinessAccount", {
      setupFinalization: {
        associateInProgressToken: token,
        phoneNumbers: [{ id: "200000000000031", twoFactorPin: "123456" }]
      }
    })
    const id = String(field(step2.json, "linkedWhatsAppBusinessAccountId"))
    const account = yield* call(url, "GetLinkedWhatsAppBusinessAccount", { id })
    return String(field(account.json, "account", "arn"))
  })

const tagPath = "/v1/tags/tag-resource"

describe("Hardening: the body is covered by the signature", () => {
  it.scopedLive("refuses UNSIGNED-PAYLOAD, so a body swapped after signing changes nothing", () =>
    Effect.gen(function*() {
      const { url } = yield* Server.serve()
      const resourceArn = yield* linkClinic(url)
      const unsigned = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }
      const request = {
        method: "POST",
        path: tagPath,
        body: JSON.stringify({ resourceArn, tags: [{ key: "owner", value: "me" }] }),
        headers: unsigned
      }

      // Signed once, replayed with other tags: AWS's answer for a bad signature, with the server's Date.
      const tampered = yield* send(url, request, {
        tamper: (sent) => ({ ...sent, body: JSON.stringify({ resourceArn, tags: [{ key: "owner", value: "evil" }] }) })
      })
      assertAwsError(tampered, 403, "InvalidSignatureException")
      assert.strictEqual(messageOf(tampered), signatureMismatch)
      const date = Date.parse(tampered.headers.get("date") ?? "")
      assert.approximately(date, Date.now(), 60_000)

      // Untampered, it is refused all the same: the header itself takes the body out of the signature.
      assertAwsError(yield* send(url, request), 403, "InvalidSignatureException")
      // Sent but not signed, too.
      const notSigned = yield* send(url, { ...request, headers: {} }, {
        tamper: (sent) => ({ ...sent, headers: { ...sent.headers, ...unsigned } })
      })
      assertAwsError(notSigned, 403, "InvalidSignatureException")

      const tags = yield* call(url, "ListTagsForResource", { resourceArn })
      assert.deepStrictEqual(tags.json, { statusCode: 200, tags: [] })
      // The real hash is still accepted.
      assert.strictEqual((yield* send(url, { ...request, headers: {} }, { contentSha256: true })).status, 200)
    }))

  it.effect("the verifier refuses UNSIGNED-PAYLOAD from the headers alone", () =>
    Effect.gen(function*() {
      const verifier = SigV4Verifier.make({ credentials: [SigV4Verifier.defaultCredentials], region: "us-east-1" })
      const headers = yield* signedHeaders("POST", tagPath, {
        host: "127.0.0.1:1",
        body: "{}",
        headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }
      })
      const rejected = yield* Effect.flip(verifier.authenticate({ method: "POST", url: tagPath, headers }))
      assert.strictEqual(rejected.errorType, "InvalidSignatureException")
      assert.strictEqual(rejected.message, signatureMismatch)
    }))
})

describe("Hardening: bodies are bounded and read only after authentication", () => {
  const hundredMiB = String(100 * 1024 * 1024)

  it.scopedLive("answers an oversized body without credentials at once, unread, and closes the connection", () =>
    Effect.gen(function*() {
      const { port } = yield* Server.serve()
      const host = `127.0.0.1:${port}`
      const declared = yield* exchange(port, [
        head("POST", tagPath, { host, "content-type": "application/json", "content-length": hundredMiB }),
        "{\"resourceArn\": \""
      ])
      assertRawError(declared, 403, "MissingAuthenticationTokenException")
      assert.strictEqual(declared.headers["connection"], "close")
      assert.isTrue(declared.closed)

      const chunked = yield* exchange(port, [
        head("POST", tagPath, { host, "content-type": "application/json", "transfer-encoding": "chunked" }),
        "10\r\n{\"resourceArn\": \"\r\n"
      ])
      assertRawError(chunked, 403, "MissingAuthenticationTokenException")
      assert.isTrue(chunked.closed)

      // An unknown key is refused just as early.
      const unknownKey = yield* exchange(port, [
        head("POST", tagPath, {
          host,
          "content-length": hundredMiB,
          "x-amz-date": "20240101T000000Z",
          authorization: "AWS4-HMAC-SHA256 Credential=AKIANOTASANDBOXKEY00/20240101/us-east-1/social-messaging/" +
            "aws4_request, SignedHeaders=host;x-amz-date, Signature=00"
        })
      ])
      assertRawError(unknownKey, 403, "UnrecognizedClientException")
      assert.isTrue(unknownKey.closed)
    }))

  it.scopedLive("answers an oversized body with valid credentials 413, declared or chunked", () =>
    Effect.gen(function*() {
      const maxBodyBytes = 64 * 1024
      const { port, requestLog } = yield* Server.serve({ maxBodyBytes })
      const host = `127.0.0.1:${port}`
      const body = JSON.stringify({ resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/1", tags: [] })
        .padEnd(maxBodyBytes + 1, " ")
      const headers = yield* signedHeaders("POST", tagPath, {
        host,
        body,
        headers: { "content-type": "application/json" }
      })

      // Declared: refused from the Content-Length, after the signature's header checks, without reading.
      const declared = yield* exchange(port, [
        head("POST", tagPath, { ...headers, "content-length": String(body.length) }),
        body.slice(0, 1000)
      ])
      const message = assertRawError(declared, 413, "RequestEntityTooLargeException")
      assert.strictEqual(message, `The request body is larger than ${maxBodyBytes} bytes.`)
      assert.strictEqual(declared.headers["connection"], "close")
      assert.isTrue(declared.closed)

      // Chunked: counted as it arrives, refused once past the cap.
      const chunks = Array.from({ length: 8 }, (_, i) => body.slice(i * 16384, (i + 1) * 16384))
        .filter((chunk) => chunk.length > 0)
        .map((chunk) => `${chunk.length.toString(16)}\r\n${chunk}\r\n`)
      const chunked = yield* exchange(port, [
        head("POST", tagPath, { ...headers, "transfer-encoding": "chunked" }),
        ...chunks.flatMap((chunk) => [chunk, pause("10 millis")]),
        "0\r\n\r\n"
      ])
      assertRawError(chunked, 413, "RequestEntityTooLargeException")
      assert.isTrue(chunked.closed)

      // Exactly at the cap it is read (and answered by the engine: the ARN is unknown).
      const atCap = yield* send(`http://${host}`, { method: "POST", path: tagPath, body: body.slice(0, maxBodyBytes) })
      assertAwsError(atCap, 400, "InvalidParametersException")

      const log = yield* Ref.get(requestLog)
      assert.deepStrictEqual(log.map((e) => [e.status, e.errorType, e.accessKeyId]), [
        [413, "RequestEntityTooLargeException", undefined],
        [413, "RequestEntityTooLargeException", undefined],
        [400, "InvalidParametersException", "AKIASANDBOX000000001"]
      ])
    }))

  it.scopedLive("admits the largest legitimate request under the default cap", () =>
    Effect.gen(function*() {
      // Step 2 with 20 numbers, the WABA and each number with 50 tags of the longest keys and values, every
      // character outside the BMP and escaped as botocore's json.dumps escapes it (two \uXXXX each).
      const astral = (n: number) => "\\ud840\\udc00".repeat(n)
      const tags = `[${Array.from({ length: 50 }, () => `{"key":"${astral(128)}","value":"${astral(256)}"}`)}]`
      const number = `{"id":"${"1".repeat(100)}","twoFactorPin":"123456","dataLocalizationRegion":"DE","tags":${tags}}`
      const destination = `{"eventDestinationArn":"${"a".repeat(2048)}","roleArn":"${"a".repeat(2048)}"}`
      const body = `{"setupFinalization":{"associateInProgressToken":"${"a".repeat(50)}",` +
        `"phoneNumbers":[${Array.from({ length: 20 }, () => number)}],` +
        `"waba":{"id":"${"1".repeat(100)}","eventDestinations":[${destination}],"tags":${tags}}}}`
      assert.isAbove(body.length, 4_800_000)
      assert.isAtMost(body.length, Server.defaultMaxBodyBytes)
      const { url } = yield* Server.serve()
      const response = yield* send(url, { method: "POST", path: "/v1/whatsapp/signup", body })
      // Read, parsed and judged by the engine (the in-progress token is unknown), not refused for its size.
      assert.notStrictEqual(response.status, 413)
      assert.notStrictEqual(response.headers.get("x-amzn-errortype"), "SerializationException")
    }))

  it.scopedLive("times out a stalled or trickling body (408 RequestTimeoutException) and stalled headers, and stays up", () =>
    Effect.gen(function*() {
      const { port, url } = yield* Server.serve({ bodyTimeout: "300 millis" })
      const host = `127.0.0.1:${port}`
      const body = JSON.stringify({ resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/1", tags: [] })
      const headers = yield* signedHeaders("POST", tagPath, {
        host,
        body,
        headers: { "content-type": "application/json" }
      })
      const requestHead = head("POST", tagPath, { ...headers, "content-length": String(body.length) })

      const stalled = yield* exchange(port, [requestHead, body.slice(0, 10)])
      const message = assertRawError(stalled, 408, "RequestTimeoutException")
      assert.match(message, /did not arrive within 300ms/)
      assert.isTrue(stalled.closed)
      assert.isAtLeast(stalled.elapsedMillis, 250)
      assert.isBelow(stalled.elapsedMillis, 3000)

      // A byte every 40 ms would take 3 s: the deadline is for the whole body, not between bytes.
      const trickle = yield* exchange(port, [requestHead, ...[...body].flatMap((c) => [c, pause("40 millis")])])
      assertRawError(trickle, 408, "RequestTimeoutException")
      assert.isBelow(trickle.elapsedMillis, 3000)

      // Headers that never finish are Node's to time out (headersTimeout, checked every second).
      const slowHeaders = yield* exchange(port, [`GET ${tagPath} HTTP/1.1\r\nhost: ${host}\r\n`], 5000)
      assert.isTrue(slowHeaders.closed)
      assert.isBelow(slowHeaders.elapsedMillis, 4000)

      // A body that arrives in time, after a pause, is answered (the ARN is unknown: 400).
      const late = yield* exchange(port, [requestHead, body.slice(0, 10), pause("100 millis"), body.slice(10)])
      assertRawError(late, 400, "InvalidParametersException")
      assert.strictEqual((yield* call(url, "ListLinkedWhatsAppBusinessAccounts", {})).status, 200)
    }))
})

describe("Hardening: Host must be the sandbox's own address (DNS rebinding)", () => {
  const listPath = "/v1/whatsapp/waba/list"

  it.scopedLive("refuses a correctly signed request for a foreign Host before authentication", () =>
    Effect.gen(function*() {
      const { port, requestLog } = yield* Server.serve()
      const asHost = (host: string) =>
        Effect.flatMap(
          signedHeaders("GET", listPath, { host }),
          (headers) => exchange(port, [head("GET", listPath, headers)])
        )

      const rebound = yield* asHost(`attacker.example:${port}`)
      const message = assertRawError(rebound, 403, "ForbiddenException")
      assert.include(message, `Host 'attacker.example:${port}' is not this sandbox's address (127.0.0.1:${port})`)
      assert.include(message, "DNS rebinding")
      assertRawError(yield* asHost(`127.0.0.1:${port + 1}`), 403, "ForbiddenException")
      assertRawError(yield* asHost("127.0.0.1"), 403, "ForbiddenException")

      assert.strictEqual((yield* asHost(`127.0.0.1:${port}`)).status, 200)
      assert.strictEqual((yield* asHost(`localhost:${port}`)).status, 200)
      assert.strictEqual((yield* asHost(`LOCALHOST:${port}`)).status, 200)

      const log = yield* Ref.get(requestLog)
      assert.deepStrictEqual(log.map((e) => [e.status, e.accessKeyId]), [
        [403, undefined],
        [403, undefined],
        [403, undefined],
        [200, "AKIASANDBOX000000001"],
        [200, "AKIASANDBOX000000001"],
        [200, "AKIASANDBOX000000001"]
      ])
    }))

  it.scopedLive("answers configured aliases: a bare name on the server's port, name:port as given", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ allowedHosts: ["sandbox.test", "forwarded.test:8080"] })
      const asHost = (host: string) =>
        Effect.flatMap(
          signedHeaders("GET", listPath, { host }),
          (headers) => exchange(server.port, [head("GET", listPath, headers)])
        )
      assert.strictEqual((yield* asHost(`sandbox.test:${server.port}`)).status, 200)
      assert.strictEqual((yield* asHost("forwarded.test:8080")).status, 200)
      assert.strictEqual((yield* asHost(`forwarded.test:${server.port}`)).status, 403)
      assert.strictEqual((yield* asHost("sandbox.test:1")).status, 403)
      assert.includeMembers([...server.allowedHosts], [
        `127.0.0.1:${server.port}`,
        `localhost:${server.port}`,
        `sandbox.test:${server.port}`,
        "forwarded.test:8080"
      ])
    }))

  it("knows loopback from the rest, and what to accept on every interface", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1"]) {
      assert.isTrue(Server.isLoopback(host), host)
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "example.com", "127.0.0.1.nip.io"]) {
      assert.isFalse(Server.isLoopback(host), host)
    }
    const everywhere = Server.allowedHostValues("0.0.0.0", "0.0.0.0", 4010)
    assert.includeMembers([...everywhere], ["0.0.0.0:4010", "127.0.0.1:4010", "localhost:4010"])
    assert.notInclude(everywhere, "attacker.example:4010")
    assert.deepStrictEqual(Server.allowedHostValues("::1", "::1", 80), [
      "[::1]:80",
      "[::1]",
      "localhost:80",
      "localhost"
    ])
    assert.isUndefined(Server.exposureWarning("127.0.0.1"))
    assert.match(Server.exposureWarning("0.0.0.0") ?? "", /keys are public/)
  })
})

describe("Hardening: the request log is a bounded ring", () => {
  it.scopedLive("keeps the newest requestLogSize entries and counts the dropped ones", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ requestLogSize: 3 })
      for (const i of [1, 2, 3, 4, 5]) yield* send(server.url, { method: "GET", path: `/nowhere/${i}` })
      const log = yield* Ref.get(server.requestLog)
      assert.deepStrictEqual(log.map((e) => e.path), ["/nowhere/3", "/nowhere/4", "/nowhere/5"])
      assert.strictEqual(yield* server.requestLogDropped, 2)
      // Reading copies: the snapshot does not change under the reader.
      yield* send(server.url, { method: "GET", path: "/nowhere/6" })
      assert.strictEqual(log.length, 3)
      assert.strictEqual(log[0]?.path, "/nowhere/3")

      yield* Ref.set(server.requestLog, [])
      assert.deepStrictEqual(yield* Ref.get(server.requestLog), [])
      assert.strictEqual(yield* server.requestLogDropped, 0)
      yield* send(server.url, { method: "GET", path: "/nowhere/7" })
      assert.deepStrictEqual((yield* Ref.get(server.requestLog)).map((e) => e.path), ["/nowhere/7"])
    }))

  it.scopedLive("keeps nothing with requestLogSize 0, counting every request as dropped", () =>
    Effect.gen(function*() {
      const server = yield* Server.serve({ requestLogSize: 0 })
      yield* send(server.url, { method: "GET", path: "/nowhere" })
      assert.deepStrictEqual(yield* Ref.get(server.requestLog), [])
      assert.strictEqual(yield* server.requestLogDropped, 1)
    }))
})
