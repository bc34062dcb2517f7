/**
 * The sandbox engine: the association domain of AWS End User Messaging Social, in memory.
 *
 * It works on the typed (decoded) domain values and fails only with errors the operation declares.
 * State lives in a `SynchronizedRef`; ids and tokens come from `Random`, times from `Clock`, so tests
 * are reproducible with a seeded `Random` and `TestClock`. Both faces of the sandbox (the in-process
 * layer and the HTTP server) run operations through `handlers`, which speaks the wire form.
 *
 * Decisions where AWS's documentation leaves room:
 * - Unknown Meta access token (step 1) → `InvalidParametersException`: Associate declares no
 *   AccessDeniedByMeta/ResourceNotFound, and a bad token is a bad parameter. A revoked grant is the
 *   same error with its own message; Meta being down is `DependencyException` (retryable).
 * - `setupFinalization.phoneNumbers[].id` accepts the AWS `phone-number-id-…` handed out in step 1
 *   (what the API reference says) or Meta's phone number id (what the model's type says).
 * - The in-progress token may finalize each WABA of its sign-up once, until it expires (default 15 min).
 *   Expired sign-ups are dropped from the state when the next sign-up starts.
 * - Disassociate is idempotent: a WABA linked before and already disassociated succeeds again; an id
 *   never linked is `ResourceNotFoundException`.
 * - Operations that do not declare ResourceNotFound (PutWhatsAppBusinessAccountEventDestinations,
 *   the tag operations, Associate's `phoneNumberParent`) answer `InvalidParametersException` for
 *   unknown ids and ARNs.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Engine from "@social-messaging/sandbox/Engine"
 *
 * const linked = Effect.flatMap(Engine.Engine, (engine) => engine.state).pipe(
 *   Effect.map((state) => state.linked.length),
 *   Effect.provide(Engine.layer())
 * )
 * ```
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import type * as Tagging from "@social-messaging/domain/Tagging"
import type * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Fixtures from "./Fixtures.js"
import { hex } from "./internal/random.js"

// =============================================================================
// Options
// =============================================================================

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
  /** Page size of ListLinkedWhatsAppBusinessAccounts without `maxResults` (default 25). */
  readonly defaultPageSize?: number | undefined
  /** Meta's side: the access tokens recognised (default `Fixtures.defaultFixtures`). */
  readonly fixtures?: ReadonlyArray<Fixtures.MetaTokenFixture> | undefined
}

/** Options with every default filled in. */
export interface Config {
  readonly region: string
  readonly accountId: string
  readonly tokenTtl: Duration.Duration
  readonly wabaLimit: number
  readonly defaultPageSize: number
  readonly fixtures: ReadonlyArray<Fixtures.MetaTokenFixture>
}

/** The defaults. */
export const defaults: Config = {
  region: "us-east-1",
  accountId: "123456789012",
  tokenTtl: Duration.minutes(15),
  wabaLimit: 25,
  defaultPageSize: 25,
  fixtures: Fixtures.defaultFixtures
}

/** Fills in the defaults. */
export const resolve = (options: Options = {}): Config => ({
  region: options.region ?? defaults.region,
  accountId: options.accountId ?? defaults.accountId,
  tokenTtl: options.tokenTtl === undefined ? defaults.tokenTtl : Duration.decode(options.tokenTtl),
  wabaLimit: options.wabaLimit ?? defaults.wabaLimit,
  defaultPageSize: options.defaultPageSize ?? defaults.defaultPageSize,
  fixtures: options.fixtures ?? defaults.fixtures
})

/** The data localisation regions Meta offers (AWS API reference of `WabaPhoneNumberSetupFinalization`). */
export const dataLocalizationRegions: ReadonlySet<string> = new Set([
  "AU",
  "ID",
  "IN",
  "JP",
  "SG",
  "KR",
  "DE",
  "CH",
  "GB",
  "BR",
  "BH",
  "ZA",
  "AE",
  "CA"
])

/** Tags a resource may carry (the usual AWS limit). */
export const maxTagsPerResource = 50

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
  readonly phoneNumberId: Ids.WhatsAppPhoneNumberId
  readonly arn: Ids.LinkedWhatsAppPhoneNumberArn
}

/** A WABA linked to the account. */
export interface LinkedWaba {
  readonly id: Ids.LinkedWhatsAppBusinessAccountId
  readonly arn: Ids.LinkedWhatsAppBusinessAccountArn
  /** Meta's WABA id. */
  readonly wabaId: Ids.WhatsAppBusinessAccountId
  readonly wabaName: string
  readonly linkDate: DateTime.Utc
  /** Position in link order (what `nextToken` points past). */
  readonly sequence: number
  readonly eventDestinations: LinkedAccounts.WhatsAppBusinessAccountEventDestinations
  readonly phoneNumbers: ReadonlyArray<LinkedAccounts.WhatsAppPhoneNumberSummary>
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
  readonly tags: ReadonlyMap<string, ReadonlyArray<Tagging.Tag>>
  readonly nextSequence: number
}

const emptyState: State = {
  sessions: new Map(),
  linked: [],
  everLinked: new Set(),
  phoneNumbers: new Map(),
  tags: new Map(),
  nextSequence: 1
}

// =============================================================================
// The service
// =============================================================================

/** The nine operations over typed values, each failing only with errors its operation declares. */
export interface Service {
  readonly config: Config
  /** AssociateWhatsAppBusinessAccount: step 1 (signup callback) or step 2 (setup finalization). */
  readonly associateWhatsAppBusinessAccount: (
    input: WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest
  ) => Effect.Effect<
    WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
    Errors.DependencyException | Errors.InvalidParametersException | Errors.LimitExceededException
  >
  /** DisassociateWhatsAppBusinessAccount (idempotent for WABAs linked before). */
  readonly disassociateWhatsAppBusinessAccount: (
    input: LinkedAccounts.DisassociateWhatsAppBusinessAccountInput
  ) => Effect.Effect<LinkedAccounts.DisassociateWhatsAppBusinessAccountOutput, Errors.ResourceNotFoundException>
  /** GetLinkedWhatsAppBusinessAccount: the WABA with its phone numbers. */
  readonly getLinkedWhatsAppBusinessAccount: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput
  ) => Effect.Effect<LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput, Errors.ResourceNotFoundException>
  /** ListLinkedWhatsAppBusinessAccounts: one page, in link order. */
  readonly listLinkedWhatsAppBusinessAccounts: (
    input: LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput
  ) => Effect.Effect<LinkedAccounts.ListLinkedWhatsAppBusinessAccountsOutput, Errors.InvalidParametersException>
  /** GetLinkedWhatsAppBusinessAccountPhoneNumber: by `phone-number-id-…` or its ARN. */
  readonly getLinkedWhatsAppBusinessAccountPhoneNumber: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberInput
  ) => Effect.Effect<
    LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
    Errors.ResourceNotFoundException
  >
  /** PutWhatsAppBusinessAccountEventDestinations: replaces the WABA's destinations. */
  readonly putWhatsAppBusinessAccountEventDestinations: (
    input: LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsInput
  ) => Effect.Effect<
    LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsOutput,
    Errors.InvalidParametersException
  >
  /** TagResource on a linked WABA's or phone number's ARN. */
  readonly tagResource: (
    input: Tagging.TagResourceInput
  ) => Effect.Effect<Tagging.TagResourceOutput, Errors.InvalidParametersException>
  /** UntagResource (unknown keys are ignored). */
  readonly untagResource: (
    input: Tagging.UntagResourceInput
  ) => Effect.Effect<Tagging.UntagResourceOutput, Errors.InvalidParametersException>
  /** ListTagsForResource. */
  readonly listTagsForResource: (
    input: Tagging.ListTagsForResourceInput
  ) => Effect.Effect<Tagging.ListTagsForResourceOutput, Errors.InvalidParametersException>
  /** The current state, for tests and tools. */
  readonly state: Effect.Effect<State>
}

/**
 * The engine tag.
 *
 * @example
 * ```ts
 * const count = Effect.flatMap(Engine, (engine) => engine.state).pipe(Effect.map((s) => s.linked.length))
 * ```
 */
export class Engine extends Context.Tag("@social-messaging/sandbox/Engine")<Engine, Service>() {}

// =============================================================================
// Helpers
// =============================================================================

const invalid = (message: string) => new Errors.InvalidParametersException({ message })
const notFound = (message: string) => new Errors.ResourceNotFoundException({ message })

// Ids of different brands (an AWS phone-number-id and Meta's phone number id) compared as plain strings.
const sameString = (a: string | undefined, b: string): boolean => a === b

const findLinked = (state: State, idOrArn: string): LinkedWaba | undefined =>
  state.linked.find((waba) => waba.id === idOrArn || waba.arn === idOrArn)

const findPhoneNumber = (
  state: State,
  idOrArn: string
): { readonly waba: LinkedWaba; readonly phoneNumber: LinkedAccounts.WhatsAppPhoneNumberSummary } | undefined => {
  for (const waba of state.linked) {
    const phoneNumber = waba.phoneNumbers.find((n) => n.phoneNumberId === idOrArn || n.arn === idOrArn)
    if (phoneNumber !== undefined) return { waba, phoneNumber }
  }
  return undefined
}

const summary = (waba: LinkedWaba): LinkedAccounts.LinkedWhatsAppBusinessAccountSummary => ({
  arn: waba.arn,
  id: waba.id,
  wabaId: waba.wabaId,
  registrationStatus: "COMPLETE",
  linkDate: waba.linkDate,
  wabaName: waba.wabaName,
  eventDestinations: waba.eventDestinations
})

const phoneNumberDetail = (
  number: Fixtures.MetaPhoneNumber,
  identity: PhoneNumberIdentity
): LinkedAccounts.WhatsAppPhoneNumberDetail => ({
  arn: identity.arn,
  phoneNumber: number.phoneNumber,
  phoneNumberId: identity.phoneNumberId,
  metaPhoneNumberId: Ids.WhatsAppPhoneNumber.make(number.metaPhoneNumberId),
  displayPhoneNumberName: number.displayPhoneNumberName,
  displayPhoneNumber: number.displayPhoneNumber,
  qualityRating: number.qualityRating
})

const mergeTags = (
  existing: ReadonlyArray<Tagging.Tag>,
  added: ReadonlyArray<Tagging.Tag>
): ReadonlyArray<Tagging.Tag> => {
  const byKey = new Map(existing.map((tag) => [tag.key, tag]))
  for (const tag of added) byKey.set(tag.key, tag)
  return [...byKey.values()]
}

/** Rules AWS applies to tags beyond the model's lengths. */
const checkTags = (
  where: string,
  existing: ReadonlyArray<Tagging.Tag>,
  added: ReadonlyArray<Tagging.Tag>
): Effect.Effect<ReadonlyArray<Tagging.Tag>, Errors.InvalidParametersException> => {
  const reserved = added.find((tag) => tag.key.toLowerCase().startsWith("aws:"))
  if (reserved !== undefined) {
    return Effect.fail(invalid(`${where}: tag keys starting with 'aws:' are reserved for AWS use`))
  }
  const merged = mergeTags(existing, added)
  return merged.length > maxTagsPerResource
    ? Effect.fail(invalid(`${where}: a resource can have at most ${maxTagsPerResource} tags`))
    : Effect.succeed(merged)
}

const withTags = (
  tags: ReadonlyMap<string, ReadonlyArray<Tagging.Tag>>,
  arn: string,
  value: ReadonlyArray<Tagging.Tag>
): ReadonlyMap<string, ReadonlyArray<Tagging.Tag>> => {
  const next = new Map(tags)
  if (value.length === 0) next.delete(arn)
  else next.set(arn, value)
  return next
}

// `nextToken` is opaque: base64url of "<salt>:<sequence of the last item served>". The salt is per
// engine, so a token from another sandbox (or a made-up one) is rejected instead of misread.
const encodeNextToken = (salt: string, sequence: number) => Encoding.encodeBase64Url(`${salt}:${sequence}`)

const decodeNextToken = (salt: string, token: string): number | undefined => {
  const decoded = Encoding.decodeBase64UrlString(token)
  if (Either.isLeft(decoded)) return undefined
  const match = /^([0-9a-f]+):(\d+)$/.exec(decoded.right)
  return match !== null && match[1] === salt ? Number(match[2]) : undefined
}

// =============================================================================
// Constructor
// =============================================================================

/** Builds an engine with fresh, empty state. */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const config = resolve(options)
    const ref = yield* SynchronizedRef.make(emptyState)
    const salt = yield* hex(8)
    const fixtures = new Map(config.fixtures.map((fixture) => [fixture.accessToken, fixture]))
    const arnPrefix = `arn:aws:social-messaging:${config.region}:${config.accountId}`

    // -------------------------------------------------------------------------
    // Step 1: signup callback
    // -------------------------------------------------------------------------

    const signup = (callback: WhatsAppSignup.WhatsAppSignupCallback) =>
      Effect.gen(function*() {
        // The sandbox has to look at the token to play Meta; it is never logged or echoed.
        const fixture = fixtures.get(Redacted.value(callback.accessToken))
        if (fixture === undefined) {
          return yield* invalid("The access token is not valid: Meta did not recognise it.")
        }
        const grant = fixture.grant
        if (grant._tag === "Revoked") {
          return yield* invalid("Meta rejected the access token: the user revoked this app's access (Meta error 190).")
        }
        if (grant._tag === "MetaUnavailable") {
          return yield* new Errors.DependencyException({
            message: "Meta's Graph API did not answer in time; try again later."
          })
        }
        return yield* SynchronizedRef.modifyEffect(ref, (state) =>
          Effect.gen(function*() {
            const now = yield* Clock.currentTimeMillis
            const token = `aip-${yield* hex(32)}`
            const phoneNumbers = new Map(state.phoneNumbers)
            for (const waba of grant.wabas) {
              for (const number of waba.phoneNumbers) {
                if (!phoneNumbers.has(number.metaPhoneNumberId)) {
                  const suffix = yield* hex(32)
                  phoneNumbers.set(number.metaPhoneNumberId, {
                    phoneNumberId: Ids.WhatsAppPhoneNumberId.make(`phone-number-id-${suffix}`),
                    arn: Ids.LinkedWhatsAppPhoneNumberArn.make(`${arnPrefix}:phone-number-id/${suffix}`)
                  })
                }
              }
            }
            const incomplete: Record<string, WhatsAppSignup.LinkedWhatsAppBusinessAccountIdMetaData> = {}
            for (const waba of grant.wabas) {
              const linked = state.linked.find((l) => l.wabaId === waba.wabaId)
              const unregistered = waba.phoneNumbers.flatMap((number) => {
                const identity = phoneNumbers.get(number.metaPhoneNumberId)
                const registered = linked?.phoneNumbers.some((n) => n.metaPhoneNumberId === number.metaPhoneNumberId)
                return identity === undefined || registered === true ? [] : [phoneNumberDetail(number, identity)]
              })
              incomplete[waba.wabaId] = {
                accountName: waba.name,
                registrationStatus: linked === undefined ? "INCOMPLETE" : "COMPLETE",
                unregisteredWhatsAppPhoneNumbers: unregistered,
                ...(linked === undefined ? {} : { wabaId: linked.id })
              }
            }
            // Expired sign-ups can never be finalized: drop them here, so the map does not grow without bound.
            const sessions = new Map([...state.sessions].filter(([, session]) => now < session.expiresAtMillis))
            sessions.set(token, {
              expiresAtMillis: now + Duration.toMillis(config.tokenTtl),
              wabas: grant.wabas
            })
            const output: WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput = {
              signupCallbackResult: {
                associateInProgressToken: Redacted.make(token),
                linkedAccountsWithIncompleteSetup: Object.fromEntries(
                  Object.entries(incomplete).map(([k, v]) => [Ids.WhatsAppBusinessAccountId.make(k), v])
                )
              },
              statusCode: 200
            }
            return [output, { ...state, sessions, phoneNumbers }] as const
          }))
      })

    // -------------------------------------------------------------------------
    // Step 2: setup finalization
    // -------------------------------------------------------------------------

    const finalize = (
      setup: WhatsAppSignup.SetupFinalizationRequest["setupFinalization"]
    ) =>
      SynchronizedRef.modifyEffect(ref, (state) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const session = state.sessions.get(Redacted.value(setup.associateInProgressToken))
          if (session === undefined) {
            return yield* invalid("The associateInProgressToken is not valid.")
          }
          if (now >= session.expiresAtMillis) {
            return yield* invalid("The associateInProgressToken has expired; complete the Meta signup again.")
          }
          if (setup.phoneNumbers.length === 0) {
            return yield* invalid("setupFinalization.phoneNumbers must list at least one phone number.")
          }

          // Which WABA: an already linked parent, the one named, or the sign-up's only one.
          const parent = setup.phoneNumberParent === undefined ? undefined : findLinked(state, setup.phoneNumberParent)
          if (setup.phoneNumberParent !== undefined && parent === undefined) {
            return yield* invalid(
              `phoneNumberParent ${setup.phoneNumberParent} is not a WhatsApp Business Account linked to this account.`
            )
          }
          const wantedWabaId = parent?.wabaId ?? setup.waba?.id
          const metaWaba = wantedWabaId !== undefined
            ? session.wabas.find((w) => w.wabaId === wantedWabaId)
            : session.wabas.length === 1
            ? session.wabas[0]
            : undefined
          if (metaWaba === undefined) {
            return yield* invalid(
              wantedWabaId === undefined
                ? "setupFinalization.waba.id is required: this signup covers several WhatsApp Business Accounts."
                : `WhatsApp Business Account ${wantedWabaId} is not part of this signup.`
            )
          }
          const alreadyLinked = state.linked.find((l) => l.wabaId === metaWaba.wabaId)
          if (parent === undefined && alreadyLinked !== undefined) {
            return yield* invalid(
              `WhatsApp Business Account ${metaWaba.wabaId} is already linked as ${alreadyLinked.id}; ` +
                "use phoneNumberParent to add phone numbers to it."
            )
          }
          if (parent === undefined && state.linked.length >= config.wabaLimit) {
            return yield* new Errors.LimitExceededException({
              message:
                `You have reached the limit of ${config.wabaLimit} linked WhatsApp Business Accounts ` +
                `in ${config.region}.`
            })
          }

          // The phone numbers.
          const registered: Array<LinkedAccounts.WhatsAppPhoneNumberSummary> = []
          let tags = state.tags
          for (const [i, wanted] of setup.phoneNumbers.entries()) {
            const where = `setupFinalization.phoneNumbers[${i}]`
            const number = metaWaba.phoneNumbers.find((n) =>
              n.metaPhoneNumberId === wanted.id ||
              sameString(state.phoneNumbers.get(n.metaPhoneNumberId)?.phoneNumberId, wanted.id)
            )
            const identity = number === undefined ? undefined : state.phoneNumbers.get(number.metaPhoneNumberId)
            if (number === undefined || identity === undefined) {
              return yield* invalid(`${where}.id: ${wanted.id} is not a phone number of WABA ${metaWaba.wabaId}.`)
            }
            if (
              registered.some((n) => n.phoneNumberId === identity.phoneNumberId) ||
              parent?.phoneNumbers.some((n) => n.phoneNumberId === identity.phoneNumberId) === true
            ) {
              return yield* invalid(`${where}.id: ${wanted.id} is already registered.`)
            }
            // The model allows 1–6 characters; Meta's two-step verification wants exactly six digits.
            if (!/^[0-9]{6}$/.test(Redacted.value(wanted.twoFactorPin))) {
              return yield* invalid(`${where}.twoFactorPin must be exactly six digits.`)
            }
            const region = wanted.dataLocalizationRegion
            if (region !== undefined && !dataLocalizationRegions.has(region)) {
              return yield* invalid(
                `${where}.dataLocalizationRegion: ${region} is not a supported region ` +
                  `(${[...dataLocalizationRegions].join(", ")}).`
              )
            }
            if (wanted.tags !== undefined) {
              tags = withTags(tags, identity.arn, yield* checkTags(`${where}.tags`, [], wanted.tags))
            }
            registered.push({
              ...phoneNumberDetail(number, identity),
              ...(region === undefined ? {} : { dataLocalizationRegion: region })
            })
          }

          if (parent !== undefined) {
            const updated: LinkedWaba = { ...parent, phoneNumbers: [...parent.phoneNumbers, ...registered] }
            const output: WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput = {
              statusCode: 200,
              linkedWhatsAppBusinessAccountId: parent.id
            }
            return [output, {
              ...state,
              tags,
              linked: state.linked.map((l) => l.id === parent.id ? updated : l)
            }] as const
          }

          const eventDestinations = setup.waba?.eventDestinations ?? []
          if (eventDestinations.length > 1) {
            return yield* invalid(
              "setupFinalization.waba.eventDestinations: a WABA can have at most one event destination."
            )
          }
          const suffix = yield* hex(32)
          const waba: LinkedWaba = {
            id: Ids.LinkedWhatsAppBusinessAccountId.make(`waba-${suffix}`),
            arn: Ids.LinkedWhatsAppBusinessAccountArn.make(`${arnPrefix}:waba/${suffix}`),
            wabaId: Ids.WhatsAppBusinessAccountId.make(metaWaba.wabaId),
            wabaName: metaWaba.name,
            linkDate: DateTime.unsafeMake(now),
            sequence: state.nextSequence,
            eventDestinations,
            phoneNumbers: registered
          }
          if (setup.waba?.tags !== undefined) {
            tags = withTags(tags, waba.arn, yield* checkTags("setupFinalization.waba.tags", [], setup.waba.tags))
          }
          const output: WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput = {
            statusCode: 200,
            linkedWhatsAppBusinessAccountId: waba.id
          }
          return [output, {
            ...state,
            tags,
            linked: [...state.linked, waba],
            nextSequence: state.nextSequence + 1
          }] as const
        }))

    // -------------------------------------------------------------------------
    // The other operations
    // -------------------------------------------------------------------------

    const taggable = (state: State, arn: string): Effect.Effect<string, Errors.InvalidParametersException> =>
      findLinked(state, arn)?.arn === arn || findPhoneNumber(state, arn)?.phoneNumber.arn === arn
        ? Effect.succeed(arn)
        : Effect.fail(invalid(`The resource ${arn} was not found in this account.`))

    const service: Service = {
      config,

      associateWhatsAppBusinessAccount: (input) =>
        input.signupCallback !== undefined
          ? signup(input.signupCallback)
          : input.setupFinalization !== undefined
          ? finalize(input.setupFinalization)
          : Effect.fail(invalid("Send signupCallback or setupFinalization.")),

      disassociateWhatsAppBusinessAccount: (input) =>
        SynchronizedRef.modifyEffect(ref, (state) => {
          const waba = findLinked(state, input.id)
          if (waba === undefined) {
            return state.everLinked.has(input.id)
              ? Effect.succeed([{}, state] as const)
              : Effect.fail(notFound(`WhatsApp Business Account ${input.id} was not found.`))
          }
          let tags = withTags(state.tags, waba.arn, [])
          for (const number of waba.phoneNumbers) tags = withTags(tags, number.arn, [])
          return Effect.succeed([{}, {
            ...state,
            tags,
            linked: state.linked.filter((l) => l.id !== waba.id),
            everLinked: new Set([...state.everLinked, waba.id, waba.arn])
          }] as const)
        }),

      getLinkedWhatsAppBusinessAccount: (input) =>
        Effect.flatMap(SynchronizedRef.get(ref), (state) => {
          const waba = findLinked(state, input.id)
          return waba === undefined
            ? Effect.fail(notFound(`WhatsApp Business Account ${input.id} was not found.`))
            : Effect.succeed({ account: { ...summary(waba), phoneNumbers: waba.phoneNumbers } })
        }),

      listLinkedWhatsAppBusinessAccounts: (input) =>
        Effect.flatMap(SynchronizedRef.get(ref), (state) => {
          const after = input.nextToken === undefined ? 0 : decodeNextToken(salt, input.nextToken)
          if (after === undefined) return Effect.fail(invalid("The nextToken is not valid."))
          const remaining = state.linked.filter((waba) => waba.sequence > after)
          const page = remaining.slice(0, input.maxResults ?? config.defaultPageSize)
          const last = page[page.length - 1]
          return Effect.succeed({
            linkedAccounts: page.map(summary),
            ...(remaining.length > page.length && last !== undefined
              ? { nextToken: encodeNextToken(salt, last.sequence) }
              : {})
          })
        }),

      getLinkedWhatsAppBusinessAccountPhoneNumber: (input) =>
        Effect.flatMap(SynchronizedRef.get(ref), (state) => {
          const found = findPhoneNumber(state, input.id)
          return found === undefined
            ? Effect.fail(notFound(`Phone number ${input.id} was not found.`))
            : Effect.succeed({ phoneNumber: found.phoneNumber, linkedWhatsAppBusinessAccountId: found.waba.id })
        }),

      putWhatsAppBusinessAccountEventDestinations: (input) =>
        SynchronizedRef.modifyEffect(ref, (state) => {
          const waba = findLinked(state, input.id)
          if (waba === undefined) {
            return Effect.fail(invalid(`WhatsApp Business Account ${input.id} is not linked to this account.`))
          }
          if (input.eventDestinations.length > 1) {
            return Effect.fail(invalid("A WABA can have at most one event destination."))
          }
          const updated: LinkedWaba = { ...waba, eventDestinations: input.eventDestinations }
          const linked = state.linked.map((l) => l.id === waba.id ? updated : l)
          return Effect.succeed([{}, { ...state, linked }] as const)
        }),

      tagResource: (input) =>
        SynchronizedRef.modifyEffect(ref, (state) =>
          Effect.gen(function*() {
            const arn = yield* taggable(state, input.resourceArn)
            const merged = yield* checkTags("tags", state.tags.get(arn) ?? [], input.tags)
            return [{ statusCode: 200 }, { ...state, tags: withTags(state.tags, arn, merged) }] as const
          })),

      untagResource: (input) =>
        SynchronizedRef.modifyEffect(ref, (state) =>
          Effect.map(taggable(state, input.resourceArn), (arn) => {
            const remove = new Set(input.tagKeys)
            const kept = (state.tags.get(arn) ?? []).filter((tag) => !remove.has(tag.key))
            return [{ statusCode: 200 }, { ...state, tags: withTags(state.tags, arn, kept) }] as const
          })),

      listTagsForResource: (input) =>
        Effect.flatMap(SynchronizedRef.get(ref), (state) =>
          Effect.map(taggable(state, input.resourceArn), (arn) => ({
            statusCode: 200,
            tags: state.tags.get(arn) ?? []
          }))),

      state: SynchronizedRef.get(ref)
    }
    return service
  })

/** A fresh engine as a layer (each build starts empty). */
export const layer = (options: Options = {}): Layer.Layer<Engine> => Layer.effect(Engine, make(options))

// =============================================================================
// The wire face: one handler per operation, wire input in, wire output out
// =============================================================================

/** Runs one operation on wire-form input (JSON values), answering its wire-form output. */
export type Handler = (
  input: unknown
) => Effect.Effect<unknown, Errors.AwsError | Errors.RequestValidationError>

const handler = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  run: (input: I) => Effect.Effect<O, Errors.AwsErrorOf<K>>
): Handler =>
(input) =>
  Operations.decodeInput(operation, input).pipe(
    Effect.flatMap(run),
    // The engine builds its outputs from typed values: an encode failure is a sandbox bug.
    Effect.flatMap((output) => Effect.orDie(Schema.encode(operation.output)(output)))
  )

/** The operations the engine implements, by AWS name (the association domain, for now). */
export type Handlers = { readonly [K in keyof typeof Operations.association]: Handler }

/** The engine's handler of operation `name`, if it implements it. */
export const handlerOf = (all: Handlers, name: Errors.OperationName): Handler | undefined =>
  Object.hasOwn(all, name) ? Object.entries(all).find(([key]) => key === name)?.[1] : undefined

/**
 * The engine's operations over the wire form, by AWS name: decode (`Operations.decodeInput`, failing
 * with `RequestValidationError`), run, encode the output. Both faces of the sandbox use this.
 */
export const handlers = (engine: Service): Handlers => ({
  AssociateWhatsAppBusinessAccount: handler(
    Operations.AssociateWhatsAppBusinessAccount,
    engine.associateWhatsAppBusinessAccount
  ),
  DisassociateWhatsAppBusinessAccount: handler(
    Operations.DisassociateWhatsAppBusinessAccount,
    engine.disassociateWhatsAppBusinessAccount
  ),
  GetLinkedWhatsAppBusinessAccount: handler(
    Operations.GetLinkedWhatsAppBusinessAccount,
    engine.getLinkedWhatsAppBusinessAccount
  ),
  ListLinkedWhatsAppBusinessAccounts: handler(
    Operations.ListLinkedWhatsAppBusinessAccounts,
    engine.listLinkedWhatsAppBusinessAccounts
  ),
  GetLinkedWhatsAppBusinessAccountPhoneNumber: handler(
    Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber,
    engine.getLinkedWhatsAppBusinessAccountPhoneNumber
  ),
  PutWhatsAppBusinessAccountEventDestinations: handler(
    Operations.PutWhatsAppBusinessAccountEventDestinations,
    engine.putWhatsAppBusinessAccountEventDestinations
  ),
  TagResource: handler(Operations.TagResource, engine.tagResource),
  UntagResource: handler(Operations.UntagResource, engine.untagResource),
  ListTagsForResource: handler(Operations.ListTagsForResource, engine.listTagsForResource)
})
