import type { AssociateWhatsAppBusinessAccountCommandInput } from "@aws-sdk/client-socialmessaging"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * What every client sends and what the loopback server answers: one realistic request and answer per
 * benchmarked operation, in wire form (JSON), shared by all clients so they do the same work.
 */

/** Region and fake credentials (the loopback server does not verify signatures, only that one is present). */
export const region = "us-east-1"
export const credentials = {
  accessKeyId: "AKIDEXAMPLEBENCH0001",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
} as const

/** The id asked for by GetLinkedWhatsAppBusinessAccount. */
export const linkedAccountId = "waba-0123456789abcdef0123456789abcdef"

const eventDestination = {
  eventDestinationArn: "arn:aws:sns:us-east-1:123456789012:whatsapp-events",
  roleArn: "arn:aws:iam::123456789012:role/whatsapp-events"
}

/** AssociateWhatsAppBusinessAccount, step 2 (setup finalization), in wire form. */
export const associateWire = {
  setupFinalization: {
    associateInProgressToken: "aip-0123456789abcdef0123456789",
    phoneNumbers: [
      { id: "111222333444555", twoFactorPin: "123456", dataLocalizationRegion: "US" }
    ],
    waba: {
      id: "987654321098765",
      eventDestinations: [eventDestination],
      tags: [{ key: "team", value: "messaging" }, { key: "env", value: "bench" }]
    }
  }
} as const

const phoneNumber = (n: number) => ({
  arn: `arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/0123456789abcdef0123456789abcde${n}`,
  phoneNumber: `+1555555010${n}`,
  phoneNumberId: `phone-number-id-0123456789abcdef0123456789abcde${n}`,
  metaPhoneNumberId: `11122233344455${n}`,
  displayPhoneNumberName: `Bench line ${n}`,
  displayPhoneNumber: `+1 555-555-010${n}`,
  qualityRating: "GREEN"
})

/** The answers, by request path (JSON text, as AWS sends it). */
export const responses: Readonly<Record<string, string>> = {
  "/v1/whatsapp/waba/details": JSON.stringify({
    account: {
      arn: "arn:aws:social-messaging:us-east-1:123456789012:waba/0123456789abcdef0123456789abcdef",
      id: linkedAccountId,
      wabaId: "987654321098765",
      registrationStatus: "COMPLETE",
      linkDate: 1718000000.25,
      wabaName: "Bench WABA",
      eventDestinations: [eventDestination],
      phoneNumbers: [phoneNumber(0), phoneNumber(1)]
    }
  }),
  "/v1/whatsapp/signup": JSON.stringify({ statusCode: 200, linkedWhatsAppBusinessAccountId: linkedAccountId })
}

/** The operations benchmarked, as the workers name them. */
export const operations = ["get", "associate"] as const
export const OperationKey = Schema.Literal(...operations)
export type OperationKey = typeof OperationKey.Type

/** A request signed once, ahead of time: what the raw floors send over and over. */
export const PresignedRequest = Schema.Struct({
  method: Schema.String,
  /** Path and query string. */
  path: Schema.String,
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  body: Schema.optional(Schema.String)
})
export type PresignedRequest = typeof PresignedRequest.Type

/** One measured block: an operation at a concurrency. */
export const Scenario = Schema.Struct({ op: OperationKey, concurrency: Schema.Int })
export type Scenario = typeof Scenario.Type

/** What the orchestrator hands a worker (JSON in `BENCH_CONFIG`), decoded by the worker. */
export const WorkerConfig = Schema.Struct({
  /** `http://127.0.0.1:PORT` */
  endpoint: Schema.String,
  requests: Schema.Int,
  warmup: Schema.Int,
  scenarios: Schema.Array(Scenario),
  presigned: Schema.Struct({ get: PresignedRequest, associate: PresignedRequest })
})
export type WorkerConfig = typeof WorkerConfig.Type

/** What a worker reports for one scenario. */
export const ScenarioResult = Schema.Struct({
  ...Scenario.fields,
  requests: Schema.Number,
  elapsedMs: Schema.Number,
  /** User + system CPU of the worker process over the measured block, in microseconds. */
  cpuMicros: Schema.Number,
  p50Ms: Schema.Number,
  p99Ms: Schema.Number
})
export type ScenarioResult = typeof ScenarioResult.Type

/** What a worker prints (one JSON line on stdout), decoded by the orchestrator. */
export const WorkerReport = Schema.Struct({
  client: Schema.String,
  results: Schema.Array(ScenarioResult),
  /** Peak resident set size of the worker process, in KiB (`process.resourceUsage().maxRSS`). */
  maxRssKiB: Schema.Number
})
export type WorkerReport = typeof WorkerReport.Type

/** The first line a loopback server prints: its port. */
export const ServerReady = Schema.parseJson(Schema.Struct({ port: Schema.Int }))

/** `associateWire` as the AWS SDK's input type (mutable arrays), built member by member: no cast. */
export const associateSdkInput = (): AssociateWhatsAppBusinessAccountCommandInput => {
  const { associateInProgressToken, phoneNumbers, waba } = associateWire.setupFinalization
  return {
    setupFinalization: {
      associateInProgressToken,
      phoneNumbers: phoneNumbers.map((number) => ({ ...number })),
      waba: {
        id: waba.id,
        eventDestinations: waba.eventDestinations.map((destination) => ({ ...destination })),
        tags: waba.tags.map((tag) => ({ ...tag }))
      }
    }
  }
}

/** Whether a client's answer is the canned one (both clients' outputs have the API's member names). */
export const isExpectedAnswer = (op: OperationKey, result: unknown): boolean =>
  op === "get"
    ? Predicate.hasProperty(result, "account") && Predicate.hasProperty(result.account, "phoneNumbers") &&
      Array.isArray(result.account.phoneNumbers) && result.account.phoneNumbers.length === 2
    : Predicate.hasProperty(result, "statusCode") && result.statusCode === 200
