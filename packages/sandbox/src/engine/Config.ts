/**
 * The engine's options and their defaults.
 */
import * as Duration from "effect/Duration"
import * as Fixtures from "../Fixtures.js"

/** How to configure an engine; every field has a default. */
export interface Options {
  /** AWS region in ARNs and for the WABA quota (default `us-east-1`). */
  readonly region?: string | undefined
  /** AWS account id in ARNs (default `123456789012`). */
  readonly accountId?: string | undefined
  /** Lifetime of an `associateInProgressToken` (default 15 minutes of `Clock` time). */
  readonly tokenTtl?: Duration.DurationInput | undefined
  /** Linked WABAs allowed in the region (AWS's quota: 25). */
  readonly wabaLimit?: number | undefined
  /** Page size of the list operations without `maxResults` (default 25). */
  readonly defaultPageSize?: number | undefined
  /** Meta's side: the access tokens recognised (default `Fixtures.defaultFixtures`). */
  readonly fixtures?: ReadonlyArray<Fixtures.MetaTokenFixture> | undefined
  /** How long Meta's review of a new or edited template takes (default 30 seconds of `Clock` time). */
  readonly templateReviewDelay?: Duration.DurationInput | undefined
  /** The objects the S3 stand-in starts with (default `Fixtures.defaultObjects`). */
  readonly objects?: ReadonlyArray<Fixtures.S3ObjectFixture> | undefined
  /** Messages kept per phone number in the outbox, the newest (default 1000). */
  readonly outboxSize?: number | undefined
}

/** Options with every default filled in. */
export interface Config {
  readonly region: string
  readonly accountId: string
  readonly tokenTtl: Duration.Duration
  readonly wabaLimit: number
  readonly defaultPageSize: number
  readonly fixtures: ReadonlyArray<Fixtures.MetaTokenFixture>
  readonly templateReviewDelay: Duration.Duration
  readonly objects: ReadonlyArray<Fixtures.S3ObjectFixture>
  readonly outboxSize: number
}

/** The defaults. */
export const defaults: Config = {
  region: "us-east-1",
  accountId: "123456789012",
  tokenTtl: Duration.minutes(15),
  wabaLimit: 25,
  defaultPageSize: 25,
  fixtures: Fixtures.defaultFixtures,
  templateReviewDelay: Duration.seconds(30),
  objects: Fixtures.defaultObjects,
  outboxSize: 1000
}

/** Fills in the defaults. */
export const resolve = (options: Options = {}): Config => ({
  region: options.region ?? defaults.region,
  accountId: options.accountId ?? defaults.accountId,
  tokenTtl: options.tokenTtl === undefined ? defaults.tokenTtl : Duration.decode(options.tokenTtl),
  wabaLimit: options.wabaLimit ?? defaults.wabaLimit,
  defaultPageSize: options.defaultPageSize ?? defaults.defaultPageSize,
  fixtures: options.fixtures ?? defaults.fixtures,
  templateReviewDelay: options.templateReviewDelay === undefined
    ? defaults.templateReviewDelay
    : Duration.decode(options.templateReviewDelay),
  objects: options.objects ?? defaults.objects,
  outboxSize: Math.max(0, Math.floor(options.outboxSize ?? defaults.outboxSize))
})
