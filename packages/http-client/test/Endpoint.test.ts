import { assert, describe, expect, it } from "@effect/vitest"
import * as Endpoint from "@social-messaging/http-client/Endpoint"
import { ConfigProvider, Effect, Either, Schema } from "effect"
import { readFileSync } from "node:fs"

/** botocore's endpoint-tests-1.json (= the model's `smithy.rules#endpointTests`), decoded, not cast. */
const Fixture = Schema.Struct({
  version: Schema.String,
  testCases: Schema.Array(Schema.Struct({
    documentation: Schema.String,
    params: Schema.optional(Schema.Struct({
      Region: Schema.optional(Schema.String),
      UseFIPS: Schema.optional(Schema.Boolean),
      UseDualStack: Schema.optional(Schema.Boolean),
      Endpoint: Schema.optional(Schema.String)
    })),
    expect: Schema.Union(
      Schema.Struct({ endpoint: Schema.Struct({ url: Schema.String }) }),
      Schema.Struct({ error: Schema.String })
    )
  }))
})

// Read at collection time (one `it` per case); a JSON import would need the file in tsconfig.test.json's include.
const fixture = Schema.decodeUnknownSync(Schema.parseJson(Fixture))(
  readFileSync(new URL("./fixtures/endpoint-tests-1.json", import.meta.url), "utf8")
)

const withEnv = (entries: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(entries))))

describe("Endpoint.evaluate: the model's official endpoint tests", () => {
  it("has all 21 cases", () => {
    assert.strictEqual(fixture.testCases.length, 21)
  })

  for (const testCase of fixture.testCases) {
    it.effect(testCase.documentation, () =>
      Effect.sync(() => {
        const result = Endpoint.evaluate(testCase.params ?? {})
        const expected = testCase.expect
        if ("endpoint" in expected) {
          assert.isTrue(Either.isRight(result), `expected ${expected.endpoint.url}, got ${String(result)}`)
          if (Either.isRight(result)) {
            // The engine returns a URL object; compare against the expected text parsed the same way.
            assert.strictEqual(result.right.href, new URL(expected.endpoint.url).href)
          }
        } else {
          assert.isTrue(Either.isLeft(result), `expected an error, got ${String(result)}`)
          if (Either.isLeft(result)) {
            assert.strictEqual(result.left._tag, "ConfigurationError")
            assert.strictEqual(result.left.setting, "endpoint")
            assert.strictEqual(result.left.detail, expected.error)
          }
        }
      }))
  }
})

describe("Endpoint.resolve", () => {
  it.effect("builds the regional endpoint from the region alone", () =>
    Effect.gen(function*() {
      const url = yield* Endpoint.resolve({ region: "eu-west-1" }).pipe(withEnv({}))
      assert.strictEqual(url.href, "https://social-messaging.eu-west-1.amazonaws.com/")
    }))

  it.effect("custom endpoint: option, AWS_ENDPOINT_URL_SOCIALMESSAGING, the alias, then AWS_ENDPOINT_URL", () =>
    Effect.gen(function*() {
      const all = {
        AWS_ENDPOINT_URL_SOCIALMESSAGING: "http://127.0.0.1:4001",
        AWS_ENDPOINT_URL_SOCIAL_MESSAGING: "http://127.0.0.1:4002",
        AWS_ENDPOINT_URL: "http://127.0.0.1:4003"
      }
      const resolved = (env: Record<string, string>, endpoint?: string) =>
        Endpoint.resolve({ region: "us-east-1", endpoint }).pipe(withEnv(env), Effect.map((url) => url.port))
      assert.strictEqual(yield* resolved(all, "http://127.0.0.1:4000"), "4000")
      assert.strictEqual(yield* resolved(all), "4001")
      const { AWS_ENDPOINT_URL_SOCIALMESSAGING: _, ...withoutSdkName } = all
      assert.strictEqual(yield* resolved(withoutSdkName), "4002")
      assert.strictEqual(yield* resolved({ AWS_ENDPOINT_URL: all.AWS_ENDPOINT_URL }), "4003")
    }))

  it.effect("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores the environment, not the option", () =>
    Effect.gen(function*() {
      const env = { AWS_ENDPOINT_URL: "http://127.0.0.1:4003", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" }
      const regional = yield* Endpoint.resolve({ region: "us-east-1" }).pipe(withEnv(env))
      assert.strictEqual(regional.host, "social-messaging.us-east-1.amazonaws.com")
      const explicit = yield* Endpoint.resolve({ region: "us-east-1", endpoint: "http://127.0.0.1:4000" }).pipe(
        withEnv(env)
      )
      assert.strictEqual(explicit.port, "4000")
    }))

  it.effect("reads AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT; options win", () =>
    Effect.gen(function*() {
      const env = { AWS_USE_FIPS_ENDPOINT: "true", AWS_USE_DUALSTACK_ENDPOINT: "true" }
      const both = yield* Endpoint.resolve({ region: "us-east-1" }).pipe(withEnv(env))
      assert.strictEqual(both.host, "social-messaging-fips.us-east-1.api.aws")
      const plain = yield* Endpoint.resolve({ region: "us-east-1", useFips: false, useDualStack: false }).pipe(
        withEnv(env)
      )
      assert.strictEqual(plain.host, "social-messaging.us-east-1.amazonaws.com")
    }))

  it.effect("rule errors and bad URLs are ConfigurationErrors, not exceptions", () =>
    Effect.gen(function*() {
      const fips = yield* Effect.flip(
        Endpoint.resolve({ region: "us-east-1", endpoint: "https://example.com", useFips: true }).pipe(withEnv({}))
      )
      assert.strictEqual(fips.detail, "Invalid Configuration: FIPS and custom endpoint are not supported")
      const missing = yield* Effect.flip(Endpoint.resolve({}).pipe(withEnv({})))
      assert.strictEqual(missing.detail, "Invalid Configuration: Missing Region")
      const bad = yield* Effect.flip(Endpoint.resolve({ endpoint: "not a url" }).pipe(withEnv({})))
      assert.strictEqual(bad._tag, "ConfigurationError")
      assert.strictEqual(bad.setting, "endpoint")
      expect(bad.detail.length).toBeGreaterThan(0)
    }))
})
