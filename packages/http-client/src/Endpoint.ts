/**
 * Endpoint resolution with AWS's own rules engine: the service's endpoint rule set evaluated by
 * `@smithy/util-endpoints`, with the AWS partition functions of `@aws-sdk/util-endpoints` (as the AWS SDK
 * clients do). A custom endpoint comes from the option, then `AWS_ENDPOINT_URL_SOCIALMESSAGING`, then
 * `AWS_ENDPOINT_URL` (through `Config`).
 *
 * @example
 * ```ts
 * import * as Endpoint from "@social-messaging/http-client/Endpoint"
 *
 * const url = Endpoint.resolve({ region: "us-east-1" }) // https://social-messaging.us-east-1.amazonaws.com
 * ```
 */
import { awsEndpointFunctions } from "@aws-sdk/util-endpoints"
import { customEndpointFunctions, resolveEndpoint } from "@smithy/util-endpoints"
import { ConfigurationError } from "@social-messaging/domain/Errors"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { ruleSet } from "./generated/EndpointRuleSet.js"
import { optionalString } from "./internal/config.js"

/** The rule set's parameters, under their rule-set names. */
export interface Params {
  readonly Region?: string | undefined
  readonly UseFIPS?: boolean | undefined
  readonly UseDualStack?: boolean | undefined
  readonly Endpoint?: string | undefined
}

/**
 * Evaluates the rule set. Errors the rules define (FIPS with a custom endpoint, a missing region, a partition
 * without FIPS or dual-stack), and unusable custom URLs, become `ConfigurationError({ setting: "endpoint" })`.
 */
export const evaluate = (params: Params): Either.Either<URL, ConfigurationError> => {
  // `@aws-sdk/core` registers the partition functions as an import side effect (as the SDK clients do);
  // registering here too keeps this working where a bundler drops that side effect (`sideEffects: false`).
  // Imported from the same module as `resolveEndpoint`, so both see the same registry.
  customEndpointFunctions["aws"] ??= awsEndpointFunctions
  const endpointParams: Record<string, string | boolean> = {}
  if (params.Region !== undefined) endpointParams["Region"] = params.Region
  if (params.UseFIPS !== undefined) endpointParams["UseFIPS"] = params.UseFIPS
  if (params.UseDualStack !== undefined) endpointParams["UseDualStack"] = params.UseDualStack
  if (params.Endpoint !== undefined) endpointParams["Endpoint"] = params.Endpoint
  // Checked here: the rules engine would print the URL parser's stack trace to stderr before failing.
  if (params.Endpoint !== undefined && !URL.canParse(params.Endpoint)) {
    return Either.left(
      new ConfigurationError({ setting: "endpoint", detail: `not a valid URL: ${JSON.stringify(params.Endpoint)}` })
    )
  }
  return Either.try({
    try: () => resolveEndpoint(ruleSet, { endpointParams }).url,
    catch: (cause) =>
      new ConfigurationError({
        setting: "endpoint",
        detail: cause instanceof Error ? cause.message : String(cause)
      })
  })
}

/** Options of `resolve`. Unset fields fall back to `Config`, then to the rule set's defaults. */
export interface Options {
  readonly region?: string | undefined
  /** A custom endpoint URL (e.g. `--endpoint-url`); wins over the environment. */
  readonly endpoint?: string | URL | undefined
  /** FIPS endpoints; default: `AWS_USE_FIPS_ENDPOINT`, then `false`. */
  readonly useFips?: boolean | undefined
  /** Dual-stack endpoints; default: `AWS_USE_DUALSTACK_ENDPOINT`, then `false`. */
  readonly useDualStack?: boolean | undefined
}

const settings = Config.all({
  // The AWS SDK's name (`AWS_ENDPOINT_URL_` + sdkId "SocialMessaging" upper-cased), then a hyphenated alias.
  serviceEndpoint: Config.all([
    optionalString("AWS_ENDPOINT_URL_SOCIALMESSAGING"),
    optionalString("AWS_ENDPOINT_URL_SOCIAL_MESSAGING")
  ]).pipe(Config.map(([sdk, alias]) => Option.orElse(sdk, () => alias))),
  globalEndpoint: optionalString("AWS_ENDPOINT_URL"),
  ignoreConfigured: Config.withDefault(Config.boolean("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), false),
  useFips: Config.option(Config.boolean("AWS_USE_FIPS_ENDPOINT")),
  useDualStack: Config.option(Config.boolean("AWS_USE_DUALSTACK_ENDPOINT"))
})

/**
 * The endpoint URL for the given settings.
 *
 * @example
 * ```ts
 * import * as Endpoint from "@social-messaging/http-client/Endpoint"
 *
 * const local = Endpoint.resolve({ endpoint: "http://127.0.0.1:4566" })
 * ```
 */
export const resolve = (options: Options = {}): Effect.Effect<URL, ConfigurationError> =>
  Effect.gen(function*() {
    const env = yield* Effect.mapError(
      settings,
      (error) => new ConfigurationError({ setting: "endpoint", detail: `cannot read the configuration: ${error}` })
    )
    const endpoint = Option.orElse(
      Option.map(Option.fromNullable(options.endpoint), String),
      () => env.ignoreConfigured ? Option.none() : Option.orElse(env.serviceEndpoint, () => env.globalEndpoint)
    )
    return yield* evaluate({
      Region: options.region,
      UseFIPS: options.useFips ?? Option.getOrUndefined(env.useFips),
      UseDualStack: options.useDualStack ?? Option.getOrUndefined(env.useDualStack),
      Endpoint: Option.getOrUndefined(endpoint)
    })
  })
