import { assert, describe, expect, it, layer } from "@effect/vitest"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import { ConfigProvider, Duration, Effect, Exit, Layer, Option, Redacted, TestClock } from "effect"
import { inspect } from "node:util"

const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
const TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"

const withEnv = (entries: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(entries))))

const current = Effect.flatMap(AwsCredentials.AwsCredentials, (service) => service.get)

/** A provider that counts its calls; each answer expires `lifetime` after the (test) time given by `now`. */
const countingProvider = (now: () => number, lifetime: Duration.DurationInput) => {
  const state = { calls: 0 }
  const provider: AwsCredentials.Provider = () => {
    state.calls++
    return Promise.resolve({
      accessKeyId: `AKID${state.calls}`,
      secretAccessKey: SECRET,
      sessionToken: TOKEN,
      expiration: new Date(now() + Duration.toMillis(lifetime))
    })
  }
  return { state, provider }
}

describe("AwsCredentials", () => {
  describe("layerConfig", () => {
    it.effect("reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN through Config", () =>
      Effect.gen(function*() {
        const credentials = yield* current
        assert.strictEqual(credentials.accessKeyId, "AKIDENV")
        assert.isTrue(Redacted.isRedacted(credentials.secretAccessKey))
        assert.isTrue(Option.isSome(credentials.sessionToken))
        assert.isTrue(Option.isNone(credentials.expiration))
      }).pipe(Effect.provide(
        AwsCredentials.layerConfig().pipe(Layer.provide(withEnv({
          AWS_ACCESS_KEY_ID: "AKIDENV",
          AWS_SECRET_ACCESS_KEY: SECRET,
          AWS_SESSION_TOKEN: TOKEN
        })))
      )))

    it.effect("treats a missing or empty AWS_SESSION_TOKEN as none", () =>
      Effect.gen(function*() {
        for (const env of [{}, { AWS_SESSION_TOKEN: "" }]) {
          const credentials = yield* current.pipe(
            Effect.provide(
              AwsCredentials.layerConfig().pipe(Layer.provide(withEnv({
                AWS_ACCESS_KEY_ID: "AKIDENV",
                AWS_SECRET_ACCESS_KEY: SECRET,
                ...env
              })))
            )
          )
          assert.isTrue(Option.isNone(credentials.sessionToken))
        }
      }))

    it.effect("fails with a ConfigError when the secret is missing", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          current.pipe(Effect.provide(
            AwsCredentials.layerConfig().pipe(Layer.provide(withEnv({
              AWS_ACCESS_KEY_ID: "AKIDENV"
            })))
          ))
        )
        assert.isTrue(Exit.isFailure(exit))
        expect(String(exit)).toContain("AWS_SECRET_ACCESS_KEY")
      }))
  })

  it.effect("never shows secrets through String, JSON.stringify or inspect", () =>
    Effect.sync(() => {
      const credentials = AwsCredentials.makeCredentials({
        accessKeyId: "AKIDREDACT",
        secretAccessKey: SECRET,
        sessionToken: TOKEN,
        expiration: new Date(Date.UTC(2030, 0, 1))
      })
      for (
        const shown of [
          String(credentials),
          `${credentials.secretAccessKey}`,
          JSON.stringify(credentials),
          inspect(credentials, { depth: 10 }),
          String(credentials.sessionToken)
        ]
      ) {
        expect(shown).not.toContain(SECRET)
        expect(shown).not.toContain(TOKEN)
      }
      expect(JSON.stringify(credentials)).toContain("<redacted>")
      expect(JSON.stringify(credentials)).toContain("AKIDREDACT")
    }))

  describe("refresh", () => {
    it.effect("refreshes expiring credentials 5 minutes before expiry, by Clock", () =>
      Effect.gen(function*() {
        let now = 0
        const { provider, state } = countingProvider(() => now, "1 hour")
        const service = yield* AwsCredentials.makeFromProvider("counting", provider)
        const tick = (duration: Duration.DurationInput) =>
          TestClock.adjust(duration).pipe(Effect.zipRight(Effect.sync(() => (now += Duration.toMillis(duration)))))

        assert.strictEqual((yield* service.get).accessKeyId, "AKID1")
        assert.strictEqual((yield* service.get).accessKeyId, "AKID1")
        assert.strictEqual(state.calls, 1)
        yield* tick("54 minutes") // 6 minutes left: still cached
        assert.strictEqual((yield* service.get).accessKeyId, "AKID1")
        assert.strictEqual(state.calls, 1)
        yield* tick("2 minutes") // 4 minutes left: refreshed ahead of expiry
        assert.strictEqual((yield* service.get).accessKeyId, "AKID2")
        assert.strictEqual(state.calls, 2)
        assert.strictEqual((yield* service.get).accessKeyId, "AKID2")
        assert.strictEqual(state.calls, 2)
      }))

    it.effect("honours a custom refreshBefore", () =>
      Effect.gen(function*() {
        const { provider, state } = countingProvider(() => 0, "1 hour")
        const service = yield* AwsCredentials.makeFromProvider("counting", provider, { refreshBefore: "30 minutes" })
        yield* service.get
        yield* TestClock.adjust("29 minutes")
        yield* service.get
        assert.strictEqual(state.calls, 1)
        yield* TestClock.adjust("2 minutes")
        yield* service.get
        assert.strictEqual(state.calls, 2)
      }))

    it.effect("concurrent callers share one load", () =>
      Effect.gen(function*() {
        const state = { calls: 0 }
        const provider: AwsCredentials.Provider = () => {
          state.calls++
          // A real (not TestClock) delay, so all callers arrive while the load is in flight.
          return new Promise((resolve) =>
            setTimeout(
              () => resolve({ accessKeyId: "AKIDSLOW", secretAccessKey: SECRET, expiration: new Date(3_600_000) }),
              20
            )
          )
        }
        const service = yield* AwsCredentials.makeFromProvider("slow", provider)
        const all = yield* Effect.all(Array.from({ length: 20 }, () => service.get), { concurrency: "unbounded" })
        assert.strictEqual(state.calls, 1)
        assert.isTrue(all.every((credentials) => credentials === all[0]))
      }))

    it.effect("maps a rejection to CredentialsError and does not cache the failure", () =>
      Effect.gen(function*() {
        let fail = true
        const provider: AwsCredentials.Provider = () =>
          fail
            ? Promise.reject(new Error("token expired"))
            : Promise.resolve({ accessKeyId: "AKIDOK", secretAccessKey: SECRET })
        const service = yield* AwsCredentials.makeFromProvider("sso", provider)
        const error = yield* Effect.flip(service.get)
        assert.strictEqual(error._tag, "CredentialsError")
        assert.strictEqual(error.provider, "sso")
        assert.strictEqual(error.detail, "token expired")
        fail = false
        assert.strictEqual((yield* service.get).accessKeyId, "AKIDOK")
      }))
  })

  describe("layerFromProvider (the seam layerChain is built on)", () => {
    it.effect("does not call the provider until credentials are asked for", () =>
      Effect.gen(function*() {
        const { provider, state } = countingProvider(() => 0, "1 hour")
        const context = yield* Layer.build(AwsCredentials.layerFromProvider("fake-chain", provider))
        assert.strictEqual(state.calls, 0)
        const credentials = yield* current.pipe(Effect.provide(context))
        assert.strictEqual(credentials.accessKeyId, "AKID1")
        assert.isTrue(Option.isSome(credentials.sessionToken))
        assert.strictEqual(state.calls, 1)
      }).pipe(Effect.scoped))
  })

  describe("layerDefault", () => {
    const fakeChain = (answer: "ok" | "fail") => {
      const seen: Array<string | undefined> = []
      const chain = (options: AwsCredentials.ChainOptions): AwsCredentials.Provider => () => {
        seen.push(options.profile)
        return answer === "ok"
          ? Promise.resolve({ accessKeyId: "AKIDCHAIN", secretAccessKey: SECRET })
          : Promise.reject(new Error("Could not load credentials from any providers"))
      }
      return { seen, chain }
    }

    it.effect("uses the environment when AWS_ACCESS_KEY_ID is set, without touching the chain", () =>
      Effect.gen(function*() {
        const { chain, seen } = fakeChain("ok")
        const credentials = yield* current.pipe(
          Effect.provide(
            AwsCredentials.layerDefault({ chain }).pipe(Layer.provide(withEnv({
              AWS_ACCESS_KEY_ID: "AKIDENV",
              AWS_SECRET_ACCESS_KEY: SECRET
            })))
          )
        )
        assert.strictEqual(credentials.accessKeyId, "AKIDENV")
        assert.deepStrictEqual(seen, [])
      }))

    it.effect("uses the chain when AWS_ACCESS_KEY_ID is not set", () =>
      Effect.gen(function*() {
        const { chain, seen } = fakeChain("ok")
        const credentials = yield* current.pipe(
          Effect.provide(AwsCredentials.layerDefault({ chain }).pipe(Layer.provide(withEnv({}))))
        )
        assert.strictEqual(credentials.accessKeyId, "AKIDCHAIN")
        assert.deepStrictEqual(seen, [undefined])
      }))

    it.effect("a profile (AWS_PROFILE or option) selects the chain even when environment keys are set", () =>
      Effect.gen(function*() {
        const env = { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: SECRET, AWS_PROFILE: "work" }
        const fromEnv = fakeChain("ok")
        yield* current.pipe(
          Effect.provide(AwsCredentials.layerDefault({ chain: fromEnv.chain }).pipe(Layer.provide(withEnv(env))))
        )
        assert.deepStrictEqual(fromEnv.seen, ["work"])
        const fromOption = fakeChain("ok")
        yield* current.pipe(
          Effect.provide(
            AwsCredentials.layerDefault({ chain: fromOption.chain, profile: "cli" }).pipe(Layer.provide(withEnv(env)))
          )
        )
        assert.deepStrictEqual(fromOption.seen, ["cli"])
      }))

    it.effect("fails with a CredentialsError naming what was tried when nothing works", () =>
      Effect.gen(function*() {
        const { chain } = fakeChain("fail")
        const error = yield* Effect.flip(
          current.pipe(Effect.provide(AwsCredentials.layerDefault({ chain }).pipe(Layer.provide(withEnv({})))))
        )
        assert.strictEqual(error._tag, "CredentialsError")
        assert.strictEqual(error.provider, "default")
        expect(error.detail).toContain("AWS_ACCESS_KEY_ID not set")
        expect(error.detail).toContain("AWS SDK chain")
        expect(error.detail).toContain("Could not load credentials from any providers")
      }))

    it.effect("fails with a CredentialsError when AWS_ACCESS_KEY_ID is set but the secret is not", () =>
      Effect.gen(function*() {
        const { chain, seen } = fakeChain("ok")
        const error = yield* Effect.flip(
          current.pipe(
            Effect.provide(
              AwsCredentials.layerDefault({ chain }).pipe(Layer.provide(withEnv({ AWS_ACCESS_KEY_ID: "AKIDENV" })))
            )
          )
        )
        assert.strictEqual(error._tag, "CredentialsError")
        assert.strictEqual(error.provider, "environment")
        expect(error.detail).toContain("AWS_SECRET_ACCESS_KEY")
        assert.deepStrictEqual(seen, [])
      }))
  })

  // Last on purpose: in @effect/vitest 0.30 the TestClock of a `layer(...)` block leaks into tests of a
  // sibling `describe` that follows it, so the clock-sensitive refresh tests must come first.
  layer(
    AwsCredentials.layerStatic(AwsCredentials.makeCredentials({ accessKeyId: "AKIDSTATIC", secretAccessKey: SECRET }))
  )(
    "layerStatic",
    (it) => {
      it.effect("answers the given credentials, without session token or expiration", () =>
        Effect.gen(function*() {
          const credentials = yield* current
          assert.strictEqual(credentials.accessKeyId, "AKIDSTATIC")
          assert.isTrue(Redacted.isRedacted(credentials.secretAccessKey))
          assert.isTrue(Option.isNone(credentials.sessionToken))
          assert.isTrue(Option.isNone(credentials.expiration))
        }))

      it.effect("never refreshes, however late it gets", () =>
        Effect.gen(function*() {
          const first = yield* current
          yield* TestClock.adjust(Duration.days(3650))
          assert.strictEqual(yield* current, first)
        }))
    }
  )
})

describe("AwsCredentials.peek", () => {
  const credentials = AwsCredentials.makeCredentials({ accessKeyId: "AKIDPEEK", secretAccessKey: SECRET })

  it.effect("answers a static service's credentials without running get; a service of your own, nothing", () =>
    Effect.gen(function*() {
      const service = yield* AwsCredentials.AwsCredentials
      expect(AwsCredentials.peek(service, Date.now())).toBe(credentials)
      const own = AwsCredentials.AwsCredentials.of({ get: Effect.succeed(credentials) })
      expect(AwsCredentials.peek(own, Date.now())).toBeUndefined()
    }).pipe(Effect.provide(AwsCredentials.layerStatic(credentials))))

  it.live("a cache answers only once it holds fresh credentials, and no longer once they expire", () => {
    const { provider, state } = countingProvider(() => Date.now(), "1 hour")
    return Effect.gen(function*() {
      const service = yield* AwsCredentials.AwsCredentials
      expect(AwsCredentials.peek(service, Date.now())).toBeUndefined()
      const loaded = yield* service.get
      expect(AwsCredentials.peek(service, Date.now())).toBe(loaded)
      expect(AwsCredentials.peek(service, Date.now() + Duration.toMillis("2 hours"))).toBeUndefined()
      expect(state.calls).toBe(1)
    }).pipe(Effect.provide(AwsCredentials.layerFromProvider("test", provider)))
  })
})
