/**
 * AWS credentials as their own service: static, from `Config` (the `AWS_*` environment variables), or from the
 * AWS SDK's Node provider chain (profiles, SSO, web identity, `credential_process`, ECS/EC2 metadata).
 *
 * Credentials that expire are cached and refreshed ahead of expiry (time from `Clock`); concurrent callers share
 * one refresh. Secrets are `Redacted` from the moment they are read; only `SigV4` unwraps them.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
 *
 * const program = Effect.flatMap(AwsCredentials.AwsCredentials, (credentials) => credentials.get)
 * program.pipe(Effect.provide(AwsCredentials.layerDefault()))
 * ```
 */
import { CredentialsError } from "@social-messaging/domain/Errors"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { optionalString } from "./internal/config.js"
import * as CredentialsPeek from "./internal/credentialsPeek.js"

// =============================================================================
// Models
// =============================================================================

/** A set of AWS credentials. Secrets are `Redacted`: printing or JSON-encoding them shows `<redacted>`. */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
  /** Present for temporary credentials (STS, SSO, instance roles); sent as `x-amz-security-token`. */
  readonly sessionToken: Option.Option<Redacted.Redacted<string>>
  /** When the credentials stop working; `None` for long-term keys, which are never refreshed. */
  readonly expiration: Option.Option<DateTime.Utc>
}

/** The plain shape AWS SDK credential providers resolve to (structurally `AwsCredentialIdentity`). */
export interface Identity {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  readonly expiration?: Date | undefined
}

/** An AWS SDK style credential provider: a function resolving to an `Identity`. */
export type Provider = () => Promise<Identity>

/** Builds `Credentials`, redacting the secrets. */
export const makeCredentials = (input: {
  readonly accessKeyId: string
  readonly secretAccessKey: string | Redacted.Redacted<string>
  readonly sessionToken?: string | Redacted.Redacted<string> | undefined
  readonly expiration?: Date | DateTime.DateTime | undefined
}): Credentials => ({
  accessKeyId: input.accessKeyId,
  secretAccessKey: toRedacted(input.secretAccessKey),
  sessionToken: Option.map(Option.fromNullable(input.sessionToken), toRedacted),
  expiration: Option.fromNullable(input.expiration).pipe(Option.flatMap(DateTime.make), Option.map(DateTime.toUtc))
})

/** Converts what an AWS SDK provider resolves to into `Credentials`. Empty session tokens count as absent. */
export const fromIdentity = (identity: Identity): Credentials =>
  makeCredentials({
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    sessionToken: identity.sessionToken === "" ? undefined : identity.sessionToken,
    expiration: identity.expiration
  })

const toRedacted = (value: string | Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

// =============================================================================
// Service
// =============================================================================

/** The credentials service. `get` answers from a cache; it only calls a provider when needed. */
export interface Service {
  /** The current credentials: cached, refreshed ahead of expiry. */
  readonly get: Effect.Effect<Credentials, CredentialsError>
}

const peeks = CredentialsPeek.make<Service, Credentials>()

/**
 * The credentials `service.get` would answer at `now` (epoch milliseconds) without loading anything, when the
 * service is one this module builds (static, environment, or a cache holding fresh credentials); `undefined`
 * otherwise (a service of your own, an empty or stale cache), and `get` is then the way. What lets a call sign
 * without running `get` as an effect.
 */
export const peek = (service: Service, now: number): Credentials | undefined => peeks.peek(service, now)

/**
 * The AWS credentials in use.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AwsCredentials } from "@social-messaging/http-client/AwsCredentials"
 *
 * const accessKeyId = Effect.flatMap(AwsCredentials, (c) => c.get).pipe(Effect.map((c) => c.accessKeyId))
 * ```
 */
export class AwsCredentials extends Context.Tag("@social-messaging/http-client/AwsCredentials")<
  AwsCredentials,
  Service
>() {}

/** Options of the caching layers. */
export interface CacheOptions {
  /** Refresh this long before `expiration`. Default: 5 minutes (as the AWS SDKs do). */
  readonly refreshBefore?: Duration.DurationInput | undefined
}

/**
 * Wraps a credentials loader in a cache: credentials without expiration are loaded once; expiring ones are
 * reloaded once `refreshBefore` of their lifetime is left. Concurrent callers wait for a single load.
 * Failed loads are not cached: the next `get` tries again.
 */
export const makeCached = (
  load: Effect.Effect<Credentials, CredentialsError>,
  options: CacheOptions = {}
): Effect.Effect<Service> =>
  Effect.map(SynchronizedRef.make(Option.none<Credentials>()), (ref) => {
    const windowMillis = Duration.toMillis(Duration.decode(options.refreshBefore ?? "5 minutes"))
    const isFresh = (credentials: Credentials, now: number): boolean =>
      Option.match(credentials.expiration, {
        onNone: () => true,
        onSome: (expiration) => DateTime.toEpochMillis(expiration) - now > windowMillis
      })
    const freshAt = (cached: Option.Option<Credentials>, now: number): Option.Option<Credentials> =>
      Option.filter(cached, (credentials) => isFresh(credentials, now))

    // What the ref holds, for the synchronous look (`internal/credentialsPeek`): the last load, if fresh.
    let latest: Credentials | undefined
    // Under the lock: look again (another fiber may have just refreshed), then load if still needed.
    const refresh = SynchronizedRef.modifyEffect(
      ref,
      (cached): Effect.Effect<readonly [Credentials, Option.Option<Credentials>], CredentialsError> =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Option.match(freshAt(cached, now), {
            onSome: (credentials) => Effect.succeed([credentials, cached]),
            onNone: () =>
              Effect.map(load, (credentials) => {
                latest = credentials
                return [credentials, Option.some(credentials)] as const
              })
          }))
    )

    // The hot path reads the ref without taking the lock.
    const get = Effect.flatMap(
      Effect.zip(SynchronizedRef.get(ref), Clock.currentTimeMillis),
      ([cached, now]) =>
        Option.match(freshAt(cached, now), {
          onSome: Effect.succeed,
          onNone: () => refresh
        })
    )
    return peeks.register(
      AwsCredentials.of({ get }),
      (now) => latest !== undefined && isFresh(latest, now) ? latest : undefined
    )
  })

/**
 * A cached service over an AWS SDK style provider function. Rejections become `CredentialsError` with
 * `provider: name`.
 */
export const makeFromProvider = (
  name: string,
  provider: Provider,
  options: CacheOptions = {}
): Effect.Effect<Service> =>
  makeCached(
    Effect.map(
      Effect.tryPromise({
        try: () => provider(),
        catch: (cause) => new CredentialsError({ provider: name, detail: describe(cause), cause })
      }),
      fromIdentity
    ),
    options
  )

const describe = (cause: unknown): string => cause instanceof Error ? cause.message : String(cause)

// =============================================================================
// Layers
// =============================================================================

/** Fixed credentials; never refreshed. */
export const layerStatic = (credentials: Credentials): Layer.Layer<AwsCredentials> =>
  Layer.succeed(
    AwsCredentials,
    peeks.register(AwsCredentials.of({ get: Effect.succeed(credentials) }), () => credentials)
  )

/** What `layerConfig` reads. */
export interface ConfigInput {
  readonly accessKeyId: string
  readonly secretAccessKey: Redacted.Redacted<string>
  readonly sessionToken: Option.Option<Redacted.Redacted<string>>
}

/** The standard variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN`. */
export const defaultConfig: Config.Config.Wrap<ConfigInput> = {
  accessKeyId: Config.string("AWS_ACCESS_KEY_ID"),
  secretAccessKey: Config.redacted("AWS_SECRET_ACCESS_KEY"),
  // An empty AWS_SESSION_TOKEN means "none", as in the AWS SDKs.
  sessionToken: optionalString("AWS_SESSION_TOKEN").pipe(Config.map(Option.map(Redacted.make)))
}

/**
 * Credentials read once through `Config` (by default the `AWS_*` environment variables); never refreshed.
 *
 * @example
 * ```ts
 * import { ConfigProvider, Layer } from "effect"
 * import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
 *
 * const TestCredentials = AwsCredentials.layerConfig().pipe(
 *   Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([
 *     ["AWS_ACCESS_KEY_ID", "AKID"], ["AWS_SECRET_ACCESS_KEY", "secret"]
 *   ]))))
 * )
 * ```
 */
export const layerConfig = (
  config: Config.Config.Wrap<ConfigInput> = defaultConfig
): Layer.Layer<AwsCredentials, ConfigError.ConfigError> =>
  Layer.effect(AwsCredentials, Effect.map(Config.unwrap(config), fromConfigInput))

const fromConfigInput = (input: ConfigInput): Service => {
  const credentials: Credentials = { ...input, expiration: Option.none() }
  return peeks.register(AwsCredentials.of({ get: Effect.succeed(credentials) }), () => credentials)
}

/** A cached provider function as a layer: the seam for fakes in tests and for custom AWS SDK providers. */
export const layerFromProvider = (
  name: string,
  provider: Provider,
  options: CacheOptions = {}
): Layer.Layer<AwsCredentials> => Layer.effect(AwsCredentials, makeFromProvider(name, provider, options))

/** Options of `layerChain`. */
export interface ChainOptions extends CacheOptions {
  /** The shared-config profile; default: `AWS_PROFILE` (read by the AWS SDK), then `default`. */
  readonly profile?: string | undefined
}

/**
 * The AWS SDK's own provider chain (profiles, SSO, web identity, process, ECS/IMDS): `defaultProvider` of
 * `@aws-sdk/credential-provider-node`, which `fromNodeProviderChain` of `@aws-sdk/credential-providers` wraps.
 * Imported lazily on the first `get`, so programs using static or environment credentials never load it.
 */
export const chainProvider = (options: ChainOptions = {}): Provider => {
  let chain: Promise<Provider> | undefined
  return () => {
    // `defaultProvider` is what `fromNodeProviderChain` of `@aws-sdk/credential-providers` wraps, without that
    // package's other providers (Cognito and the rest): the same chain, a smaller bundle.
    const loading = chain ??= import("@aws-sdk/credential-provider-node").then(({ defaultProvider }) =>
      defaultProvider(options.profile === undefined ? {} : { profile: options.profile })
    )
    // A failed import is tried again on the next call rather than remembered for ever.
    loading.catch(() => {
      if (chain === loading) chain = undefined
    })
    return loading.then((provider) => provider())
  }
}

/** The AWS SDK Node provider chain (see `chainProvider`), cached and refreshed ahead of expiry. */
export const layerChain = (options: ChainOptions = {}): Layer.Layer<AwsCredentials> =>
  layerFromProvider("chain", chainProvider(options), options)

/** Options of `layerDefault`. */
export interface DefaultOptions extends ChainOptions {
  /** Replaces the AWS SDK chain (tests inject fakes here). Default: `chainProvider`. */
  readonly chain?: ((options: ChainOptions) => Provider) | undefined
}

/**
 * What the CLI uses. A profile (option or `AWS_PROFILE`) selects the AWS SDK chain for that profile; otherwise
 * `AWS_ACCESS_KEY_ID` selects the environment (`layerConfig`); otherwise the chain. Whatever is chosen, a
 * failure is a `CredentialsError` saying what was tried; nothing falls back silently.
 */
export const layerDefault = (options: DefaultOptions = {}): Layer.Layer<AwsCredentials, CredentialsError> =>
  Layer.effect(AwsCredentials, makeDefault(options))

/** The service `layerDefault` provides. */
export const makeDefault = (options: DefaultOptions = {}): Effect.Effect<Service, CredentialsError> =>
  Effect.gen(function*() {
    const settings = yield* Config.all({
      accessKeyId: optionalString("AWS_ACCESS_KEY_ID"),
      profile: optionalString("AWS_PROFILE")
    }).pipe(Effect.mapError((error) => new CredentialsError({ provider: "environment", detail: String(error) })))
    const profile = Option.orElse(Option.fromNullable(options.profile), () => settings.profile)
    if (Option.isNone(profile) && Option.isSome(settings.accessKeyId)) {
      const env = yield* Config.unwrap(defaultConfig).pipe(
        Effect.mapError((error) =>
          new CredentialsError({
            provider: "environment",
            detail: `AWS_ACCESS_KEY_ID is set but the environment credentials are incomplete: ${error}`
          })
        )
      )
      return fromConfigInput(env)
    }
    const tried = Option.match(profile, {
      onNone: () => "environment (AWS_ACCESS_KEY_ID not set), then the AWS SDK chain for the default profile",
      onSome: (name) =>
        `the AWS SDK chain for profile "${name}" (environment keys are skipped when a profile is chosen)`
    })
    const chainOptions: ChainOptions = { profile: Option.getOrUndefined(profile), refreshBefore: options.refreshBefore }
    const provider = (options.chain ?? chainProvider)(chainOptions)
    const service = yield* makeFromProvider("chain", provider, options)
    return peeks.register(
      AwsCredentials.of({
        get: Effect.mapError(service.get, (error) =>
          new CredentialsError({
            provider: "default",
            detail: `no usable AWS credentials. Tried ${tried} (shared config and credentials files, SSO, ` +
              `web identity, credential_process, ECS/EC2 instance metadata): ${error.detail}`,
            cause: error.cause
          }))
      }),
      (now) => peeks.peek(service, now)
    )
  })
