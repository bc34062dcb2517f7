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
  /**
   * When a sent message's events come, after the send (`Clock` time; each at least as late as the one before):
   * `sent` (and `failed`) 1 s, `delivered` 2 s, `read` 4 s, the seeded customer's reply 6 s by default.
   */
  readonly eventDelays?: EventDelaysInput | undefined
  /** Deliveries the event feed keeps, the newest (default 1000). */
  readonly eventFeedSize?: number | undefined
}

/** `Options.eventDelays`: any of the four. */
export interface EventDelaysInput {
  readonly sent?: Duration.DurationInput | undefined
  readonly delivered?: Duration.DurationInput | undefined
  readonly read?: Duration.DurationInput | undefined
  readonly reply?: Duration.DurationInput | undefined
}

/** The event delays, resolved. */
export interface EventDelays {
  readonly sent: Duration.Duration
  readonly delivered: Duration.Duration
  readonly read: Duration.Duration
  readonly reply: Duration.Duration
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
  readonly eventDelays: EventDelays
  readonly eventFeedSize: number
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
  outboxSize: 1000,
  eventDelays: {
    sent: Duration.seconds(1),
    delivered: Duration.seconds(2),
    read: Duration.seconds(4),
    reply: Duration.seconds(6)
  },
  eventFeedSize: 1000
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
  outboxSize: Math.max(0, Math.floor(options.outboxSize ?? defaults.outboxSize)),
  eventDelays: {
    sent: delay(options.eventDelays?.sent, defaults.eventDelays.sent),
    delivered: delay(options.eventDelays?.delivered, defaults.eventDelays.delivered),
    read: delay(options.eventDelays?.read, defaults.eventDelays.read),
    reply: delay(options.eventDelays?.reply, defaults.eventDelays.reply)
  },
  eventFeedSize: Math.max(0, Math.floor(options.eventFeedSize ?? defaults.eventFeedSize))
})

const delay = (input: Duration.DurationInput | undefined, fallback: Duration.Duration): Duration.Duration =>
  input === undefined ? fallback : Duration.decode(input)
