import type { AssociateWhatsAppBusinessAccountCommandInput } from "@aws-sdk/client-socialmessaging"

// No effect import here or in harness.ts: the SDK and raw-floor workers load only what they measure.

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
export type OperationKey = (typeof operations)[number]

/** A request signed once, ahead of time: what the raw floors send over and over. */
export interface PresignedRequest {
  readonly method: string
  /** Path and query string. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | undefined
}

/** One measured block: an operation at a concurrency. */
export interface Scenario {
  readonly op: OperationKey
  readonly concurrency: number
}

/** What the orchestrator hands a worker (JSON in `BENCH_CONFIG`). */
export interface WorkerConfig {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string
  readonly requests: number
  readonly warmup: number
  readonly scenarios: ReadonlyArray<Scenario>
  readonly presigned: Readonly<Record<OperationKey, PresignedRequest>>
}

/** What a worker reports for one scenario. */
export interface ScenarioResult extends Scenario {
  readonly requests: number
  readonly elapsedMs: number
  /** User + system CPU of the worker process over the measured block, in microseconds. */
  readonly cpuMicros: number
  /**
   * CPU of the worker's main thread alone (JavaScript, the event loop; not V8's GC helper threads), in
   * microseconds, from `/proc/self/task/<pid>/stat` (10 ms ticks); absent where there is no `/proc`.
   */
  readonly mainThreadCpuMicros?: number | undefined
  /** Time the event loop sat idle (waiting for I/O or timers) over the measured block, in ms. */
  readonly loopIdleMs: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** GC pauses of the main thread over the measured block (`PerformanceObserver`, entry type `gc`). */
  readonly gcPauses?: number | undefined
  /** Their total duration, in ms. */
  readonly gcPauseMs?: number | undefined
  /** The share (0–1) of the calls at or above the p99 during which a GC pause ran. */
  readonly tailWithGc?: number | undefined
}

/** What a worker prints (one JSON line on stdout). */
export interface WorkerReport {
  readonly client: string
  readonly results: ReadonlyArray<ScenarioResult>
  /** Peak resident set size of the worker process, in KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKiB: number
}

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
export const isExpectedAnswer = (op: OperationKey, result: unknown): boolean => {
  if (typeof result !== "object" || result === null) return false
  if (op === "associate") return "statusCode" in result && result.statusCode === 200
  const account = "account" in result ? result.account : undefined
  return typeof account === "object" && account !== null && "phoneNumbers" in account &&
    Array.isArray(account.phoneNumbers) && account.phoneNumbers.length === 2
}
