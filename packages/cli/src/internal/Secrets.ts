/**
 * Secrets on the command line: Meta's access token, the two-factor PINs and the associate-in-progress
 * token. Each comes from (first found) `--NAME` (a value, `file://path` or `-`; a plain value is accepted
 * with a warning, since argv is visible to other users and kept in shell history), `--NAME-file PATH|-`,
 * `--NAME-env VARIABLE`, the default variable, or a hidden prompt when the terminal is interactive.
 *
 * Values stay `Redacted`. `reveal` is the one place the CLI unwraps them: to hand the wire-form input to
 * `Operations.decodeInput`, which wraps them again.
 */
import { Options } from "@effect/cli"
import type * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { Config, Console, Effect, Option, Redacted, Ref, type Scope } from "effect"
import { InputError } from "./CliError.js"
import type { CliEnvironment } from "./Environment.js"
import * as Input from "./Input.js"

/** One secret the CLI accepts, and its flags. */
export interface Spec {
  /** Flag stem, e.g. `access-token` → `--access-token`, `--access-token-file`, `--access-token-env`. */
  readonly flag: string
  /** The variable read when no flag is given, e.g. `SOCIAL_MESSAGING_ACCESS_TOKEN`. */
  readonly variable: string
  /** What it is, for help and messages ("Meta's access token"). */
  readonly label: string
}

/** Where a value was given. */
type Given =
  | { readonly _tag: "Argv"; readonly value: Redacted.Redacted<string> }
  | { readonly _tag: "Variable"; readonly value: Redacted.Redacted<string> }

/** The parsed flags of one secret. */
export interface Flags {
  readonly spec: Spec
  readonly given: Option.Option<Given>
  readonly file: Option.Option<string>
  readonly env: Option.Option<string>
}

/** The three flags of a secret (the first falls back to the default variable, through `Config`). */
export const options = (spec: Spec): Options.Options<Flags> =>
  Options.all({
    given: Options.redacted(spec.flag).pipe(
      Options.withPseudoName("VALUE|file://PATH|-"),
      Options.map((value): Given => ({ _tag: "Argv", value })),
      Options.withFallbackConfig(
        Config.redacted(spec.variable).pipe(Config.map((value): Given => ({ _tag: "Variable", value })))
      ),
      Options.withDescription(
        `${spec.label}: file://PATH, - (standard input), or the value itself (discouraged: visible in the process ` +
          `list and shell history; a warning is printed). Default: the ${spec.variable} environment variable.`
      ),
      Options.optional
    ),
    file: Options.text(`${spec.flag}-file`).pipe(
      Options.withPseudoName("PATH"),
      Options.withDescription(`Read ${spec.label} from this file (- for standard input).`),
      Options.optional
    ),
    env: Options.text(`${spec.flag}-env`).pipe(
      Options.withDescription(`Read ${spec.label} from this environment variable.`),
      Options.withPseudoName("VARIABLE"),
      Options.optional
    )
  }).pipe(Options.map((flags) => ({ spec, ...flags })))

const trimmed = (flag: string, label: string, text: string): Effect.Effect<Redacted.Redacted<string>, InputError> => {
  const value = text.trim()
  return value === ""
    ? Effect.fail(new InputError({ detail: `${flag}: ${label} is empty` }))
    : Effect.succeed(Redacted.make(value))
}

/**
 * The secret from its flags, or `None` when none was given (the caller prompts or fails). A value typed
 * into argv is accepted with a warning on standard error.
 */
export const resolve = (
  flags: Flags
): Effect.Effect<Option.Option<Redacted.Redacted<string>>, InputError, FileSystem.FileSystem | CliEnvironment> =>
  Effect.gen(function*() {
    const { spec } = flags
    const flag = `--${spec.flag}`
    const argv = Option.filter(flags.given, (given) => given._tag === "Argv")
    if (Option.isSome(argv)) {
      const { origin, text } = yield* Input.readValue(flag, Redacted.value(argv.value.value))
      if (origin === "argv") yield* warnArgv(flag, spec)
      return Option.some(yield* trimmed(flag, spec.label, text))
    }
    if (Option.isSome(flags.file)) {
      const path = flags.file.value.startsWith("file://") ? flags.file.value.slice("file://".length) : flags.file.value
      return Option.some(yield* trimmed(`${flag}-file`, spec.label, yield* Input.readFile(`${flag}-file`, path)))
    }
    if (Option.isSome(flags.env)) {
      const name = flags.env.value
      const value = yield* Config.redacted(name).pipe(
        Effect.mapError(() => new InputError({ detail: `${flag}-env: the environment variable ${name} is not set` }))
      )
      return Option.some(yield* trimmed(`${flag}-env`, spec.label, Redacted.value(value)))
    }
    return Option.map(flags.given, (given) => given.value)
  })

/** The warning for a secret typed into argv (standard error; the value is never shown). */
export const warnArgv = (flag: string, spec: Spec) =>
  Console.error(
    `warning: ${flag} was given on the command line, where other users and the shell history can see it; ` +
      `prefer ${flag} file://PATH, ${flag} - (standard input), ${flag}-file, ${flag}-env or ${spec.variable}`
  )

/** Unwraps a secret to put it into a wire-form input for `Operations.decodeInput` (which re-wraps it). */
export const reveal = (secret: Redacted.Redacted<string>): string => Redacted.value(secret)

/** The secrets of `associate-whatsapp-business-account`. */
export const accessToken: Spec = {
  flag: "access-token",
  variable: "SOCIAL_MESSAGING_ACCESS_TOKEN",
  label: "Meta's access token (from embedded signup)"
}
export const pin: Spec = {
  flag: "pin",
  variable: "SOCIAL_MESSAGING_PIN",
  label: "the two-factor PIN (one PIN for every number, or ID=PIN pairs separated by commas or newlines)"
}
export const associateInProgressToken: Spec = {
  flag: "associate-in-progress-token",
  variable: "SOCIAL_MESSAGING_ASSOCIATE_IN_PROGRESS_TOKEN",
  label: "the associate-in-progress token (from step 1)"
}

/** A PIN source: one PIN for every number, or `ID=PIN` pairs (commas or newlines between them). */
export interface Pins {
  readonly all: Option.Option<Redacted.Redacted<string>>
  readonly byId: ReadonlyMap<string, Redacted.Redacted<string>>
}

/** Splits a PIN source; a malformed pair is an `InputError` that never shows the PIN. */
export const parsePins = (secret: Redacted.Redacted<string>): Effect.Effect<Pins, InputError> => {
  const text = Redacted.value(secret)
  if (!text.includes("=")) return Effect.succeed({ all: Option.some(secret), byId: new Map() })
  const byId = new Map<string, Redacted.Redacted<string>>()
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p !== "")) {
    const eq = part.indexOf("=")
    if (eq <= 0 || eq === part.length - 1) {
      return Effect.fail(
        new InputError({ detail: "--pin: expected one PIN, or ID=PIN pairs (the value is not shown)" })
      )
    }
    byId.set(part.slice(0, eq).trim(), Redacted.make(part.slice(eq + 1).trim()))
  }
  return Effect.succeed({ all: Option.none(), byId })
}

/** A file created for a secret before the call that produces the secret is sent (see `openSecretFile`). */
export interface SecretFile {
  readonly path: string
  /** Writes the secret and a newline, and flushes it to disk. */
  readonly write: (secret: Redacted.Redacted<string>) => Effect.Effect<void, InputError>
}

const cannotCreate = (flag: string, path: string, error: PlatformError.PlatformError): InputError =>
  new InputError({
    detail: error._tag === "SystemError" && error.reason === "AlreadyExists"
      ? `${flag}: ${path} already exists and is not overwritten (an existing file keeps its permissions, which ` +
        "may let other users read the secret); choose a new path or remove the file first. Nothing was sent"
      : `${flag}: cannot create ${path}: ${error.message}. Nothing was sent`
  })

/**
 * Creates the file for a secret now: exclusively (an existing file is an `InputError`, never overwritten)
 * and readable by its owner only (mode 0600), so an unusable path fails before the call that produces the
 * secret is sent. If the scope closes before `write` succeeded, the empty file is removed again.
 */
export const openSecretFile = (
  flag: string,
  path: string
): Effect.Effect<SecretFile, InputError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // `wx`: the mode applies only to a file this call creates, so an existing one must not be reused.
    const file = yield* fs.open(path, { flag: "wx", mode: 0o600 }).pipe(
      Effect.mapError((error) => cannotCreate(flag, path, error))
    )
    const written = yield* Ref.make(false)
    // Added after the handle's own finalizer, so it runs first: the file is removed, then closed.
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Ref.get(written), (done) =>
        done
          ? Effect.void
          : fs.remove(path).pipe(
            Effect.catchAll((error) =>
              Console.error(`warning: ${flag}: could not remove the unused file ${path}: ${error.message}`)
            )
          ))
    )
    return {
      path,
      write: (secret) =>
        file.writeAll(new TextEncoder().encode(`${Redacted.value(secret)}\n`)).pipe(
          Effect.zipRight(file.sync),
          Effect.zipRight(Ref.set(written, true)),
          Effect.mapError((error) => new InputError({ detail: `${flag}: cannot write ${path}: ${error.message}` }))
        )
    }
  })
