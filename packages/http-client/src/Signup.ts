/**
 * The association of a WhatsApp Business Account as a typed two-step workflow over
 * `AssociateWhatsAppBusinessAccount` (`POST /v1/whatsapp/signup`).
 *
 * `start` sends step 1 (the signup callback with Meta's single-use access token) and returns a `Started`
 * value: the WABAs whose setup is incomplete, their unregistered phone numbers, and the in-progress token
 * (`Redacted`). `finish` takes that value and the caller's choice (`linkWaba` or `addNumbers`) and sends
 * step 2. Only `start` and `resume` make a `Started`, so step 2 cannot be called without step 1's result,
 * and a choice cannot mix a new WABA with a parent WABA.
 *
 * The token is what a caller can never get back: AWS consumes Meta's token in step 1. `start` hands it to
 * the caller's `saveToken` as soon as the answer's JSON is read, before anything else in the answer is
 * decoded, so an answer that breaks the model elsewhere still leaves the token with the caller.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import * as Signup from "@social-messaging/http-client/Signup"
 *
 * const link = (accessToken: Redacted.Redacted<string>, pin: Redacted.Redacted<string>) =>
 *   Effect.gen(function*() {
 *     const started = yield* Signup.start({ accessToken }, {
 *       saveToken: (token) => Effect.log("token received") // e.g. write it to a 0600 file
 *     })
 *     const [account] = started.accounts
 *     const [number] = account?.unregisteredNumbers ?? []
 *     if (account === undefined || number === undefined) return yield* Effect.fail("nothing to set up")
 *     return yield* Signup.finish(started, Signup.linkWaba({
 *       wabaId: account.metaWabaId,
 *       phoneNumbers: [{ id: number.phoneNumberId, twoFactorPin: pin, dataLocalizationRegion: "DE" }]
 *     }))
 *   })
 * ```
 */
import * as Errors from "@social-messaging/domain/Errors"
import type * as Ids from "@social-messaging/domain/Ids"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import type * as Tagging from "@social-messaging/domain/Tagging"
import type * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import type * as Array from "effect/Array"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as SocialMessaging from "./SocialMessaging.js"

const operation = "AssociateWhatsAppBusinessAccount"

// =============================================================================
// Step 1
// =============================================================================

/** Step 1's input: Meta's embedded-signup access token (single use) and, optionally, the callback URL. */
export interface Callback {
  readonly accessToken: Redacted.Redacted<string>
  readonly callbackUrl?: string | undefined
}

/** A WABA whose setup step 1 reported incomplete, with the phone numbers still to register. */
export interface IncompleteAccount {
  /** Meta's id of the WABA (the key of `linkedAccountsWithIncompleteSetup`; `waba.id` in step 2). */
  readonly metaWabaId: string
  /** AWS's id of the WABA, when step 1 already gave one. */
  readonly linkedWabaId: Option.Option<Ids.LinkedWhatsAppBusinessAccountId>
  readonly accountName: Option.Option<string>
  readonly registrationStatus: Option.Option<LinkedAccounts.RegistrationStatusOutput>
  readonly unregisteredNumbers: ReadonlyArray<LinkedAccounts.WhatsAppPhoneNumberDetail>
}

/**
 * How long an in-progress token is assumed to stay valid. AWS documents no lifetime for it (its API
 * reference only says step 1 generates it for step 2); the sandbox expires it after 15 minutes, and so does
 * `expiresAt` by default. Treat it as an estimate: finish promptly.
 */
export const defaultTokenLifetime: Duration.Duration = Duration.minutes(15)

/** Not exported: only this module can name the constructor's first parameter, so only it makes a `Started`. */
const StartedKey: unique symbol = Symbol("@social-messaging/http-client/Signup/Started")

/**
 * Step 1's result: what step 2 needs. Made only by `start` (or `resume`, for a token saved earlier), never
 * by hand, so `finish` cannot be called without it.
 */
export class Started {
  readonly _tag = "SignupStarted"
  /** Makes the class nominal: a structurally equal object literal is not a `Started`. */
  readonly [StartedKey]: typeof StartedKey
  constructor(
    key: typeof StartedKey,
    /** The associate-in-progress token (secret). */
    readonly token: Redacted.Redacted<string>,
    /** The WABAs with incomplete setup (none when resumed from a saved token). */
    readonly accounts: ReadonlyArray<IncompleteAccount>,
    readonly receivedAt: DateTime.Utc,
    /** `receivedAt` plus the assumed lifetime (see `defaultTokenLifetime`). */
    readonly expiresAt: DateTime.Utc,
    /** Step 1's whole answer, as decoded (`{}` when resumed from a saved token). */
    readonly output: WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput
  ) {
    this[StartedKey] = key
  }
}

/** The caller's `saveToken` failed: the token did not reach its store, so it is handed back here. */
export class TokenNotSaved<E> extends Data.TaggedError("SignupTokenNotSaved")<{
  readonly cause: E
  /** The token, so it is not lost (`Redacted`: it prints as `<redacted>`). */
  readonly token: Redacted.Redacted<string>
}> {
  override get message(): string {
    return "the associate-in-progress token could not be saved; it is held in this error's `token`"
  }
}

/** Options of `start`. */
export interface StartOptions<E, R> {
  /**
   * Where the in-progress token goes, as soon as the answer is read (before the rest of it is decoded); e.g.
   * a file created 0600 before step 1 is sent. Called once per successful step 1.
   */
  readonly saveToken: (token: Redacted.Redacted<string>) => Effect.Effect<void, E, R>
  /** The token lifetime `expiresAt` assumes; default `defaultTokenLifetime`. */
  readonly tokenLifetime?: Duration.DurationInput | undefined
}

/** The token in an answer's raw JSON, if it holds one (read leniently: nothing else in the answer matters). */
const tokenInAnswer = Schema.decodeUnknownOption(
  Schema.Struct({
    signupCallbackResult: Schema.Struct({ associateInProgressToken: Schema.NonEmptyString })
  })
)

const toAccounts = (
  incomplete: WhatsAppSignup.LinkedAccountWithIncompleteSetup | undefined
): ReadonlyArray<IncompleteAccount> =>
  Object.entries(incomplete ?? {}).map(([metaWabaId, meta]): IncompleteAccount => ({
    metaWabaId,
    linkedWabaId: Option.fromNullable(meta.wabaId),
    accountName: Option.fromNullable(meta.accountName),
    registrationStatus: Option.fromNullable(meta.registrationStatus),
    unregisteredNumbers: meta.unregisteredWhatsAppPhoneNumbers ?? []
  }))

const makeStarted = (
  token: Redacted.Redacted<string>,
  output: WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
  lifetime: Duration.DurationInput | undefined,
  receivedAt?: DateTime.Utc
): Effect.Effect<Started> =>
  Effect.map(
    receivedAt === undefined ? DateTime.now : Effect.succeed(receivedAt),
    (now) =>
      new Started(
        StartedKey,
        token,
        toAccounts(output.signupCallbackResult?.linkedAccountsWithIncompleteSetup),
        now,
        DateTime.addDuration(now, lifetime ?? defaultTokenLifetime),
        output
      )
  )

/**
 * Step 1: sends the signup callback and returns what step 2 needs. The in-progress token goes to
 * `saveToken` first, from the answer's JSON as soon as it is read; if `saveToken` fails, the call fails with
 * `TokenNotSaved` holding the token. An answer without a token is a `MalformedResponse`.
 */
export const start = <E = never, R = never>(
  callback: Callback,
  options: StartOptions<E, R>
): Effect.Effect<
  Started,
  Errors.AssociateWhatsAppBusinessAccountError | TokenNotSaved<E>,
  SocialMessaging.SocialMessaging | R
> =>
  Effect.gen(function*() {
    const client = yield* SocialMessaging.SocialMessaging
    const context = yield* Effect.context<R>()
    const saved = yield* Ref.make(Option.none<readonly [Redacted.Redacted<string>, Exit.Exit<void, E>]>())
    const save = (token: Redacted.Redacted<string>) =>
      Effect.flatMap(
        Effect.exit(Effect.provide(options.saveToken(token), context)),
        (exit) => Ref.set(saved, Option.some([token, exit] as const))
      )
    const observer: SocialMessaging.AnswerObserver = (name, json) =>
      name !== operation
        ? Effect.void
        : Effect.flatMap(Ref.get(saved), (already) =>
          Option.isSome(already)
            ? Effect.void
            : Option.match(tokenInAnswer(json), {
              onNone: () => Effect.void,
              onSome: (answer) => save(Redacted.make(answer.signupCallbackResult.associateInProgressToken))
            }))
    const request: WhatsAppSignup.SignupCallbackRequest = {
      signupCallback: {
        accessToken: callback.accessToken,
        ...(callback.callbackUrl === undefined ? {} : { callbackUrl: callback.callbackUrl })
      }
    }
    const result = yield* Effect.exit(
      client.associateWhatsAppBusinessAccount(request).pipe(SocialMessaging.withAnswerObserver(observer))
    )
    // A service that shows no raw answer (a test double) still hands the decoded token over, once.
    if (Exit.isSuccess(result) && Option.isNone(yield* Ref.get(saved))) {
      const token = result.value.signupCallbackResult?.associateInProgressToken
      if (token !== undefined && Redacted.value(token) !== "") yield* save(token)
    }
    const stored = yield* Ref.get(saved)
    if (Option.isSome(stored)) {
      const [token, exit] = stored.value
      // A failed save hands the token back in the error; a defect of `saveToken` stays a defect.
      yield* Effect.mapError(exit, (cause) => new TokenNotSaved({ cause, token }))
    }
    const output = yield* result
    if (Option.isNone(stored)) {
      return yield* new Errors.MalformedResponse({
        operation,
        status: 200,
        bodyExcerpt: "",
        detail: "the signup callback answer holds no associateInProgressToken"
      })
    }
    return yield* makeStarted(stored.value[0], output, options.tokenLifetime)
  })

/**
 * A `Started` from an in-progress token saved earlier (e.g. by the CLI's `--step signup`), with no incomplete
 * accounts known: for running step 2 in another process. `receivedAt` is now unless given.
 */
export const resume = (
  token: Redacted.Redacted<string>,
  options: { readonly receivedAt?: DateTime.Utc | undefined; readonly tokenLifetime?: Duration.DurationInput } = {}
): Effect.Effect<Started> => makeStarted(token, {}, options.tokenLifetime, options.receivedAt)

// =============================================================================
// Step 2
// =============================================================================

/** One phone number to register: its id from step 1, its two-factor PIN (six digits), where Meta keeps its data. */
export interface NumberSetup {
  readonly id: Ids.WhatsAppPhoneNumber | string
  readonly twoFactorPin: Redacted.Redacted<string>
  readonly dataLocalizationRegion?: string | undefined
  readonly tags?: Tagging.TagList | undefined
}

/** Step 2 links the WABA itself (`setupFinalization.waba`). */
export interface LinkWaba {
  readonly _tag: "LinkWaba"
  /** Meta's id of the WABA (`IncompleteAccount.metaWabaId`). */
  readonly wabaId?: Ids.WhatsAppBusinessAccountId | string | undefined
  readonly phoneNumbers: Array.NonEmptyReadonlyArray<NumberSetup>
  /** ARNs as plain strings or branded: validated against the model by `finish`. */
  readonly eventDestinations?: typeof LinkedAccounts.WhatsAppBusinessAccountEventDestinations.Encoded | undefined
  readonly tags?: Tagging.TagList | undefined
}

/** Step 2 adds numbers to a WABA linked before (`setupFinalization.phoneNumberParent`). */
export interface AddNumbers {
  readonly _tag: "AddNumbers"
  /** AWS's id or ARN of the linked WABA. */
  readonly parent: Ids.LinkedWhatsAppBusinessAccountId | string
  readonly phoneNumbers: Array.NonEmptyReadonlyArray<NumberSetup>
}

/** What step 2 does: one of the two, never both (the API's rule). */
export type Choice = LinkWaba | AddNumbers

/** Link the WABA with these numbers (and its event destination and tags). */
export const linkWaba = (choice: Omit<LinkWaba, "_tag">): LinkWaba => ({ _tag: "LinkWaba", ...choice })

/** Add these numbers to an already linked WABA. */
export const addNumbers = (choice: Omit<AddNumbers, "_tag">): AddNumbers => ({ _tag: "AddNumbers", ...choice })

/** The wire form of a choice (ids as given: the schema validates them before anything is sent). */
const finalization = (started: Started, choice: Choice) => ({
  associateInProgressToken: Redacted.value(started.token),
  phoneNumbers: choice.phoneNumbers.map((number) => ({
    id: number.id,
    twoFactorPin: Redacted.value(number.twoFactorPin),
    ...(number.dataLocalizationRegion === undefined ? {} : { dataLocalizationRegion: number.dataLocalizationRegion }),
    ...(number.tags === undefined ? {} : { tags: number.tags })
  })),
  ...(choice._tag === "AddNumbers"
    ? { phoneNumberParent: choice.parent }
    : {
      waba: {
        ...(choice.wabaId === undefined ? {} : { id: choice.wabaId }),
        ...(choice.eventDestinations === undefined ? {} : { eventDestinations: choice.eventDestinations }),
        ...(choice.tags === undefined ? {} : { tags: choice.tags })
      }
    })
})

/**
 * Step 2: sends the setup finalization for `started` (step 1's result) and the caller's choice. Ids, PINs and
 * regions are validated against the model first (a `RequestValidationError` names each bad one; nothing is
 * sent). Returns AWS's answer (`linkedWhatsAppBusinessAccountId` when AWS gives it).
 */
export const finish = (
  started: Started,
  choice: Choice
): Effect.Effect<
  WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
  Errors.AssociateWhatsAppBusinessAccountError,
  SocialMessaging.SocialMessaging
> =>
  Effect.gen(function*() {
    const client = yield* SocialMessaging.SocialMessaging
    const input = yield* Operations.decodeInput(Operations.AssociateWhatsAppBusinessAccount, {
      setupFinalization: finalization(started, choice)
    })
    return yield* client.associateWhatsAppBusinessAccount(input)
  })
