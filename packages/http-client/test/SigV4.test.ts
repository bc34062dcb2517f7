import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, expect, it } from "@effect/vitest"
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SigV4 from "@social-messaging/http-client/SigV4"
import { Effect, Stream, TestClock } from "effect"
import { createHash, createHmac } from "node:crypto"

const ACCESS_KEY_ID = "AKIDEXAMPLE"
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
const credentials = AwsCredentials.makeCredentials({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET })
const withToken = AwsCredentials.makeCredentials({
  accessKeyId: ACCESS_KEY_ID,
  secretAccessKey: SECRET,
  sessionToken: TOKEN
})

const SIGNING_TIME = Date.UTC(2024, 4, 1, 12, 34, 56) // 20240501T123456Z
const HOST = "social-messaging.us-east-1.amazonaws.com"
const BODY = JSON.stringify({ signupCallback: { accessToken: "meta-token", callbackUrl: "https://example.com/cb" } })
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex")

/** What `@smithy/signature-v4` itself produces for the same input, configured as the AWS SDK configures it. */
const reference = (
  input: {
    method: string
    path: string
    query: Record<string, string | Array<string>>
    headers: Record<string, string>
    body?: string
  },
  sessionToken?: string
) =>
  Effect.promise(() =>
    new SignatureV4({
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, ...(sessionToken ? { sessionToken } : {}) },
      region: "us-east-1",
      service: "social-messaging",
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: true
    }).sign(
      { protocol: "https:", hostname: HOST, ...input, headers: { ...input.headers, host: HOST } },
      { signingDate: new Date(SIGNING_TIME) }
    )
  ).pipe(Effect.map((signed) => signed.headers))

// =============================================================================
// A second, independent SigV4 (node:crypto only), straight from the AWS documentation
// =============================================================================

const rfc3986 = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const independentAuthorization = (input: {
  method: string
  path: string
  query: ReadonlyArray<readonly [string, string]>
  headers: Record<string, string>
  body: string
  date: string // YYYYMMDDTHHMMSSZ
  region: string
  service: string
}) => {
  const canonicalQuery = input.query
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&")
  const names = Object.keys(input.headers).map((name) => name.toLowerCase()).sort()
  const lookup = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim()]))
  const canonicalHeaders = names.map((name) => `${name}:${lookup[name]}\n`).join("")
  const signedHeaders = names.join(";")
  // Non-S3 services: each path segment is URI-encoded twice (our paths are already encoded once).
  const canonicalPath = input.path.split("/").map((segment) => rfc3986(segment)).join("/")
  const canonicalRequest = [
    input.method,
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body)
  ].join("\n")
  const day = input.date.slice(0, 8)
  const scope = `${day}/${input.region}/${input.service}/aws4_request`
  const stringToSign = ["AWS4-HMAC-SHA256", input.date, scope, sha256Hex(canonicalRequest)].join("\n")
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest()
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, day), input.region), input.service), "aws4_request")
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex")
  return `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
}

describe("SigV4.sign", () => {
  it.effect("equals @smithy/signature-v4's own output at the same signing date (POST with body and query)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(SIGNING_TIME)
      const headers = { "content-type": "application/json", "x-custom": "  a   b  " }
      const query = { id: "waba-1234", tagKeys: ["b key", "a*key"] }
      const ours = yield* SigV4.sign(
        { method: "POST", url: `https://${HOST}/v1/whatsapp/signup`, query, headers, body: BODY },
        { credentials, region: "us-east-1" }
      )
      const theirs = yield* reference({
        method: "POST",
        path: "/v1/whatsapp/signup",
        query: { id: "waba-1234", tagKeys: ["b key", "a*key"] },
        headers,
        body: BODY
      })
      assert.deepStrictEqual(ours, theirs)
      assert.strictEqual(ours["x-amz-date"], "20240501T123456Z")
      expect(ours["authorization"]).toContain(
        `Credential=${ACCESS_KEY_ID}/20240501/us-east-1/social-messaging/aws4_request`
      )
    }))

  it.effect("equals @smithy/signature-v4 with a session token; the token header appears only then", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(SIGNING_TIME)
      const request = { method: "GET", url: `https://${HOST}/v1/whatsapp/waba/details?id=waba-1`, headers: {} }
      const plain = yield* SigV4.sign(request, { credentials, region: "us-east-1" })
      const temporary = yield* SigV4.sign(request, { credentials: withToken, region: "us-east-1" })
      assert.isUndefined(plain["x-amz-security-token"])
      assert.strictEqual(temporary["x-amz-security-token"], TOKEN)
      expect(temporary["authorization"]).toContain("x-amz-security-token")
      const theirs = yield* reference(
        { method: "GET", path: "/v1/whatsapp/waba/details", query: { id: "waba-1" }, headers: {} },
        TOKEN
      )
      assert.deepStrictEqual(temporary, theirs)
    }))

  it.effect("always adds and signs x-amz-content-sha256, also without a body", () =>
    Effect.gen(function*() {
      const get = yield* SigV4.sign({ method: "GET", url: `https://${HOST}/v1/tags/list` }, {
        credentials,
        region: "us-east-1"
      })
      assert.strictEqual(get["x-amz-content-sha256"], EMPTY_SHA256)
      expect(get["authorization"]).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date,")
      const bytes = new TextEncoder().encode(BODY)
      const post = yield* SigV4.sign({ method: "POST", url: `https://${HOST}/v1/whatsapp/signup`, body: bytes }, {
        credentials,
        region: "us-east-1"
      })
      assert.strictEqual(post["x-amz-content-sha256"], sha256Hex(BODY))
    }))

  it.effect("takes the signing time from Clock", () =>
    Effect.gen(function*() {
      const at = (millis: number) =>
        TestClock.setTime(millis).pipe(
          Effect.zipRight(SigV4.sign({ method: "GET", url: `https://${HOST}/` }, { credentials, region: "eu-west-1" }))
        )
      assert.strictEqual((yield* at(Date.UTC(2030, 0, 2, 3, 4, 5)))["x-amz-date"], "20300102T030405Z")
      assert.strictEqual((yield* at(Date.UTC(2031, 11, 31, 23, 59, 59)))["x-amz-date"], "20311231T235959Z")
    }))

  it.effect("matches an independent implementation (node:crypto, per the AWS docs), port and odd query included", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(SIGNING_TIME)
      const ours = yield* SigV4.sign({
        method: "post",
        url: "http://127.0.0.1:4566/v1/tags/tag-resource?resourceArn=" +
          encodeURIComponent("arn:aws:social-messaging:us-east-1:1:waba/x"),
        query: { "z key": "v~a l*ue", "a": ["2", "1"] },
        headers: { "content-type": "application/json" },
        body: BODY
      }, { credentials: withToken, region: "us-east-1" })
      const expected = independentAuthorization({
        method: "POST",
        path: "/v1/tags/tag-resource",
        query: [
          ["resourceArn", "arn:aws:social-messaging:us-east-1:1:waba/x"],
          ["z key", "v~a l*ue"],
          ["a", "2"],
          ["a", "1"]
        ],
        headers: {
          "content-type": "application/json",
          host: "127.0.0.1:4566",
          "x-amz-content-sha256": sha256Hex(BODY),
          "x-amz-date": "20240501T123456Z",
          "x-amz-security-token": TOKEN
        },
        body: BODY,
        date: "20240501T123456Z",
        region: "us-east-1",
        service: "social-messaging"
      })
      assert.strictEqual(ours["authorization"], expected)
      assert.strictEqual(ours["host"], "127.0.0.1:4566")
    }))

  it.effect("reproduces AWS's published example (IAM ListUsers, 20150830T123600Z)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2015, 7, 30, 12, 36, 0))
      const headers = yield* SigV4.sign({
        method: "GET",
        url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }
      }, { credentials, region: "us-east-1", service: "iam", applyChecksum: false })
      assert.strictEqual(
        headers["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
          "SignedHeaders=content-type;host;x-amz-date, " +
          "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
      )
    }))

  it.effect("refuses expired credentials (by Clock) with CredentialsError", () =>
    Effect.gen(function*() {
      const expiring = AwsCredentials.makeCredentials({
        accessKeyId: "AKID",
        secretAccessKey: SECRET,
        expiration: new Date(1000)
      })
      yield* TestClock.setTime(999)
      yield* SigV4.sign({ method: "GET", url: `https://${HOST}/` }, { credentials: expiring, region: "us-east-1" })
      yield* TestClock.setTime(1000)
      const error = yield* Effect.flip(
        SigV4.sign({ method: "GET", url: `https://${HOST}/` }, { credentials: expiring, region: "us-east-1" })
      )
      assert.strictEqual(error._tag, "CredentialsError")
    }))

  it.effect("fails with SigningError on a relative URL", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        SigV4.sign({ method: "GET", url: "/v1/tags/list" }, { credentials, region: "us-east-1" })
      )
      assert.strictEqual(error._tag, "SigningError")
    }))
})

describe("SigV4.signHttpClientRequest", () => {
  it.effect("sets the signed headers, puts the canonical query on the URL and keeps the JSON body", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(SIGNING_TIME)
      const request = HttpClientRequest.post(`https://${HOST}/v1/whatsapp/signup`).pipe(
        HttpClientRequest.setUrlParams({ "b": "x y", "a": "1" }),
        HttpClientRequest.bodyText(BODY, "application/json")
      )
      const signed = yield* SigV4.signHttpClientRequest(request, { credentials: withToken, region: "us-east-1" })
      const headers = yield* SigV4.sign({
        method: "POST",
        url: `https://${HOST}/v1/whatsapp/signup`,
        query: { a: "1", b: "x y" },
        headers: request.headers,
        body: new TextEncoder().encode(BODY)
      }, { credentials: withToken, region: "us-east-1" })
      assert.strictEqual(signed.headers["authorization"], headers["authorization"])
      assert.strictEqual(signed.headers["x-amz-security-token"], TOKEN)
      assert.strictEqual(signed.headers["x-amz-content-sha256"], sha256Hex(BODY))
      assert.strictEqual(signed.headers["content-type"], "application/json")
      assert.isUndefined(signed.headers["host"])
      const url = HttpClientRequest.toUrl(signed)
      assert.strictEqual(url._tag === "Some" ? url.value.href : "", `https://${HOST}/v1/whatsapp/signup?a=1&b=x%20y`)
      assert.strictEqual(signed.body, request.body)
    }))

  it.effect("signs a schema/JSON Uint8Array body and an empty GET", () =>
    Effect.gen(function*() {
      const post = yield* HttpClientRequest.post(`https://${HOST}/v1/tags/tag-resource`).pipe(
        HttpClientRequest.bodyJson({ resourceArn: "arn:x", tags: [] })
      )
      const signedPost = yield* SigV4.signHttpClientRequest(post, { credentials, region: "us-east-1" })
      const bytes = post.body._tag === "Uint8Array" ? post.body.body : new Uint8Array()
      assert.strictEqual(signedPost.headers["x-amz-content-sha256"], sha256Hex(bytes))
      const get = HttpClientRequest.get(`https://${HOST}/v1/whatsapp/waba/list`)
      const signedGet = yield* SigV4.signHttpClientRequest(get, { credentials, region: "us-east-1" })
      assert.strictEqual(signedGet.headers["x-amz-content-sha256"], EMPTY_SHA256)
      assert.strictEqual(signedGet.url, `https://${HOST}/v1/whatsapp/waba/list`)
    }))

  it.effect("refuses a streamed body with SigningError", () =>
    Effect.gen(function*() {
      const request = HttpClientRequest.post(`https://${HOST}/v1/whatsapp/media`).pipe(
        HttpClientRequest.bodyStream(Stream.make(new Uint8Array([1, 2, 3])))
      )
      const error = yield* Effect.flip(SigV4.signHttpClientRequest(request, { credentials, region: "us-east-1" }))
      assert.strictEqual(error._tag, "SigningError")
    }))
})

describe("credentials that cannot travel in a header", () => {
  it.effect("fail as CredentialsError without quoting the value", () =>
    Effect.gen(function*() {
      const credentials = AwsCredentials.makeCredentials({
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "secret",
        sessionToken: "line-one\nSECRET-TOKEN-TAIL"
      })
      const error = yield* Effect.flip(
        SigV4.sign({ method: "GET", url: "https://social-messaging.us-east-1.amazonaws.com/v1/tags/list" }, {
          credentials,
          region: "us-east-1"
        })
      )
      assert.strictEqual(error._tag, "CredentialsError")
      assert.include(error.message, "session token")
      assert.notInclude(JSON.stringify(error) + error.message, "SECRET-TOKEN-TAIL")
    }))
})
