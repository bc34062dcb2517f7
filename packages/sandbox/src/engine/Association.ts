/**
 * The association: linking WABAs in two steps (AssociateWhatsAppBusinessAccount), inspecting them and their
 * numbers, their event destinations, and disassociating them with everything that hangs off them.
 *
 * Decisions where AWS's documentation leaves room:
 * - Unknown Meta access token (step 1) → `InvalidParametersException`: Associate declares no
 *   AccessDeniedByMeta/ResourceNotFound, and a bad token is a bad parameter. A revoked grant is the
 *   same error with its own message; Meta being down is `DependencyException` (retryable).
 * - `setupFinalization.phoneNumbers[].id` accepts the AWS `phone-number-id-…` handed out in step 1
 *   (what the API reference says) or Meta's phone number id (what the model's type says).
 * - The in-progress token may finalize each WABA of its sign-up once, until it expires (default 15 min).
 *   Expired sign-ups are dropped from the state when the next sign-up starts.
 * - A newly linked WABA brings the templates Meta holds for it (`hello_world` at least).
 * - Disassociate is idempotent: a WABA linked before and already disassociated succeeds again; an id
 *   never linked is `ResourceNotFoundException`. It removes what hangs off the WABA: templates, flows,
 *   media and header samples of its numbers, their public keys, call settings and calls, and the tags of
 *   the WABA and its numbers. The outbox keeps what was sent (it is a record, not a resource).
 * - PutWhatsAppBusinessAccountEventDestinations (no ResourceNotFound declared) answers
 *   `InvalidParametersException` for an unknown WABA, as does Associate's `phoneNumberParent`.
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type * as Fixtures from "../Fixtures.js"
import { hex } from "../internal/random.js"
import type { Config } from "./Config.js"
import {
  type Context,
  findLinked,
  findPhoneNumber,
  type Input,
  invalid,
  type LinkedWaba,
  type Method,
  type Methods,
  notFound,
  type Output,
  page,
  type PhoneNumberIdentity,
  type State
} from "./State.js"
import { checkTags, withTags } from "./Tags.js"
import * as Templates from "./Templates.js"

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

type Operation =
  | "AssociateWhatsAppBusinessAccount"
  | "DisassociateWhatsAppBusinessAccount"
  | "GetLinkedWhatsAppBusinessAccount"
  | "ListLinkedWhatsAppBusinessAccounts"
  | "GetLinkedWhatsAppBusinessAccountPhoneNumber"
  | "PutWhatsAppBusinessAccountEventDestinations"

type AssociateOutput = Output<"AssociateWhatsAppBusinessAccount">
type SignupCallback = NonNullable<Input<"AssociateWhatsAppBusinessAccount">["signupCallback"]>
type SetupFinalization = NonNullable<Input<"AssociateWhatsAppBusinessAccount">["setupFinalization"]>
type IncompleteAccount = Shapes.LinkedWhatsAppBusinessAccountIdMetaData

// Ids of different brands (an AWS phone-number-id and Meta's phone number id) compared as plain strings.
const sameString = (a: string | undefined, b: string): boolean => a === b

/** A linked WABA as the list and get operations show it. */
export const summary = (waba: LinkedWaba): Shapes.LinkedWhatsAppBusinessAccountSummary => ({
  arn: waba.arn,
  id: waba.id,
  wabaId: waba.wabaId,
  registrationStatus: "COMPLETE",
  linkDate: waba.linkDate,
  wabaName: waba.wabaName,
  eventDestinations: waba.eventDestinations,
  ...(waba.datasetId === undefined ? {} : { datasetId: waba.datasetId })
})

const phoneNumberDetail = (
  number: Fixtures.MetaPhoneNumber,
  identity: PhoneNumberIdentity
): Shapes.WhatsAppPhoneNumberDetail => ({
  arn: identity.arn,
  phoneNumber: number.phoneNumber,
  phoneNumberId: identity.phoneNumberId,
  metaPhoneNumberId: Shapes.WhatsAppPhoneNumber.make(number.metaPhoneNumberId),
  displayPhoneNumberName: number.displayPhoneNumberName,
  displayPhoneNumber: number.displayPhoneNumber,
  qualityRating: number.qualityRating
})

/** `state` without `waba` and everything that hangs off it (see the module doc). */
export const withoutWaba = (state: State, waba: LinkedWaba): State => {
  const numbers = new Set<string>(waba.phoneNumbers.map((n) => n.phoneNumberId))
  let tags = withTags(state.tags, waba.arn, [])
  for (const number of waba.phoneNumbers) tags = withTags(tags, number.arn, [])
  const dropNumbers = <A>(map: ReadonlyMap<string, A>) => new Map([...map].filter(([id]) => !numbers.has(id)))
  return {
    ...state,
    tags,
    linked: state.linked.filter((l) => l.id !== waba.id),
    everLinked: new Set([...state.everLinked, waba.id, waba.arn]),
    templates: state.templates.filter((t) => t.waba !== waba.id),
    flows: state.flows.filter((f) => f.waba !== waba.id),
    media: new Map([...state.media].filter(([, m]) => !numbers.has(m.phoneNumberId))),
    headerHandles: new Map([...state.headerHandles].filter(([, h]) => h.waba !== waba.id)),
    publicKeys: dropNumbers(state.publicKeys),
    callSettings: dropNumbers(state.callSettings),
    calls: new Map([...state.calls].filter(([, c]) => !numbers.has(c.originationPhoneNumberId)))
  }
}

/** The Meta fixture whose user access token this is. */
const fixtureFor = (config: Config, accessToken: string) =>
  new Map(config.fixtures.map((fixture) => [fixture.accessToken, fixture])).get(accessToken)

// ---------------------------------------------------------------------------
// Step 1: signup callback
// ---------------------------------------------------------------------------

const signup = (
  context: Context,
  callback: SignupCallback
) =>
  Effect.gen(function*() {
    // The sandbox has to look at the token to play Meta; it is never logged or echoed.
    const fixture = fixtureFor(context.config, Redacted.value(callback.accessToken))
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
    return yield* SynchronizedRef.modifyEffect(context.ref, (state) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const token = `aip-${yield* hex(32)}`
        const phoneNumbers = new Map(state.phoneNumbers)
        for (const waba of grant.wabas) {
          for (const number of waba.phoneNumbers) {
            if (!phoneNumbers.has(number.metaPhoneNumberId)) {
              const suffix = yield* hex(32)
              phoneNumbers.set(number.metaPhoneNumberId, {
                phoneNumberId: Shapes.WhatsAppPhoneNumberId.make(`phone-number-id-${suffix}`),
                arn: Shapes.LinkedWhatsAppPhoneNumberArn.make(`${context.arnPrefix}:phone-number-id/${suffix}`)
              })
            }
          }
        }
        const incomplete: Record<string, IncompleteAccount> = {}
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
          expiresAtMillis: now + Duration.toMillis(context.config.tokenTtl),
          wabas: grant.wabas
        })
        const output: AssociateOutput = {
          signupCallbackResult: {
            associateInProgressToken: Redacted.make(token),
            linkedAccountsWithIncompleteSetup: Object.fromEntries(
              Object.entries(incomplete).map(([k, v]) => [Shapes.WhatsAppBusinessAccountId.make(k), v])
            )
          },
          statusCode: 200
        }
        return [output, { ...state, sessions, phoneNumbers }] as const
      }))
  })

// ---------------------------------------------------------------------------
// Step 2: setup finalization
// ---------------------------------------------------------------------------

/** The Meta WABA step 2 is about, and the linked parent when numbers are added to one. */
const chooseWaba = (
  context: Context,
  state: State,
  setup: SetupFinalization,
  wabas: ReadonlyArray<Fixtures.MetaWaba>
) =>
  Effect.gen(function*() {
    const parent = setup.phoneNumberParent === undefined ? undefined : findLinked(state, setup.phoneNumberParent)
    if (setup.phoneNumberParent !== undefined && parent === undefined) {
      return yield* invalid(
        `phoneNumberParent ${setup.phoneNumberParent} is not a WhatsApp Business Account linked to this account.`
      )
    }
    const wantedWabaId = parent?.wabaId ?? setup.waba?.id
    const metaWaba = wantedWabaId !== undefined
      ? wabas.find((w) => w.wabaId === wantedWabaId)
      : wabas.length === 1
      ? wabas[0]
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
    if (parent === undefined && state.linked.length >= context.config.wabaLimit) {
      return yield* new Errors.LimitExceededException({
        message: `You have reached the limit of ${context.config.wabaLimit} linked WhatsApp Business Accounts ` +
          `in ${context.config.region}.`
      })
    }
    return { parent, metaWaba }
  })

/** The numbers step 2 registers, and the tags they carry. */
const registerNumbers = (
  state: State,
  setup: SetupFinalization,
  metaWaba: Fixtures.MetaWaba,
  parent: LinkedWaba | undefined
) =>
  Effect.gen(function*() {
    const registered: Array<Shapes.WhatsAppPhoneNumberSummary> = []
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
    return { registered, tags }
  })

const finalize = (
  context: Context,
  setup: SetupFinalization
) =>
  SynchronizedRef.modifyEffect(context.ref, (state) =>
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
      const { metaWaba, parent } = yield* chooseWaba(context, state, setup, session.wabas)
      const { registered, tags } = yield* registerNumbers(state, setup, metaWaba, parent)

      if (parent !== undefined) {
        const updated: LinkedWaba = { ...parent, phoneNumbers: [...parent.phoneNumbers, ...registered] }
        const output: AssociateOutput = { statusCode: 200, linkedWhatsAppBusinessAccountId: parent.id }
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
        id: Shapes.LinkedWhatsAppBusinessAccountId.make(`waba-${suffix}`),
        arn: Shapes.LinkedWhatsAppBusinessAccountArn.make(`${context.arnPrefix}:waba/${suffix}`),
        wabaId: Shapes.WhatsAppBusinessAccountId.make(metaWaba.wabaId),
        wabaName: metaWaba.name,
        linkDate: DateTime.unsafeMake(now),
        sequence: state.nextSequence,
        eventDestinations,
        phoneNumbers: registered,
        datasetId: undefined,
        metaStatus: "available"
      }
      const wabaTags = setup.waba?.tags === undefined
        ? tags
        : withTags(tags, waba.arn, yield* checkTags("setupFinalization.waba.tags", [], setup.waba.tags))
      const seeded = yield* Templates.fromFixtures(waba.id, metaWaba.templates, state.nextSequence + 1)
      const output: AssociateOutput = { statusCode: 200, linkedWhatsAppBusinessAccountId: waba.id }
      return [output, {
        ...state,
        tags: wabaTags,
        linked: [...state.linked, waba],
        templates: [...state.templates, ...seeded],
        nextSequence: state.nextSequence + 1 + seeded.length
      }] as const
    }))

const associateWhatsAppBusinessAccount = (context: Context): Method<"AssociateWhatsAppBusinessAccount"> => (input) =>
  input.signupCallback !== undefined
    ? signup(context, input.signupCallback)
    : input.setupFinalization !== undefined
    ? finalize(context, input.setupFinalization)
    : Effect.fail(invalid("Send signupCallback or setupFinalization."))

const disassociateWhatsAppBusinessAccount =
  ({ ref }: Context): Method<"DisassociateWhatsAppBusinessAccount"> => (input) =>
    SynchronizedRef.modifyEffect(ref, (state) => {
      const waba = findLinked(state, input.id)
      if (waba === undefined) {
        return state.everLinked.has(input.id)
          ? Effect.succeed([{}, state] as const)
          : Effect.fail(notFound(`WhatsApp Business Account ${input.id} was not found.`))
      }
      return Effect.succeed([{}, withoutWaba(state, waba)] as const)
    })

const getLinkedWhatsAppBusinessAccount = ({ ref }: Context): Method<"GetLinkedWhatsAppBusinessAccount"> => (input) =>
  Effect.flatMap(SynchronizedRef.get(ref), (state) => {
    const waba = findLinked(state, input.id)
    return waba === undefined
      ? Effect.fail(notFound(`WhatsApp Business Account ${input.id} was not found.`))
      : Effect.succeed({ account: { ...summary(waba), phoneNumbers: waba.phoneNumbers } })
  })

const listLinkedWhatsAppBusinessAccounts = (context: Context): Method<"ListLinkedWhatsAppBusinessAccounts"> => {
  const { ref } = context
  return (input) =>
    Effect.flatMap(
      SynchronizedRef.get(ref),
      (state) =>
        Effect.map(page(context, state.linked, input), ({ items, nextToken }) => ({
          linkedAccounts: items.map(summary),
          ...nextToken
        }))
    )
}

const getLinkedWhatsAppBusinessAccountPhoneNumber =
  ({ ref }: Context): Method<"GetLinkedWhatsAppBusinessAccountPhoneNumber"> => (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) => {
      const found = findPhoneNumber(state, input.id)
      if (found === undefined) return Effect.fail(notFound(`Phone number ${input.id} was not found.`))
      const callSettings = state.callSettings.get(found.phoneNumber.phoneNumberId)
      return Effect.succeed({
        phoneNumber: found.phoneNumber,
        linkedWhatsAppBusinessAccountId: found.waba.id,
        ...(callSettings === undefined ? {} : { callSettings })
      })
    })

const putWhatsAppBusinessAccountEventDestinations =
  ({ ref }: Context): Method<"PutWhatsAppBusinessAccountEventDestinations"> => (input) =>
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
    })

/** The association operations. */
export const make = (context: Context): Methods<Operation> => ({
  associateWhatsAppBusinessAccount: associateWhatsAppBusinessAccount(context),
  disassociateWhatsAppBusinessAccount: disassociateWhatsAppBusinessAccount(context),
  getLinkedWhatsAppBusinessAccount: getLinkedWhatsAppBusinessAccount(context),
  listLinkedWhatsAppBusinessAccounts: listLinkedWhatsAppBusinessAccounts(context),
  getLinkedWhatsAppBusinessAccountPhoneNumber: getLinkedWhatsAppBusinessAccountPhoneNumber(context),
  putWhatsAppBusinessAccountEventDestinations: putWhatsAppBusinessAccountEventDestinations(context)
})
