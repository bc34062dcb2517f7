/**
 * `associate-whatsapp-business-account`: the guided two-step association (signup callback, then setup
 * finalization), interactive on a terminal and scriptable with flags; or one raw call with
 * `--cli-input-json`.
 */
import { Command, HelpDoc, Options, Prompt } from "@effect/cli"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Terminal from "@effect/platform/Terminal"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import * as Tagging from "@social-messaging/domain/Tagging"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Signup from "@social-messaging/http-client/Signup"
import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
import { Array, Effect, Option, Predicate, Redacted, Schema, type Scope, Stream } from "effect"
import { InputError } from "./CliError.js"
import { CliEnvironment } from "./Environment.js"
import { optionalText, repeatedText } from "./Flags.js"
import * as Input from "./Input.js"
import * as OperationCommand from "./OperationCommand.js"
import * as Output from "./Output.js"
import * as Secrets from "./Secrets.js"
import * as Session from "./Session.js"

const Associate = Operations.AssociateWhatsAppBusinessAccount
const GetLinked = Operations.GetLinkedWhatsAppBusinessAccount

/** The flags of the guided flow. */
const flags = {
  step: Options.choice("step", ["signup", "finalize"]).pipe(
    Options.withDescription("Run one step only: signup (step 1) or finalize (step 2). Default: both, in one go."),
    Options.optional
  ),
  accessToken: Secrets.options(Secrets.accessToken),
  callbackUrl: optionalText(
    "callback-url",
    "URL",
    "Step 1: URL where WhatsApp sends callback notifications (member callbackUrl)."
  ),
  inProgressToken: Secrets.options(Secrets.associateInProgressToken),
  inProgressTokenOutput: optionalText(
    "associate-in-progress-token-output",
    "PATH",
    "Step 1: create this file (it must not exist; mode 0600) before step 1 is sent and write the " +
      "associate-in-progress token to it, for a later --step finalize. Required with --step signup and with a " +
      "step-1 --cli-input-json (the output shows the token only as <redacted>)."
  ),
  wabaId: optionalText(
    "waba-id",
    "ID",
    "Step 2: the WABA to link (member waba.id); default: the only WABA step 1 listed, or a prompt."
  ),
  phoneNumberIds: repeatedText(
    "phone-number-ids",
    "IDS",
    "Step 2: ids of the phone numbers to register, comma-separated (members phoneNumbers[].id); default: a " +
      "prompt, or every unregistered number step 1 listed."
  ),
  pin: Secrets.options(Secrets.pin),
  dataLocalizationRegion: repeatedText(
    "data-localization-region",
    "CC",
    "Step 2: where Meta stores each number's data, as a two-letter country code in capitals: CC for every number, " +
      "or ID=CC pairs, comma-separated (members phoneNumbers[].dataLocalizationRegion); default: a prompt per " +
      "number on a terminal, else none."
  ),
  eventDestinationArn: optionalText(
    "event-destination-arn",
    "ARN",
    "Step 2: where the WABA's events go, e.g. an SNS topic ARN (member waba.eventDestinations)."
  ),
  roleArn: optionalText("role-arn", "ARN", "Step 2: IAM role AWS assumes to deliver the events (member roleArn)."),
  tags: repeatedText(
    "tags",
    "TAG",
    "Step 2: tags, key=K,value=V (repeatable) or K=V[,K=V…]: on the new WABA, or on the numbers with --phone-number-parent."
  ),
  phoneNumberParent: optionalText(
    "phone-number-parent",
    "ID",
    "Step 2: add the numbers to this already linked WABA (waba-… or ARN) instead of linking a new one."
  )
}

// =============================================================================
// Prompts
// =============================================================================

/** A secret from its flags, else a hidden prompt on a terminal, else an `InputError` naming the flags. */
const secretOrPrompt = (
  secretFlags: Secrets.Flags,
  interactive: boolean,
  message: string
): Effect.Effect<
  Redacted.Redacted<string>,
  InputError | Terminal.QuitException,
  Prompt.Prompt.Environment | CliEnvironment
> =>
  Effect.gen(function*() {
    const given = yield* Secrets.resolve(secretFlags)
    if (Option.isSome(given)) return given.value
    if (interactive) return yield* Prompt.run(Prompt.hidden({ message, validate: nonEmpty }))
    const { flag, label, variable } = secretFlags.spec
    return yield* new InputError({
      detail: `${label} is required: pass --${flag}-file PATH, --${flag}-env VARIABLE, ` +
        `--${flag} file://PATH or - (standard input), or set ${variable}`
    })
  })

const nonEmpty = (
  value: string
) => (value.trim() === "" ? Effect.fail("a value is required") : Effect.succeed(value.trim()))

/** An optional text: the flag, else (on a terminal) a prompt where empty means none. */
const textOrPrompt = (
  given: Option.Option<string>,
  interactive: boolean,
  message: string
): Effect.Effect<Option.Option<string>, Terminal.QuitException, Prompt.Prompt.Environment> =>
  Option.isSome(given) || !interactive
    ? Effect.succeed(given)
    : Effect.map(
      Prompt.run(Prompt.text({ message, default: "" })),
      (answer) => (answer.trim() === "" ? Option.none() : Option.some(answer.trim()))
    )

// =============================================================================
// Step 1
// =============================================================================

type IncompleteSetup = WhatsAppSignup.LinkedAccountWithIncompleteSetup

/** Tags as parsed from the flags, checked against the model's tag shape (lengths are checked by the call). */
const decodeTags = (tags: ReadonlyArray<unknown>) =>
  Schema.decodeUnknown(Tagging.TagList)(tags).pipe(
    Effect.map(Option.some),
    Effect.mapError(() => new InputError({ detail: "--tags: expected key=K,value=V or K=V pairs" }))
  )
type Candidate = readonly [metaWabaId: string, metadata: WhatsAppSignup.LinkedWhatsAppBusinessAccountIdMetaData]

/** What step 1 shows on standard error: the WABAs with incomplete setup and their unregistered numbers. */
const showIncompleteSetup = (incomplete: IncompleteSetup) => {
  const entries: ReadonlyArray<Candidate> = Object.entries(incomplete)
  if (entries.length === 0) return Output.note("No WhatsApp Business Account with incomplete setup.")
  const wabas = entries.map(([metaId, meta]) => [
    metaId,
    meta.accountName ?? "",
    meta.registrationStatus ?? "",
    meta.wabaId ?? ""
  ])
  const numbers = entries.flatMap(([metaId, meta]) =>
    (meta.unregisteredWhatsAppPhoneNumbers ?? []).map((detail) => [
      metaId,
      registrationId(detail),
      detail.displayPhoneNumber,
      detail.displayPhoneNumberName,
      detail.qualityRating
    ])
  )
  return Output.note(
    [
      "WhatsApp Business Accounts with incomplete setup:",
      ...Output.box([["WABA (Meta id)", "Name", "Status", "Linked as"], ...wabas], true),
      "Unregistered phone numbers:",
      ...(numbers.length === 0
        ? ["  (none)"]
        : Output.box([["WABA (Meta id)", "Phone number id", "Number", "Display name", "Quality"], ...numbers], true))
    ].join("\n")
  )
}

/** The phone number id step 2 takes for an unregistered number (AWS documents `phone-number-id-…`). */
const registrationId = (detail: LinkedAccounts.WhatsAppPhoneNumberDetail): string => detail.phoneNumberId

// =============================================================================
// Step 2
// =============================================================================

const chooseWaba = (
  given: Option.Option<string>,
  candidates: ReadonlyArray<Candidate>,
  interactive: boolean
): Effect.Effect<Option.Option<Candidate | string>, InputError | Terminal.QuitException, Prompt.Prompt.Environment> => {
  if (Option.isSome(given)) {
    return Effect.succeed(
      Option.some(
        candidates.find(([metaId, meta]) => metaId === given.value || meta.wabaId === given.value) ?? given.value
      )
    )
  }
  const [first, ...rest] = candidates
  if (first === undefined) return Effect.succeed(Option.none())
  if (rest.length === 0) return Effect.succeed(Option.some(first))
  if (!interactive) {
    return Effect.fail(
      new InputError({
        detail: `--waba-id: step 1 listed several WABAs; choose one of ${candidates.map(([id]) => id).join(", ")}`
      })
    )
  }
  return Effect.map(
    Prompt.run(
      Prompt.select({
        message: "Which WhatsApp Business Account do you want to link?",
        choices: candidates.map((candidate) => ({
          title: `${candidate[1].accountName ?? candidate[0]} (${candidate[0]})`,
          value: candidate
        }))
      })
    ),
    Option.some
  )
}

const choosePhoneNumbers = (
  given: ReadonlyArray<string>,
  waba: Option.Option<Candidate | string>,
  interactive: boolean
): Effect.Effect<ReadonlyArray<string>, InputError | Terminal.QuitException, Prompt.Prompt.Environment> => {
  const listed = given.flatMap((value) => value.split(",")).map((id) => id.trim()).filter((id) => id !== "")
  if (listed.length > 0) return Effect.succeed(listed)
  const unregistered = Option.match(waba, {
    onNone: () => [],
    onSome: (choice) => (typeof choice === "string" ? [] : choice[1].unregisteredWhatsAppPhoneNumbers ?? [])
  })
  if (interactive) {
    if (unregistered.length > 0) {
      return Prompt.run(
        Prompt.multiSelect({
          message: "Which phone numbers do you want to register?",
          choices: unregistered.map((detail) => ({
            title: `${detail.displayPhoneNumber} ${detail.displayPhoneNumberName} (${registrationId(detail)})`,
            value: registrationId(detail),
            selected: true
          }))
        })
      ).pipe(
        Effect.filterOrFail(
          (ids) => ids.length > 0,
          () => new InputError({ detail: "no phone number was chosen" })
        )
      )
    }
    return Effect.map(
      Prompt.run(
        Prompt.text({ message: "Ids of the phone numbers to register (comma-separated)", validate: nonEmpty })
      ),
      (answer) => answer.split(",").map((id) => id.trim()).filter((id) => id !== "")
    )
  }
  if (unregistered.length > 0) return Effect.succeed(unregistered.map(registrationId))
  return Effect.fail(new InputError({ detail: "--phone-number-ids: which phone numbers should be registered?" }))
}

/** One PIN per number: from the PIN source (one for all, or ID=PIN), else a hidden prompt per number. */
const pinsFor = (
  pinFlags: Secrets.Flags,
  ids: ReadonlyArray<string>,
  interactive: boolean
): Effect.Effect<
  ReadonlyArray<Redacted.Redacted<string>>,
  InputError | Terminal.QuitException,
  Prompt.Prompt.Environment | CliEnvironment
> =>
  Effect.gen(function*() {
    const source = yield* Secrets.resolve(pinFlags)
    const pins = yield* Option.match(source, {
      onNone: () => Effect.succeed<Secrets.Pins>({ all: Option.none(), byId: new Map() }),
      onSome: Secrets.parsePins
    })
    return yield* Effect.forEach(ids, (id): Effect.Effect<
      Redacted.Redacted<string>,
      InputError | Terminal.QuitException,
      Prompt.Prompt.Environment
    > => {
      const known = Option.orElse(Option.fromNullable(pins.byId.get(id)), () => pins.all)
      if (Option.isSome(known)) return Effect.succeed(known.value)
      if (interactive) {
        return Prompt.run(
          Prompt.hidden({
            message: `Two-factor PIN for ${id} (6 digits)`,
            validate: (
              value
            ) => (/^\d{6}$/.test(value.trim()) ? Effect.succeed(value.trim()) : Effect.fail("enter 6 digits"))
          })
        )
      }
      return Effect.fail(
        new InputError({
          detail: `no two-factor PIN for ${id}: pass --pin-file PATH, --pin-env VARIABLE, --pin file://PATH or - ` +
            `(standard input), or set ${Secrets.pin.variable}`
        })
      )
    })
  })

/** One region (or none) per number: from the flag (one for all, or ID=CC), else an optional prompt per number. */
const regionsFor = (
  given: ReadonlyArray<string>,
  ids: ReadonlyArray<string>,
  interactive: boolean
): Effect.Effect<
  ReadonlyArray<Option.Option<string>>,
  InputError | Terminal.QuitException,
  Prompt.Prompt.Environment
> =>
  Effect.gen(function*() {
    const regions = yield* Input.parseRegions("--data-localization-region", given, ids)
    return yield* Effect.forEach(ids, (id) => {
      const known = Option.orElse(Option.fromNullable(regions.byId.get(id)), () => regions.all)
      if (Option.isSome(known) || !interactive) return Effect.succeed(known)
      return Effect.map(
        Prompt.run(
          Prompt.text({
            message: `Data localization region for ${id}, a two-letter country code such as DE or IN (empty: none)`,
            default: "",
            validate: (value) =>
              value.trim() === "" || Input.isCountryCode(value.trim())
                ? Effect.succeed(value.trim())
                : Effect.fail("two capital letters, such as DE, or empty for none")
          })
        ),
        (answer) => (answer === "" ? Option.none() : Option.some(answer))
      )
    })
  })

/** The linked account's id after step 2: as AWS returned it, the parent, or found by Meta WABA id in the list. */
const linkedAccountId = (
  session: Session.Session,
  returned: Option.Option<string>,
  metaWabaId: Option.Option<string>
) =>
  Option.isSome(returned) || Option.isNone(metaWabaId)
    ? Effect.succeed(returned)
    : session.run(
      session.client.listLinkedWhatsAppBusinessAccountsStream().pipe(
        Stream.filter((account) => account.wabaId === metaWabaId.value || account.id === metaWabaId.value),
        Stream.runHead,
        Effect.map(Option.map((account): string => account.id))
      )
    )

// =============================================================================
// The flows
// =============================================================================

type Flags = Command.Command.ParseConfig<typeof flags>

interface Context {
  readonly session: Session.Session
  readonly flags: Flags
  readonly interactive: boolean
}

const tokenOutputFlag = "--associate-in-progress-token-output"

/** Whether a run needs the token file: it ends after step 1, runs both steps, or sends no step 1. */
type TokenFileUse =
  | { readonly _tag: "Required"; readonly by: string }
  | { readonly _tag: "Optional" }
  | { readonly _tag: "NotApplicable"; readonly because: string }

/**
 * The file for step 1's associate-in-progress token, created (exclusively, mode 0600) before step 1 is
 * sent: AWS consumes Meta's access token in step 1, so a token that could not be saved afterwards would be
 * lost. When the run ends after step 1, the file is the only way to step 2, since the printed output shows
 * the token as <redacted>: it is required then, except with --dry-run, which sends nothing (a given file is
 * still created, which checks the path, and removed again).
 */
const inProgressTokenFile = (
  { flags, session }: Context,
  use: TokenFileUse
): Effect.Effect<Option.Option<Secrets.SecretFile>, InputError, FileSystem.FileSystem | Scope.Scope> => {
  const given = flags.inProgressTokenOutput
  switch (use._tag) {
    case "NotApplicable":
      return Option.isSome(given)
        ? Effect.fail(new InputError({ detail: `${tokenOutputFlag} applies to step 1 only, and ${use.because}` }))
        : Effect.succeed(Option.none())
    case "Optional":
    case "Required":
      if (Option.isSome(given)) return Effect.map(Secrets.openSecretFile(tokenOutputFlag, given.value), Option.some)
      return use._tag === "Required" && !session.global.dryRun
        ? Effect.fail(
          new InputError({
            detail: `${use.by} needs ${tokenOutputFlag} PATH: step 1 returns the associate-in-progress token that ` +
              "--step finalize needs, the output shows it only as <redacted>, and AWS accepts Meta's access token " +
              "only once, so without the file the token would be lost. Nothing was sent"
          })
        )
        : Effect.succeed(Option.none())
  }
}

/**
 * Where step 1's token goes, as soon as the answer is read (`Signup.start`'s `saveToken`): the file, if there
 * is one. A file that cannot be written fails the run when it ends after step 1 (the file was the only way on);
 * when both steps run, step 2 goes on with the token in memory, with a warning.
 */
const tokenSink = (file: Option.Option<Secrets.SecretFile>) => (token: Redacted.Redacted<string>) =>
  Option.match(file, {
    onNone: () => Effect.void,
    onSome: (file) =>
      file.write(token).pipe(
        Effect.zipRight(Output.note(`The associate-in-progress token was written to ${file.path} (mode 0600).`))
      )
  })

/** Step 1: the signup callback (`Signup.start`). Returns step 1's result for step 2. */
const signup = (
  { flags, interactive, session }: Context,
  tokenFile: Option.Option<Secrets.SecretFile>,
  endsHere: boolean
) =>
  Effect.gen(function*() {
    const accessToken = yield* secretOrPrompt(
      flags.accessToken,
      interactive,
      "Meta access token (from embedded signup)"
    )
    yield* Output.note("Step 1 of 2: sending the signup callback (Meta's access token) to AWS…")
    const started = yield* session.run(
      Signup.start(
        { accessToken, callbackUrl: Option.getOrUndefined(flags.callbackUrl) },
        { saveToken: tokenSink(tokenFile) }
      ).pipe(
        Effect.provideService(SocialMessaging, session.client),
        Effect.catchTag("SignupTokenNotSaved", (error) =>
          endsHere
            ? Effect.fail(error.cause)
            : Effect.zipRight(
              Output.note(`warning: ${error.cause.detail}; step 2 goes on with the token held in memory.`),
              Signup.resume(error.token)
            ))
      )
    )
    yield* showIncompleteSetup(started.output.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {})
    return started
  })

/** What step 2 does, from the flags or asked for: the numbers to register, and the WABA to link or add to. */
const setupChoice = (context: Context, started: Signup.Started) =>
  Effect.gen(function*() {
    const { flags, interactive } = context
    const parent = flags.phoneNumberParent
    if (Option.isSome(parent) && (Option.isSome(flags.eventDestinationArn) || Option.isSome(flags.wabaId))) {
      return yield* new InputError({
        detail: "--phone-number-parent adds numbers to a linked WABA: --waba-id and --event-destination-arn do not " +
          "apply (use put-whatsapp-business-account-event-destinations)"
      })
    }
    const candidates: ReadonlyArray<Candidate> = Object.entries(
      started.output.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {}
    )
    const waba = Option.isSome(parent) ? Option.none() : yield* chooseWaba(flags.wabaId, candidates, interactive)
    const wabaId = Option.map(waba, (choice) => (typeof choice === "string" ? choice : choice[0]))
    const phoneNumberIds = yield* choosePhoneNumbers(flags.phoneNumberIds, waba, interactive)
    const pins = yield* pinsFor(flags.pin, phoneNumberIds, interactive)
    const regions = yield* regionsFor(flags.dataLocalizationRegion, phoneNumberIds, interactive)
    const destination = Option.isSome(parent)
      ? Option.none<string>()
      : yield* textOrPrompt(flags.eventDestinationArn, interactive, "Event destination ARN (empty: none)")
    const role = Option.isNone(destination)
      ? flags.roleArn
      : yield* textOrPrompt(flags.roleArn, interactive, "IAM role ARN for the event destination (empty: none)")
    const tagTexts = flags.tags.length > 0
      ? Option.some(flags.tags)
      : Option.map(yield* textOrPrompt(Option.none(), interactive, "Tags, K=V[,K=V…] (empty: none)"), (text) => [text])
    const tags = yield* Option.match(tagTexts, {
      onNone: () => Effect.succeed(Option.none<Tagging.TagList>()),
      onSome: (texts) => Effect.flatMap(Input.parseTags("--tags", texts), decodeTags)
    })
    const numbers = phoneNumberIds.map((id, i): Signup.NumberSetup => ({
      id,
      twoFactorPin: pins[i] ?? Redacted.make(""),
      dataLocalizationRegion: Option.getOrUndefined(regions[i] ?? Option.none()),
      tags: Option.isSome(parent) ? Option.getOrUndefined(tags) : undefined
    }))
    if (!Array.isNonEmptyReadonlyArray(numbers)) {
      return yield* new InputError({ detail: "--phone-number-ids: which phone numbers should be registered?" })
    }
    const choice: Signup.Choice = Option.match(parent, {
      onSome: (id) => Signup.addNumbers({ parent: id, phoneNumbers: numbers }),
      onNone: () =>
        Signup.linkWaba({
          wabaId: Option.getOrUndefined(wabaId),
          phoneNumbers: numbers,
          eventDestinations: Option.getOrUndefined(
            Option.map(destination, (eventDestinationArn) => [{
              eventDestinationArn,
              ...Option.match(role, { onNone: () => ({}), onSome: (roleArn) => ({ roleArn }) })
            }])
          ),
          tags: Option.getOrUndefined(tags)
        })
    })
    return { choice, parent, wabaId, phoneNumberIds }
  })

/** After step 2: the linked account as GetLinkedWhatsAppBusinessAccount shows it (or step 2's bare output). */
const showLinked = (
  session: Session.Session,
  output: typeof Associate.output.Type,
  linked: Option.Option<string>,
  wabaId: Option.Option<string>
) =>
  Effect.flatMap(linkedAccountId(session, linked, wabaId), (linkedId) =>
    Option.match(linkedId, {
      onNone: () =>
        Output.note("Setup finalized; AWS did not say which account was linked.").pipe(
          Effect.zipRight(Output.printOutput(session.global.output, Associate.output, output, Associate.name))
        ),
      onSome: (id) =>
        Effect.gen(function*() {
          yield* Output.note(`Linked ${id}:`)
          const account = yield* session.run(
            Effect.flatMap(Operations.decodeInput(GetLinked, { id }), session.client.getLinkedWhatsAppBusinessAccount)
          )
          yield* Output.printOutput(session.global.output, GetLinked.output, account, GetLinked.name)
        })
    }))

/** Step 2: the setup finalization, then the linked account. */
const finalize = (context: Context, started: Signup.Started) =>
  Effect.gen(function*() {
    const { session } = context
    const { choice, parent, phoneNumberIds, wabaId } = yield* setupChoice(context, started)
    yield* Output.note(
      `Step 2 of 2: registering ${phoneNumberIds.join(", ")} and ` +
        Option.match(parent, {
          onSome: (id) => `adding them to ${id}…`,
          onNone: () => `linking ${Option.getOrElse(wabaId, () => "the WABA")}…`
        })
    )
    const output = yield* session.run(
      Signup.finish(started, choice).pipe(Effect.provideService(SocialMessaging, session.client))
    )
    const linked = Option.orElse(Option.fromNullable(output.linkedWhatsAppBusinessAccountId), () => parent)
    return yield* showLinked(session, output, linked, wabaId)
  })

/** The guided flow: both steps, or the one `--step` names. */
const guided = (context: Context) =>
  Effect.gen(function*() {
    const { flags, interactive } = context
    const step = Option.getOrElse(flags.step, () => "both" as const)
    if (step === "finalize") {
      yield* inProgressTokenFile(context, { _tag: "NotApplicable", because: "--step finalize runs step 2" })
      const token = yield* secretOrPrompt(
        flags.inProgressToken,
        interactive,
        "Associate-in-progress token (from step 1)"
      )
      return yield* finalize(context, yield* Signup.resume(token))
    }
    const tokenFile = yield* inProgressTokenFile(
      context,
      step === "signup" ? { _tag: "Required", by: "--step signup" } : { _tag: "Optional" }
    )
    const started = yield* signup(context, tokenFile, step === "signup")
    if (step === "signup") {
      return yield* Output.printOutput(context.session.global.output, Associate.output, started.output, Associate.name)
    }
    return yield* finalize(context, started)
  })

/** Whether a JSON document holds a value for a secret member (warned about when it sits in argv). */
const holdsSecret = (document: unknown): boolean =>
  Array.isArray(document)
    ? document.some(holdsSecret)
    : Predicate.isRecord(document) &&
      Object.entries(document).some(([key, value]) =>
        (WhatsAppSignup.secretMembers.has(key) && typeof value === "string") || holdsSecret(value)
      )

/** `--cli-input-json`: one call with exactly that input; secrets it leaves out come from their flags. */
const raw = (context: Context, json: string) =>
  Effect.gen(function*() {
    const { flags, interactive, session } = context
    const { document, origin } = yield* Input.readCliInputJson(Option.some(json))
    if (Option.contains(origin, "argv") && holdsSecret(document)) {
      yield* Output.note(
        "warning: --cli-input-json holds a secret on the command line, where other users and the shell history can " +
          "see it; prefer --cli-input-json file://PATH or - (standard input), or leave the secret out and use its flags"
      )
    }
    const callback = document["signupCallback"]
    const tokenFile = yield* inProgressTokenFile(
      context,
      callback === undefined
        ? { _tag: "NotApplicable", because: "this --cli-input-json has no signupCallback" }
        : { _tag: "Required", by: "--cli-input-json with signupCallback (step 1)" }
    )
    const filled: Record<string, unknown> = { ...document }
    if (Predicate.isRecord(callback) && callback["accessToken"] === undefined) {
      const token = yield* secretOrPrompt(flags.accessToken, interactive, "Meta access token (from embedded signup)")
      filled["signupCallback"] = { ...callback, accessToken: Secrets.reveal(token) }
    }
    const finalization = document["setupFinalization"]
    if (Predicate.isRecord(finalization)) {
      const next: Record<string, unknown> = { ...finalization }
      if (finalization["associateInProgressToken"] === undefined) {
        const token = yield* secretOrPrompt(
          flags.inProgressToken,
          interactive,
          "Associate-in-progress token (from step 1)"
        )
        next["associateInProgressToken"] = Secrets.reveal(token)
      }
      const numbers = finalization["phoneNumbers"]
      if (Array.isArray(numbers)) {
        const missing = numbers.flatMap((entry: unknown) =>
          Predicate.isRecord(entry) && entry["twoFactorPin"] === undefined && typeof entry["id"] === "string"
            ? [entry["id"]]
            : []
        )
        const pins = new Map<string, Redacted.Redacted<string>>()
        if (missing.length > 0) {
          const found = yield* pinsFor(flags.pin, missing, interactive)
          missing.forEach((id, i) => {
            const pin = found[i]
            if (pin !== undefined) pins.set(id, pin)
          })
        }
        next["phoneNumbers"] = numbers.map((entry: unknown) => {
          if (!Predicate.isRecord(entry) || typeof entry["id"] !== "string") return entry
          const pin = pins.get(entry["id"])
          return pin === undefined ? entry : { ...entry, twoFactorPin: Secrets.reveal(pin) }
        })
      }
      filled["setupFinalization"] = next
    }
    const input = yield* Operations.decodeInput(Associate, filled)
    // Step 1 goes through the workflow, so its token reaches the file before the rest of the answer is decoded.
    const output = input.signupCallback === undefined
      ? yield* session.run(session.client.associateWhatsAppBusinessAccount(input))
      : (yield* session.run(
        Signup.start(input.signupCallback, { saveToken: tokenSink(tokenFile) }).pipe(
          Effect.provideService(SocialMessaging, session.client),
          Effect.catchTag("SignupTokenNotSaved", (error) => Effect.fail(error.cause))
        )
      )).output
    yield* Output.printOutput(session.global.output, Associate.output, output, Associate.name)
  })

/** The command's name. */
export const name = "associate-whatsapp-business-account"

/** Its line in the top-level `--help`. */
export const summary =
  "Links a WhatsApp Business Account to this AWS account, guided through both steps (signup, then finalize: " +
  "phone numbers, PINs, data regions) or one call with --cli-input-json (POST /v1/whatsapp/signup)."

/** What `--help` says about the command. */
const description = HelpDoc.blocks([
  HelpDoc.p(
    "Links a WhatsApp Business Account (WABA) to this AWS account in two steps (POST /v1/whatsapp/signup). " +
      "Step 1 (signup) sends Meta's access token and shows the WABAs whose setup is incomplete, with their " +
      "unregistered phone numbers. Step 2 (finalize) registers the numbers you choose, with their two-factor PINs " +
      "and data regions, sets the event destination and tags, links the WABA and shows the linked account."
  ),
  HelpDoc.p(
    "Where the Meta access token comes from: AWS documents this API as the one its console uses. The console's " +
      "embedded signup runs Meta's embedded-signup flow in your browser and passes the token it returns to this " +
      "API; there is no way to obtain one from the command line. The real uses of this command are replaying a " +
      "token captured from the console, adding phone numbers to an already linked WABA (--phone-number-parent with " +
      "--step finalize), and testing against the sandbox (--sandbox)."
  ),
  HelpDoc.p(
    "On a terminal, it asks for whatever the flags do not give (tokens and PINs at hidden prompts). Without one, " +
      "flags and environment variables only: secrets from --NAME-file, --NAME-env, --NAME file://PATH or - " +
      "(standard input), or SOCIAL_MESSAGING_ACCESS_TOKEN, SOCIAL_MESSAGING_PIN, " +
      "SOCIAL_MESSAGING_ASSOCIATE_IN_PROGRESS_TOKEN. With --cli-input-json, one call with exactly that input."
  )
])

/** `associate-whatsapp-business-account`. */
export const command = Command.make(
  name,
  {
    global: Session.globalOptions,
    cliInputJson: OperationCommand.cliInputJson,
    generateCliSkeleton: OperationCommand.generateCliSkeleton,
    ...flags
  },
  ({ cliInputJson, generateCliSkeleton, global, ...rest }) =>
    Effect.gen(function*() {
      if (generateCliSkeleton) return yield* OperationCommand.printSkeleton(Associate)
      const environment = yield* CliEnvironment
      const terminal = yield* Terminal.Terminal
      const interactive = environment.stdinIsTTY && (yield* terminal.isTTY)
      const session = yield* Session.make(global)
      const context: Context = { session, flags: rest, interactive }
      return yield* Option.match(cliInputJson, {
        onNone: () => guided(context),
        onSome: (json) => raw(context, json)
      })
    }).pipe(Effect.scoped, OperationCommand.finish(Associate.name))
).pipe(Command.withDescription(description))
