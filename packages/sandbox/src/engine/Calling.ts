/**
 * Calling: the call settings of a phone number (UpdateLinkedWhatsAppBusinessAccountPhoneNumber, shown by
 * GetLinkedWhatsAppBusinessAccountPhoneNumber), call permissions (GetWhatsAppCallPermission) and call
 * events (SendWhatsAppCallEvent).
 *
 * Following Meta's Calling API where it says, and what a user would expect where it does not:
 * - Settings: `timezone` is an IANA zone; a day has at most two weekly entries, each opening before it closes
 *   and not overlapping; holiday dates are real dates; `callIconVisibility` is DEFAULT or DISABLE_ALL and
 *   `callbackPermissionStatus` ENABLED or DISABLED. Else `InvalidParametersException`.
 * - Permission: the end users in `Fixtures.callPermissions` granted a temporary permission (7 days from the
 *   question); everyone else has `no_permission`. Exactly one of `destinationPhoneNumber` / `endUserBsuid`.
 *   Actions: `send_call_permission_request` (1 per 24 h, 2 per 7 days) and `start_call`.
 * - Events: `callEvent` is Meta's call action JSON (`messaging_product: "whatsapp"`, `action` connect,
 *   pre_accept, accept, reject or terminate, `to`/`call_id`, `session` with an SDP); malformed is
 *   `ValidationException`. `connect` starts a business-initiated call to a user who granted permission
 *   (else `InvalidParametersException`, Meta #138006) and answers a fresh `wacid.…` call id; `terminate` ends
 *   it (again: `ConflictException`). The sandbox has no user-initiated calls, so accept, pre_accept and
 *   reject name an unknown call (`ResourceNotFoundException`) or one the business started
 *   (`ConflictException`).
 * - Permission questions and call events need calling enabled on the number (`callEnabled`), else
 *   `InvalidParametersException`.
 */
import * as Errors from "@social-messaging/domain/Errors"
import type * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Fixtures from "../Fixtures.js"
import { hex } from "../internal/random.js"
import {
  type Call,
  type Context,
  describeIssues,
  type FoundNumber,
  invalid,
  metaAccess,
  type Method,
  type Methods,
  notFound,
  readJson,
  requireNumber,
  type State,
  validation
} from "./State.js"

type Operation =
  | "UpdateLinkedWhatsAppBusinessAccountPhoneNumber"
  | "GetWhatsAppCallPermission"
  | "SendWhatsAppCallEvent"

/** How long a granted call permission lasts (Meta: 7 days). */
export const permissionLifetime: Duration.Duration = Duration.days(7)

const timezones: ReadonlySet<string> = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])

const minutesOf = (time: Shapes.WhatsAppTimeOfDay): number => time.hours * 60 + time.minutes

/** Why `settings` are not acceptable, if they are not. */
const settingsProblem = (settings: Shapes.WhatsAppCallSettings): string | undefined => {
  if (settings.callIconVisibility !== undefined && !["DEFAULT", "DISABLE_ALL"].includes(settings.callIconVisibility)) {
    return `callSettings.callIconVisibility: expected DEFAULT or DISABLE_ALL, got ${settings.callIconVisibility}`
  }
  if (
    settings.callbackPermissionStatus !== undefined &&
    !["ENABLED", "DISABLED"].includes(settings.callbackPermissionStatus)
  ) {
    return `callSettings.callbackPermissionStatus: expected ENABLED or DISABLED, got ${settings.callbackPermissionStatus}`
  }
  const hours = settings.callHours
  if (hours === undefined) return undefined
  if (!timezones.has(hours.timezone)) {
    return `callSettings.callHours.timezone: ${hours.timezone} is not an IANA time zone`
  }
  const byDay = new Map<string, Array<readonly [number, number]>>()
  for (const [i, entry] of hours.weeklyOperatingHours.entries()) {
    const open = minutesOf(entry.openTime)
    const close = minutesOf(entry.closeTime)
    if (open >= close) return `callSettings.callHours.weeklyOperatingHours[${i}]: openTime must be before closeTime`
    const day = byDay.get(entry.dayOfWeek) ?? []
    if (day.some(([o, c]) => open < c && o < close)) {
      return `callSettings.callHours.weeklyOperatingHours[${i}]: overlaps another ${entry.dayOfWeek} entry`
    }
    day.push([open, close])
    if (day.length > 2) {
      return `callSettings.callHours.weeklyOperatingHours: at most two entries per day (${entry.dayOfWeek})`
    }
    byDay.set(entry.dayOfWeek, day)
  }
  for (const [i, holiday] of (hours.holidaySchedule ?? []).entries()) {
    const date = DateTime.make(`${holiday.date}T00:00:00Z`)
    if (date._tag === "None" || DateTime.formatIsoDate(date.value) !== holiday.date) {
      return `callSettings.callHours.holidaySchedule[${i}].date: ${holiday.date} is not a date`
    }
    if (minutesOf(holiday.startTime) >= minutesOf(holiday.endTime)) {
      return `callSettings.callHours.holidaySchedule[${i}]: startTime must be before endTime`
    }
  }
  return undefined
}

const callingEnabled = (state: State, found: FoundNumber): Effect.Effect<void, Errors.InvalidParametersException> =>
  state.callSettings.get(found.phoneNumber.phoneNumberId)?.callEnabled === true
    ? Effect.void
    : Effect.fail(invalid(
      `Calling is not enabled on phone number ${found.phoneNumber.phoneNumberId} ` +
        "(UpdateLinkedWhatsAppBusinessAccountPhoneNumber with callSettings.callEnabled)."
    ))

/** Meta's call action JSON (SendWhatsAppCallEvent's `callEvent`). */
export const CallEventJson = Schema.Struct({
  messaging_product: Schema.Literal("whatsapp"),
  action: Schema.Literal("connect", "pre_accept", "accept", "reject", "terminate"),
  to: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^\+?[1-9][0-9]{6,14}$/)), { exact: true }),
  call_id: Schema.optionalWith(Schema.String.pipe(Schema.minLength(1)), { exact: true }),
  session: Schema.optionalWith(
    Schema.Struct({ sdp_type: Schema.Literal("offer", "answer"), sdp: Schema.String.pipe(Schema.minLength(1)) }),
    { exact: true }
  )
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

const e164 = (to: string): string => to.startsWith("+") ? to : `+${to}`

const permission = (destination: string | undefined, now: number): Shapes.WhatsAppCallPermission =>
  destination !== undefined && Fixtures.callPermissions.includes(e164(destination))
    ? { status: "granted", expirationTime: DateTime.unsafeMake(now + Duration.toMillis(permissionLifetime)) }
    : { status: "no_permission" }

const callsToday = (state: State, from: string, to: string) =>
  [...state.calls.values()].filter((c) => c.originationPhoneNumberId === from && c.to === e164(to)).length

const updateLinkedWhatsAppBusinessAccountPhoneNumber =
  ({ ref }: Context): Method<"UpdateLinkedWhatsAppBusinessAccountPhoneNumber"> => (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const found = yield* requireNumber(state, input.id)
        const problem = settingsProblem(input.callSettings)
        if (problem !== undefined) return yield* invalid(problem)
        yield* metaAccess(found.waba)
        const callSettings = new Map(state.callSettings)
        callSettings.set(found.phoneNumber.phoneNumberId, input.callSettings)
        return [{ phoneNumberId: found.phoneNumber.phoneNumberId }, { ...state, callSettings }] as const
      }))

const getWhatsAppCallPermission = ({ ref }: Context): Method<"GetWhatsAppCallPermission"> => (input) =>
  Effect.flatMap(SynchronizedRef.get(ref), (state) =>
    Effect.gen(function*() {
      const found = yield* requireNumber(state, input.originationPhoneNumberId)
      if ((input.destinationPhoneNumber === undefined) === (input.endUserBsuid === undefined)) {
        return yield* invalid("Give exactly one of destinationPhoneNumber or endUserBsuid.")
      }
      yield* callingEnabled(state, found)
      yield* metaAccess(found.waba)
      const now = yield* Clock.currentTimeMillis
      const destination = input.destinationPhoneNumber === undefined
        ? undefined
        : Redacted.value(input.destinationPhoneNumber)
      const granted = permission(destination, now)
      const used = destination === undefined ? 0 : callsToday(state, found.phoneNumber.phoneNumberId, destination)
      return {
        permission: granted,
        actions: [
          {
            actionName: "send_call_permission_request",
            canPerformAction: granted.status !== "granted",
            limits: [
              { timePeriod: "PT24H", maxAllowed: 1, currentUsage: 0 },
              { timePeriod: "P7D", maxAllowed: 2, currentUsage: 0 }
            ]
          },
          {
            actionName: "start_call",
            canPerformAction: granted.status === "granted" && used < 5,
            limits: [{ timePeriod: "PT24H", maxAllowed: 5, currentUsage: used }]
          }
        ]
      }
    }))

const sendWhatsAppCallEvent = ({ ref }: Context): Method<"SendWhatsAppCallEvent"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const found = yield* requireNumber(state, input.originationPhoneNumberId)
      if (!/^v[0-9]+\.[0-9]+$/.test(input.metaApiVersion)) {
        return yield* validation(
          `metaApiVersion: expected v{major}.{minor}, got ${JSON.stringify(input.metaApiVersion)}`
        )
      }
      const json = readJson(Redacted.value(input.callEvent))
      if (Either.isLeft(json)) return yield* validation(`callEvent: ${json.left}`)
      const decoded = Schema.decodeUnknownEither(CallEventJson, { errors: "all" })(json.right)
      if (Either.isLeft(decoded)) return yield* validation(`callEvent: ${describeIssues(decoded.left)}`)
      const event = decoded.right
      yield* callingEnabled(state, found)
      yield* metaAccess(found.waba)
      const from = found.phoneNumber.phoneNumberId
      if (event.action === "connect") {
        if (event.to === undefined || event.session?.sdp_type !== "offer") {
          return yield* validation("callEvent: connect needs `to` and a `session` with an SDP offer")
        }
        if (permission(event.to, 0).status !== "granted") {
          return yield* invalid(`(#138006) ${e164(event.to)} has not granted this business permission to call.`)
        }
        const callId = `wacid.${Encoding.encodeBase64(`HBgL${yield* hex(24)}`)}`
        const call: Call = {
          callId,
          originationPhoneNumberId: from,
          to: e164(event.to),
          status: "RINGING",
          events: ["connect"]
        }
        const calls = new Map(state.calls)
        calls.set(callId, call)
        return [{ callId }, { ...state, calls }] as const
      }
      if (event.call_id === undefined) return yield* validation(`callEvent: ${event.action} needs call_id`)
      const call = state.calls.get(event.call_id)
      if (call === undefined || call.originationPhoneNumberId !== from) {
        return yield* notFound(`Call ${event.call_id} was not found for phone number ${from}.`)
      }
      if (event.action !== "terminate") {
        return yield* new Errors.ConflictException({
          message: `Call ${call.callId} was started by the business; ${event.action} is for calls a user starts.`
        })
      }
      if (call.status === "TERMINATED") {
        return yield* new Errors.ConflictException({ message: `Call ${call.callId} has already ended.` })
      }
      const calls = new Map(state.calls)
      calls.set(call.callId, { ...call, status: "TERMINATED", events: [...call.events, "terminate"] })
      return [{ callId: call.callId }, { ...state, calls }] as const
    }))

/** The calling operations. */
export const make = (context: Context): Methods<Operation> => ({
  updateLinkedWhatsAppBusinessAccountPhoneNumber: updateLinkedWhatsAppBusinessAccountPhoneNumber(context),
  getWhatsAppCallPermission: getWhatsAppCallPermission(context),
  sendWhatsAppCallEvent: sendWhatsAppCallEvent(context)
})
