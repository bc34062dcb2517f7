/**
 * Fault injection for the sandbox server, configured when the server starts (options or a JSON plan
 * file) and never by anything a client sends.
 *
 * Checked in this order before an operation runs: the operation's token bucket (429
 * ThrottledRequestException), then its scripted queue (each request takes the next fault), then its
 * seeded random failure rate. Keys are operation names or `"*"` (any operation without its own entry;
 * rate limits still count per operation).
 *
 * A plan in JSON:
 * ```json
 * {
 *   "seed": 42,
 *   "rateLimits": { "ListLinkedWhatsAppBusinessAccounts": { "rate": 10, "burst": 10 } },
 *   "scripted": {
 *     "GetLinkedWhatsAppBusinessAccount": [
 *       { "kind": "error", "errorType": "InternalServiceException" },
 *       { "kind": "html", "status": 502 },
 *       { "kind": "reset" },
 *       { "kind": "delay", "delayMillis": 2000 }
 *     ],
 *     "AssociateWhatsAppBusinessAccount": [
 *       { "kind": "resetAfterRead" },
 *       { "kind": "omitRequired", "paths": ["signupCallbackResult.linkedAccountsWithIncompleteSetup.*.accountName"] },
 *       { "kind": "nullMembers", "paths": ["signupCallbackResult.associateInProgressToken"] }
 *     ]
 *   },
 *   "random": { "*": { "probability": 0.05, "fault": { "kind": "error", "errorType": "ThrottledRequestException" } } }
 * }
 * ```
 * `"rateLimits": "aws"` applies AWS's documented quotas (`awsQuotas`: 1,000 requests per second for
 * SendWhatsAppMessage, 100 for the media operations, 10 for the list, disassociate and tag operations).
 *
 * Faults that stand for AWS having acted although the client cannot tell (for idempotency tests):
 * - `resetAfterRead`: the whole request is read and the operation runs (its effect on the sandbox's
 *   state stands, as AWS's would), then the connection is destroyed without an answer.
 * - `omitRequired` / `nullMembers`: the operation runs and answers 200 with its real output, minus the
 *   members at `paths` or with them set to JSON `null`. A path is member names joined by `.`
 *   (`account.phoneNumbers`); a list is crossed implicitly (`linkedAccounts.wabaName` edits every
 *   account), a number picks one element (`linkedAccounts.0.wabaName`), and `*` stands for every key of
 *   a map (`signupCallbackResult.linkedAccountsWithIncompleteSetup.*.wabaId`). A path that matches
 *   nothing is logged as a warning by the server and otherwise ignored.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"

// =============================================================================
// The plan
// =============================================================================

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** An operation name, or `"*"` for every operation without its own entry. */
export const OperationKey = Schema.Literal(...Operations.operationNames, "*").annotations({
  identifier: "OperationKey"
})
export type OperationKey = typeof OperationKey.Type

const Millis = Schema.Int.pipe(Schema.between(0, 600_000)).annotations({ identifier: "Millis" })
const Status = Schema.Int.pipe(Schema.between(100, 599)).annotations({ identifier: "HttpStatus" })

/**
 * Answer with an AWS-style error: `x-amzn-errortype: <errorType>`, body `{"message": …}`. The status
 * defaults to the error's own (ThrottledRequestException 429, InternalServiceException 500…; 500 for
 * names the model does not define).
 */
export const ErrorFault = Schema.Struct({
  kind: Schema.Literal("error"),
  errorType: Schema.NonEmptyString,
  status: optional(Status),
  message: optional(Schema.String),
  delayMillis: optional(Millis)
}).annotations({ identifier: "ErrorFault" })

/** Wait, then answer normally. */
export const DelayFault = Schema.Struct({
  kind: Schema.Literal("delay"),
  delayMillis: Millis
}).annotations({ identifier: "DelayFault" })

/** Destroy the connection without answering. */
export const ResetFault = Schema.Struct({
  kind: Schema.Literal("reset"),
  delayMillis: optional(Millis)
}).annotations({ identifier: "ResetFault" })

/** An HTML error page as a proxy or load balancer sends it (default 502), with no AWS headers. */
export const HtmlFault = Schema.Struct({
  kind: Schema.Literal("html"),
  status: optional(Status),
  delayMillis: optional(Millis)
}).annotations({ identifier: "HtmlFault" })

/** Run the operation (its effect on the sandbox's state stands), then destroy the connection unanswered. */
export const ResetAfterReadFault = Schema.Struct({
  kind: Schema.Literal("resetAfterRead"),
  delayMillis: optional(Millis)
}).annotations({ identifier: "ResetAfterReadFault" })

/** Member names joined by `.`; `*` for every key of a map, a number for one element of a list. */
export const MemberPath = Schema.String.pipe(Schema.pattern(/^[^.\s]+(\.[^.\s]+)*$/)).annotations({
  identifier: "MemberPath"
})

const paths = Schema.NonEmptyArray(MemberPath)

/** Answer 200 with the operation's real output, without the members at `paths`. */
export const OmitRequiredFault = Schema.Struct({
  kind: Schema.Literal("omitRequired"),
  paths,
  delayMillis: optional(Millis)
}).annotations({ identifier: "OmitRequiredFault" })

/** Answer 200 with the operation's real output, the members at `paths` set to JSON `null`. */
export const NullMembersFault = Schema.Struct({
  kind: Schema.Literal("nullMembers"),
  paths,
  delayMillis: optional(Millis)
}).annotations({ identifier: "NullMembersFault" })

/** One scripted fault. */
export const Fault = Schema.Union(
  ErrorFault,
  DelayFault,
  ResetFault,
  HtmlFault,
  ResetAfterReadFault,
  OmitRequiredFault,
  NullMembersFault
).annotations({ identifier: "Fault" })
export type Fault = typeof Fault.Type

/** A token bucket: `rate` requests per second on average, up to `burst` at once (default: rate rounded up). */
export const RateLimit = Schema.Struct({
  rate: Schema.Number.pipe(Schema.positive()),
  burst: optional(Schema.Int.pipe(Schema.positive()))
}).annotations({ identifier: "RateLimit" })
export type RateLimit = typeof RateLimit.Type

/** Fail a share of requests at random (seeded): `fault` defaults to a 500 InternalServiceException. */
export const RandomFailure = Schema.Struct({
  probability: Schema.Number.pipe(Schema.between(0, 1)),
  fault: optional(Fault)
}).annotations({ identifier: "RandomFailure" })
export type RandomFailure = typeof RandomFailure.Type

const byOperation = <S extends Schema.Schema.Any>(value: S) =>
  Schema.partialWith(Schema.Record({ key: OperationKey, value }), { exact: true })

/** The whole plan; every part is optional and off by default. */
export const FaultPlan = Schema.Struct({
  /** Seed of the random failures (default: drawn from the ambient `Random`). */
  seed: optional(Schema.Int),
  rateLimits: optional(Schema.Union(Schema.Literal("aws"), byOperation(RateLimit))),
  scripted: optional(byOperation(Schema.Array(Fault))),
  random: optional(byOperation(RandomFailure))
}).annotations({ identifier: "FaultPlan" })
export type FaultPlan = typeof FaultPlan.Type

/** No faults. */
export const none: FaultPlan = {}

/**
 * AWS's documented rate quotas (the AWS End User Messaging Social user guide, "Quotas"): 1,000 requests per
 * second for SendWhatsAppMessage, 100 for Post/Get/DeleteWhatsAppMessageMedia, 10 for the list, disassociate
 * and tag operations. The other operations have no documented quota.
 */
export const awsQuotas: { readonly [K in OperationKey]?: RateLimit } = {
  SendWhatsAppMessage: { rate: 1000, burst: 1000 },
  PostWhatsAppMessageMedia: { rate: 100, burst: 100 },
  GetWhatsAppMessageMedia: { rate: 100, burst: 100 },
  DeleteWhatsAppMessageMedia: { rate: 100, burst: 100 },
  ListLinkedWhatsAppBusinessAccounts: { rate: 10, burst: 10 },
  DisassociateWhatsAppBusinessAccount: { rate: 10, burst: 10 },
  TagResource: { rate: 10, burst: 10 },
  UntagResource: { rate: 10, burst: 10 },
  ListTagsForResource: { rate: 10, burst: 10 }
}

/** A plan could not be read or does not match `FaultPlan`. */
export class FaultPlanError extends Schema.TaggedError<FaultPlanError>()("FaultPlanError", {
  source: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `fault plan (${this.source}): ${this.detail}`
  }
}

const decodeOptions = { errors: "all", onExcessProperty: "error" } as const

/** Checks an untyped plan (e.g. options from a config file). */
export const decode = (input: unknown, source = "options"): Effect.Effect<FaultPlan, FaultPlanError> =>
  Schema.decodeUnknown(FaultPlan, decodeOptions)(input).pipe(
    Effect.mapError((error) => new FaultPlanError({ source, detail: ParseResult.TreeFormatter.formatErrorSync(error) }))
  )

/** Parses and checks a plan in JSON. */
export const decodeJson = (json: string, source = "json"): Effect.Effect<FaultPlan, FaultPlanError> =>
  Schema.decodeUnknown(Schema.parseJson(FaultPlan), decodeOptions)(json).pipe(
    Effect.mapError((error) => new FaultPlanError({ source, detail: ParseResult.TreeFormatter.formatErrorSync(error) }))
  )

/** Reads a JSON plan file. */
export const load = (path: string): Effect.Effect<FaultPlan, FaultPlanError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
    Effect.mapError((error) => new FaultPlanError({ source: path, detail: error.message })),
    Effect.flatMap((json) => decodeJson(json, path))
  )

// =============================================================================
// The injector
// =============================================================================

/** Which part of the plan produced a fault. */
export type Source = "throttle" | "scripted" | "random"

/**
 * What to answer instead of running the operation (`Error`, `Html`, `Reset`), or after running it
 * (`ResetAfterRead`: drop the connection; `EditMembers`: answer the output edited by `editMembers`).
 */
export type Injected =
  | {
    readonly _tag: "Error"
    readonly source: Source
    readonly status: number
    readonly errorType: string
    readonly message: string
  }
  | { readonly _tag: "Html"; readonly source: Source; readonly status: number }
  | { readonly _tag: "Reset"; readonly source: Source }
  | { readonly _tag: "ResetAfterRead"; readonly source: Source }
  | {
    readonly _tag: "EditMembers"
    readonly source: Source
    readonly edit: MemberEdit
    readonly paths: ReadonlyArray<string>
  }

// =============================================================================
// Editing an output (omitRequired, nullMembers)
// =============================================================================

/** What `editMembers` does to each member it finds. */
export type MemberEdit = "omit" | "null"

const editAt = (node: unknown, segments: ReadonlyArray<string>, edit: MemberEdit): number => {
  const [head, ...rest] = segments
  if (head === undefined) return 0
  if (Array.isArray(node)) {
    if (/^\d+$/.test(head)) {
      const index = Number(head)
      if (index >= node.length) return 0
      if (rest.length > 0) return editAt(node[index], rest, edit)
      if (edit === "omit") node.splice(index, 1)
      else node[index] = null
      return 1
    }
    // A list is crossed implicitly: the path goes on into every element (`*` says so explicitly).
    const inner = head === "*" ? rest : segments
    return node.reduce<number>((count, item) => count + editAt(item, inner, edit), 0)
  }
  if (!Predicate.isRecord(node)) return 0
  const keys = head === "*" ? Object.keys(node) : Object.prototype.hasOwnProperty.call(node, head) ? [head] : []
  let count = 0
  for (const key of keys) {
    if (rest.length > 0) {
      count += editAt(node[key], rest, edit)
    } else {
      if (edit === "omit") delete node[key]
      else node[key] = null
      count += 1
    }
  }
  return count
}

/**
 * An output in wire form (JSON) with the members at `paths` removed or set to `null` (paths as in the
 * module doc); `unmatched` lists the paths that found no member. The input is not changed.
 */
export const editMembers = (
  output: unknown,
  paths: ReadonlyArray<string>,
  edit: MemberEdit
): { readonly output: unknown; readonly unmatched: ReadonlyArray<string> } => {
  const copy = structuredClone(output)
  const unmatched = paths.filter((path) => editAt(copy, path.split("."), edit) === 0)
  return { output: copy, unmatched }
}

/** Decides, per request, whether to inject a fault. */
export interface Injector {
  /** Runs before an operation: a fault to apply, or `undefined` (after any scripted delay). */
  readonly before: (operation: Errors.OperationName) => Effect.Effect<Injected | undefined>
}

const statusOf = (errorType: string): number => {
  for (const [name, classification] of Object.entries(Errors.awsErrorClassifications)) {
    if (name === errorType) return classification.httpStatus ?? 500
  }
  return 500
}

const toInjected = (fault: Fault, source: Source): Effect.Effect<Injected | undefined> => {
  const delay = fault.delayMillis === undefined ? Effect.void : Effect.sleep(Duration.millis(fault.delayMillis))
  switch (fault.kind) {
    case "delay":
      return Effect.as(delay, undefined)
    case "reset":
      return Effect.as(delay, { _tag: "Reset", source })
    case "resetAfterRead":
      return Effect.as(delay, { _tag: "ResetAfterRead", source })
    case "omitRequired":
      return Effect.as(delay, { _tag: "EditMembers", source, edit: "omit", paths: fault.paths })
    case "nullMembers":
      return Effect.as(delay, { _tag: "EditMembers", source, edit: "null", paths: fault.paths })
    case "html":
      return Effect.as(delay, { _tag: "Html", source, status: fault.status ?? 502 })
    case "error":
      return Effect.as(delay, {
        _tag: "Error",
        source,
        status: fault.status ?? statusOf(fault.errorType),
        errorType: fault.errorType,
        message: fault.message ?? "Injected by the sandbox fault plan."
      })
  }
}

const throttled: Injected = {
  _tag: "Error",
  source: "throttle",
  status: 429,
  errorType: "ThrottledRequestException",
  message: "Rate exceeded"
}

const defaultRandomFault: Fault = { kind: "error", errorType: "InternalServiceException", message: "Internal failure" }

interface Bucket {
  readonly tokens: number
  readonly atMillis: number
}

/** An injector for a plan. Time comes from `Clock`; random failures from a `Random` seeded by the plan. */
export const make = (plan: FaultPlan): Effect.Effect<Injector> =>
  Effect.gen(function*() {
    const rng = Random.make(plan.seed ?? (yield* Random.nextInt))
    const rateLimits = plan.rateLimits === "aws" ? awsQuotas : plan.rateLimits ?? {}
    const queues = yield* Ref.make<ReadonlyMap<OperationKey, ReadonlyArray<Fault>>>(
      new Map(
        Object.entries(plan.scripted ?? {}).flatMap(([key, faults]) =>
          Schema.is(OperationKey)(key) ? [[key, faults] as const] : []
        )
      )
    )
    const buckets = yield* Ref.make<ReadonlyMap<string, Bucket>>(new Map())

    const throttle = (operation: Errors.OperationName): Effect.Effect<Injected | undefined> => {
      const limit = rateLimits[operation] ?? rateLimits["*"]
      if (limit === undefined) return Effect.succeed(undefined)
      const burst = limit.burst ?? Math.max(1, Math.ceil(limit.rate))
      return Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(buckets, (all): readonly [Injected | undefined, ReadonlyMap<string, Bucket>] => {
          const bucket = all.get(operation) ?? { tokens: burst, atMillis: now }
          const tokens = Math.min(burst, bucket.tokens + (now - bucket.atMillis) / 1000 * limit.rate)
          const next = new Map(all)
          if (tokens >= 1) {
            next.set(operation, { tokens: tokens - 1, atMillis: now })
            return [undefined, next]
          }
          next.set(operation, { tokens, atMillis: now })
          return [
            throttled,
            next
          ]
        }))
    }

    const scripted = (operation: Errors.OperationName): Effect.Effect<Fault | undefined> =>
      Ref.modify(queues, (all): readonly [Fault | undefined, ReadonlyMap<OperationKey, ReadonlyArray<Fault>>] => {
        const key: OperationKey | undefined = (all.get(operation)?.length ?? 0) > 0
          ? operation
          : (all.get("*")?.length ?? 0) > 0
          ? "*"
          : undefined
        const queue = key === undefined ? undefined : all.get(key)
        if (key === undefined || queue === undefined) {
          return [undefined, all]
        }
        const next = new Map(all)
        next.set(key, queue.slice(1))
        return [queue[0], next]
      })

    const random = (operation: Errors.OperationName): Effect.Effect<Injected | undefined> => {
      const failure = plan.random?.[operation] ?? plan.random?.["*"]
      if (failure === undefined || failure.probability === 0) {
        return Effect.succeed(undefined)
      }
      return Effect.flatMap(rng.next, (draw) =>
        draw < failure.probability
          ? toInjected(failure.fault ?? defaultRandomFault, "random")
          : Effect.succeed(undefined))
    }

    return {
      before: (operation) =>
        Effect.gen(function*() {
          const throttled = yield* throttle(operation)
          if (throttled !== undefined) {
            return throttled
          }
          const fault = yield* scripted(operation)
          if (fault !== undefined) {
            const injected = yield* toInjected(fault, "scripted")
            if (injected !== undefined) {
              return injected
            }
          }
          return yield* random(operation)
        })
    }
  })
