/**
 * The engine's state, the context every area of the engine works in, and the lookups they share
 * (linked WABAs and numbers, Meta's availability, pages, errors).
 */
import * as Errors from "@social-messaging/domain/Errors"
import type * as Shapes from "@social-messaging/domain/generated/Shapes"
import type * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppMessage from "@social-messaging/domain/WhatsAppMessage"
import type * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as SynchronizedRef from "effect/SynchronizedRef"
import type * as Fixtures from "../Fixtures.js"
import type { Config } from "./Config.js"
import type * as Events from "./Events.js"

// =============================================================================
// Operation types
// =============================================================================

/** The typed input of operation `K`. */
export type Input<K extends Operations.OperationName> = Schema.Schema.Type<(typeof Operations.operations)[K]["input"]>

/** The typed output of operation `K`. */
export type Output<K extends Operations.OperationName> = Schema.Schema.Type<
  (typeof Operations.operations)[K]["output"]
>

/** The AWS errors operation `K` declares. */
export type Failure<K extends Operations.OperationName> = Errors.AwsErrorOf<Errors.DeclaredErrorName<K>>

/** Operation `K` over typed values, failing only with its declared errors. */
export type Method<K extends Operations.OperationName> = (input: Input<K>) => Effect.Effect<Output<K>, Failure<K>>

/** The methods of operations `K`, named as the operations in camelCase. */
export type Methods<K extends Operations.OperationName> = { readonly [N in K as Uncapitalize<N>]: Method<N> }

// =============================================================================
// State
// =============================================================================

/** A sign-up in progress: what step 1 granted, until `expiresAtMillis`. */
export interface Session {
  readonly expiresAtMillis: number
  readonly wabas: ReadonlyArray<Fixtures.MetaWaba>
}

/** The AWS identity of a Meta phone number, allocated the first time a sign-up shows it. */
export interface PhoneNumberIdentity {
  readonly phoneNumberId: Shapes.WhatsAppPhoneNumberId
  readonly arn: Shapes.LinkedWhatsAppPhoneNumberArn
}

/** What Meta answers for a linked WABA (tests switch it with `Service.setMetaStatus`). */
export type MetaStatus = "available" | "accessRevoked" | "unavailable"

/** A WABA linked to the account. */
export interface LinkedWaba {
  readonly id: Shapes.LinkedWhatsAppBusinessAccountId
  readonly arn: Shapes.LinkedWhatsAppBusinessAccountArn
  /** Meta's WABA id. */
  readonly wabaId: Shapes.WhatsAppBusinessAccountId
  readonly wabaName: string
  readonly linkDate: DateTime.Utc
  /** Position in link order (what `nextToken` points past). */
  readonly sequence: number
  readonly eventDestinations: Shapes.WhatsAppBusinessAccountEventDestinations
  readonly phoneNumbers: ReadonlyArray<Shapes.WhatsAppPhoneNumberSummary>
  /** Set by CreateWhatsAppDataset. */
  readonly datasetId: Shapes.WhatsAppDatasetId | undefined
  readonly metaStatus: MetaStatus
}

/** A message template of a linked WABA. */
export interface Template {
  readonly waba: Shapes.LinkedWhatsAppBusinessAccountId
  readonly metaTemplateId: Shapes.MetaTemplateId
  readonly name: string
  readonly language: string
  readonly category: string
  /** `APPROVED`, `REJECTED`, `PAUSED`, or `PENDING` until `reviewedAtMillis`. */
  readonly status: string
  /** When a `PENDING` template's review ends (`Clock` time); its outcome is `outcome`. */
  readonly reviewedAtMillis: number | undefined
  readonly outcome: "APPROVED" | "REJECTED"
  readonly rejectedReason: string | undefined
  readonly parameterFormat: string
  /** Meta's `components` array. */
  readonly components: ReadonlyArray<unknown>
  readonly ctaUrlLinkTrackingOptedOut: boolean
  /** When an approved template was last edited (Meta allows one edit per 24 hours). */
  readonly editedAtMillis: number | undefined
  readonly sequence: number
}

/** A WhatsApp Flow of a linked WABA. */
export interface Flow {
  readonly waba: Shapes.LinkedWhatsAppBusinessAccountId
  readonly flowId: Shapes.MetaFlowId
  readonly name: string
  readonly categories: ReadonlyArray<Shapes.MetaFlowCategory>
  /** `DRAFT`, `PUBLISHED` or `DEPRECATED`. */
  readonly status: "DRAFT" | "PUBLISHED" | "DEPRECATED"
  readonly flowJson: Uint8Array | undefined
  readonly validationErrors: ReadonlyArray<string>
  readonly jsonVersion: string | undefined
  readonly dataApiVersion: string | undefined
  readonly endpointUri: string | undefined
  readonly metaAppId: string | undefined
  readonly preview: { readonly token: string; readonly expiresAtMillis: number } | undefined
  readonly sequence: number
}

/** A media file uploaded to Meta for one phone number. */
export interface Media {
  readonly mediaId: Shapes.WhatsAppMediaId
  readonly phoneNumberId: Shapes.WhatsAppPhoneNumberId
  readonly mimeType: string
  readonly bytes: Uint8Array
  readonly uploadedAtMillis: number
}

/** A template header sample uploaded through CreateWhatsAppMessageTemplateMedia. */
export interface HeaderHandle {
  readonly waba: Shapes.LinkedWhatsAppBusinessAccountId
  readonly handle: string
  readonly mimeType: string
  readonly size: number
}

/** An object of the S3 stand-in. */
export interface StoredObject {
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** One message SendWhatsAppMessage accepted. */
export interface SentMessage {
  /** What SendWhatsAppMessage answered. */
  readonly messageId: string
  /** Meta's id of the message (`wamid.…`), as events would carry it. */
  readonly metaMessageId: string
  readonly originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId
  /** The recipient (`to`); absent for a mark-as-read. */
  readonly to: string | undefined
  /** The message `type`, or `read` for a mark-as-read. */
  readonly type: string
  readonly metaApiVersion: string
  /** The message JSON as sent. */
  readonly message: unknown
  readonly sentAtMillis: number
}

/** A conversion event SendWhatsAppConversionEvent accepted. */
export interface ConversionEvent {
  readonly requestId: string
  readonly waba: Shapes.LinkedWhatsAppBusinessAccountId
  readonly datasetId: Shapes.WhatsAppDatasetId
  readonly event: unknown
  readonly receivedAtMillis: number
}

/** A business public key of a phone number. */
export interface BusinessPublicKey {
  readonly pem: string
  readonly kmsKeyArn: string | undefined
}

/** A call the business started (SendWhatsAppCallEvent `connect`). */
export interface Call {
  readonly callId: string
  readonly originationPhoneNumberId: Shapes.WhatsAppPhoneNumberId
  readonly to: string
  readonly status: "RINGING" | "ACCEPTED" | "TERMINATED"
  readonly events: ReadonlyArray<string>
}

/** Everything the engine knows; read it with `Service.state`. */
export interface State {
  /** Sign-ups in progress, by `associateInProgressToken`. */
  readonly sessions: ReadonlyMap<string, Session>
  /** Linked WABAs, in link order. */
  readonly linked: ReadonlyArray<LinkedWaba>
  /** Ids and ARNs of every WABA ever linked (disassociate stays idempotent). */
  readonly everLinked: ReadonlySet<string>
  /** AWS identities of Meta phone numbers, by Meta phone number id. */
  readonly phoneNumbers: ReadonlyMap<string, PhoneNumberIdentity>
  /** Tags by resource ARN. */
  readonly tags: ReadonlyMap<string, ReadonlyArray<Shapes.Tag>>
  /** Message templates of the linked WABAs, in creation order. */
  readonly templates: ReadonlyArray<Template>
  /** Flows of the linked WABAs, in creation order. */
  readonly flows: ReadonlyArray<Flow>
  /** Uploaded media, by media id. */
  readonly media: ReadonlyMap<string, Media>
  /** Template header samples, by handle. */
  readonly headerHandles: ReadonlyMap<string, HeaderHandle>
  /** Ids deleted before (templates, flows, media): deleting them again succeeds, as idempotent calls must. */
  readonly deleted: ReadonlySet<string>
  /** The S3 stand-in, by `bucket/key`. */
  readonly objects: ReadonlyMap<string, StoredObject>
  /** Messages sent, per origination phone number id, oldest first (the newest `outboxSize`). */
  readonly outbox: ReadonlyMap<string, ReadonlyArray<SentMessage>>
  /** Conversion events received (the newest `outboxSize`). */
  readonly conversionEvents: ReadonlyArray<ConversionEvent>
  /** Business public keys, by phone number id. */
  readonly publicKeys: ReadonlyMap<string, BusinessPublicKey>
  /** Calling settings, by phone number id. */
  readonly callSettings: ReadonlyMap<string, Shapes.WhatsAppCallSettings>
  /** Calls, by call id. */
  readonly calls: ReadonlyMap<string, Call>
  readonly nextSequence: number
}

/** The objects of the S3 stand-in by `bucket/key`. */
export const objectsOf = (fixtures: ReadonlyArray<Fixtures.S3ObjectFixture>): ReadonlyMap<string, StoredObject> =>
  new Map(fixtures.map((o) => [objectKey(o.bucket, o.key), { contentType: o.contentType, bytes: o.bytes }]))

/** An engine's first state. */
export const initialState = (config: Config): State => ({
  sessions: new Map(),
  linked: [],
  everLinked: new Set(),
  phoneNumbers: new Map(),
  tags: new Map(),
  templates: [],
  flows: [],
  media: new Map(),
  headerHandles: new Map(),
  deleted: new Set(),
  objects: objectsOf(config.objects),
  outbox: new Map(),
  conversionEvents: [],
  publicKeys: new Map(),
  callSettings: new Map(),
  calls: new Map(),
  nextSequence: 1
})

/** What each area of the engine works with. */
export interface Context {
  readonly config: Config
  readonly ref: SynchronizedRef.SynchronizedRef<State>
  /** Salt of this engine's `nextToken`s. */
  readonly salt: string
  /** `arn:aws:social-messaging:<region>:<account>`. */
  readonly arnPrefix: string
  /** Where the events of sends go (`Events.ts`). */
  readonly feed: Events.Feed
}

// =============================================================================
// Errors
// =============================================================================

/** InvalidParametersException with `message`. */
export const invalid = (message: string) => new Errors.InvalidParametersException({ message })

/** ResourceNotFoundException with `message`. */
export const notFound = (message: string) => new Errors.ResourceNotFoundException({ message })

/** ValidationException with `message`. */
export const validation = (message: string) => new Errors.ValidationException({ message })

// =============================================================================
// Lookups
// =============================================================================

/** The linked WABA with this AWS id or ARN. */
export const findLinked = (state: State, idOrArn: string): LinkedWaba | undefined =>
  state.linked.find((waba) => waba.id === idOrArn || waba.arn === idOrArn)

/** The linked WABA with this id or ARN, or ResourceNotFoundException. */
export const requireWaba = (
  state: State,
  idOrArn: string
): Effect.Effect<LinkedWaba, Errors.ResourceNotFoundException> => {
  const waba = findLinked(state, idOrArn)
  return waba === undefined
    ? Effect.fail(notFound(`WhatsApp Business Account ${idOrArn} was not found.`))
    : Effect.succeed(waba)
}

/** A registered phone number and its WABA. */
export interface FoundNumber {
  readonly waba: LinkedWaba
  readonly phoneNumber: Shapes.WhatsAppPhoneNumberSummary
}

/** The registered phone number with this `phone-number-id-…` or ARN. */
export const findPhoneNumber = (state: State, idOrArn: string): FoundNumber | undefined => {
  for (const waba of state.linked) {
    const phoneNumber = waba.phoneNumbers.find((n) => n.phoneNumberId === idOrArn || n.arn === idOrArn)
    if (phoneNumber !== undefined) return { waba, phoneNumber }
  }
  return undefined
}

/** The registered phone number with this id or ARN, or ResourceNotFoundException. */
export const requireNumber = (
  state: State,
  idOrArn: string
): Effect.Effect<FoundNumber, Errors.ResourceNotFoundException> => {
  const found = findPhoneNumber(state, idOrArn)
  return found === undefined
    ? Effect.fail(
      notFound(`Phone number ${idOrArn} was not found: it is not a registered number of a linked WABA.`)
    )
    : Effect.succeed(found)
}

/** Meta is reachable for this WABA, or DependencyException (Meta's API is down: retryable). */
export const metaReachable = (waba: LinkedWaba): Effect.Effect<void, Errors.DependencyException> =>
  waba.metaStatus === "unavailable"
    ? Effect.fail(
      new Errors.DependencyException({ message: "Meta's Graph API did not answer in time; try again later." })
    )
    : Effect.void

/** Meta serves this WABA: DependencyException when down, AccessDeniedByMetaException when access is revoked. */
export const metaAccess = (
  waba: LinkedWaba
): Effect.Effect<void, Errors.DependencyException | Errors.AccessDeniedByMetaException> =>
  waba.metaStatus === "accessRevoked"
    ? Effect.fail(
      new Errors.AccessDeniedByMetaException({
        message: `Meta denied access to WhatsApp Business Account ${waba.wabaId}: the business revoked the grant.`
      })
    )
    : metaReachable(waba)

/** The `bucket/key` of an S3 object. */
export const objectKey = (bucket: string, key: string): string => `${bucket}/${key}`

// =============================================================================
// Pages
// =============================================================================

// `nextToken` is opaque: base64url of "<salt>:<sequence of the last item served>". The salt is per
// engine, so a token from another sandbox (or a made-up one) is rejected instead of misread.
const encodeNextToken = (salt: string, sequence: number) => Encoding.encodeBase64Url(`${salt}:${sequence}`)

const decodeNextToken = (salt: string, token: string): number | undefined => {
  const decoded = Encoding.decodeBase64UrlString(token)
  if (Either.isLeft(decoded)) return undefined
  const match = /^([0-9a-f]+):(\d+)$/.exec(decoded.right)
  return match !== null && match[1] === salt ? Number(match[2]) : undefined
}

/** One page of `items` (in `sequence` order) after `nextToken`, and the token of the next page if any. */
export const page = <A extends { readonly sequence: number }>(
  context: Context,
  items: ReadonlyArray<A>,
  input: { readonly nextToken?: string | undefined; readonly maxResults?: number | undefined }
): Effect.Effect<
  { readonly items: ReadonlyArray<A>; readonly nextToken: { readonly nextToken?: string } },
  Errors.InvalidParametersException
> => {
  const after = input.nextToken === undefined ? 0 : decodeNextToken(context.salt, input.nextToken)
  if (after === undefined) return Effect.fail(invalid("The nextToken is not valid."))
  const remaining = items.filter((item) => item.sequence > after)
  const served = remaining.slice(0, input.maxResults ?? context.config.defaultPageSize)
  const last = served[served.length - 1]
  return Effect.succeed({
    items: served,
    nextToken: remaining.length > served.length && last !== undefined
      ? { nextToken: encodeNextToken(context.salt, last.sequence) }
      : {}
  })
}

/** Keeps the newest `size` items. */
export const newest = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<A> =>
  items.length > size ? items.slice(items.length - size) : items

// =============================================================================
// Blobs of JSON
// =============================================================================

/** A parse error as `path: message; …` (the paths of the JSON inside a blob). */
export const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.map(String).join(".")}: ${issue.message}`
  ).join("; ")

/** The JSON value UTF-8 `bytes` hold, or a description of why they are not JSON. */
export const readJson = (bytes: Uint8Array): Either.Either<unknown, string> =>
  Either.mapLeft(Schema.decodeEither(WhatsAppMessage.JsonFromBytes)(bytes), describeIssues)
