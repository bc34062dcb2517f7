/**
 * Region resolution, in the AWS CLI's order: the explicit option, then `AWS_REGION`, then `AWS_DEFAULT_REGION`
 * (both through `Config`), then the `region` of the selected profile in the shared config files.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as AwsRegion from "@social-messaging/http-client/AwsRegion"
 *
 * const region = AwsRegion.resolve({ profile: "work" }) // Effect<string, ConfigurationError>
 * ```
 */
import { loadSharedConfigFiles } from "@smithy/shared-ini-file-loader"
import { ConfigurationError } from "@social-messaging/domain/Errors"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { optionalString } from "./internal/config.js"

/** Options of `resolve`. Every field is optional; unset fields fall back to `Config`, then to AWS defaults. */
export interface Options {
  /** An explicit region (e.g. `--region`); wins over everything else. */
  readonly region?: string | undefined
  /** The shared-config profile; default: `AWS_PROFILE`, then `default`. */
  readonly profile?: string | undefined
  /** Path of the shared config file; default: `AWS_CONFIG_FILE`, then `~/.aws/config`. */
  readonly configFile?: string | undefined
  /** Path of the shared credentials file; default: `AWS_SHARED_CREDENTIALS_FILE`, then `~/.aws/credentials`. */
  readonly credentialsFile?: string | undefined
}

const nonBlank = (value: string | undefined): Option.Option<string> =>
  Option.filter(Option.fromNullable(value?.trim()), (trimmed) => trimmed !== "")

const settings = Config.all({
  region: optionalString("AWS_REGION"),
  defaultRegion: optionalString("AWS_DEFAULT_REGION"),
  profile: optionalString("AWS_PROFILE"),
  configFile: optionalString("AWS_CONFIG_FILE"),
  credentialsFile: optionalString("AWS_SHARED_CREDENTIALS_FILE")
})

/**
 * Reads the profile's `region` from the shared config and credentials files (the config file wins, as in the
 * AWS SDK). Missing or unreadable files count as empty. Paths starting with `~/` are expanded by the loader.
 */
export const fromProfile = (options: {
  readonly profile: string
  readonly configFile: string
  readonly credentialsFile: string
}): Effect.Effect<Option.Option<string>, ConfigurationError> =>
  Effect.tryPromise({
    // ignoreCache: the loader memoizes file contents per path for the process lifetime otherwise.
    try: () =>
      loadSharedConfigFiles({
        configFilepath: options.configFile,
        filepath: options.credentialsFile,
        ignoreCache: true
      }),
    catch: (cause) =>
      new ConfigurationError({
        setting: "region",
        detail: `cannot read the shared AWS config files: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  }).pipe(
    Effect.map(({ configFile, credentialsFile }) =>
      Option.orElse(
        nonBlank(configFile[options.profile]?.["region"]),
        () => nonBlank(credentialsFile[options.profile]?.["region"])
      )
    )
  )

/**
 * The region to use. Fails with `ConfigurationError({ setting: "region" })` when none is configured.
 *
 * @example
 * ```ts
 * import * as AwsRegion from "@social-messaging/http-client/AwsRegion"
 *
 * const explicit = AwsRegion.resolve({ region: "eu-west-1" })
 * ```
 */
export const resolve = (options: Options = {}): Effect.Effect<string, ConfigurationError> =>
  Effect.gen(function*() {
    const explicit = nonBlank(options.region)
    if (Option.isSome(explicit)) return explicit.value
    const env = yield* Effect.mapError(
      settings,
      (error) => new ConfigurationError({ setting: "region", detail: `cannot read the configuration: ${error}` })
    )
    const fromEnv = Option.orElse(env.region, () => env.defaultRegion)
    if (Option.isSome(fromEnv)) return fromEnv.value
    const profile = Option.getOrElse(Option.orElse(nonBlank(options.profile), () => env.profile), () => "default")
    const fromFiles = yield* fromProfile({
      profile,
      configFile: Option.getOrElse(
        Option.orElse(nonBlank(options.configFile), () => env.configFile),
        () => "~/.aws/config"
      ),
      credentialsFile: Option.getOrElse(
        Option.orElse(nonBlank(options.credentialsFile), () => env.credentialsFile),
        () => "~/.aws/credentials"
      )
    })
    return yield* Option.match(fromFiles, {
      onSome: Effect.succeed,
      onNone: () =>
        Effect.fail(
          new ConfigurationError({
            setting: "region",
            detail: `no region: set --region, AWS_REGION or a profile region (profile "${profile}" has none)`
          })
        )
    })
  })
