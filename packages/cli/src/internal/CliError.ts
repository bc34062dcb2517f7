/**
 * The CLI's own failures (besides the library's `SocialMessagingError` union and @effect/cli's
 * `ValidationError`), and the exit codes of the AWS CLI they map to.
 */
import { Schema } from "effect"

/**
 * The command line could not be turned into a request: unreadable `--cli-input-json`, bad shorthand,
 * a secret with no source. Nothing was sent; exit code 252, as for client-side validation.
 */
export class InputError extends Schema.TaggedError<InputError>()("InputError", {
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/**
 * A part of the CLI loaded on demand (the session, the HTTP client) could not be imported: an incomplete
 * installation. Exit code 255.
 */
export class LoadError extends Schema.TaggedError<LoadError>()("LoadError", {
  /** What was being loaded, e.g. "the HTTP client (@effect/platform-node/NodeHttpClient)". */
  what: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `cannot load ${this.what}: ${this.detail} (the installation looks incomplete; reinstall the CLI)`
  }
}

/** What a rejected `import()` says, for `LoadError.detail`. */
export const describeCause = (cause: unknown): string =>
  cause instanceof Error ? cause.message : typeof cause === "string" ? cause : String(cause)

/** The handler has printed what went wrong; the process exits with `code`. */
export class ExitCode extends Schema.TaggedError<ExitCode>()("ExitCode", {
  code: Schema.Number
}) {}

/** The AWS CLI's exit codes. */
export const exitCodes = {
  success: 0,
  /** Interrupted at a prompt (Ctrl-C / Ctrl-D), as a shell reports SIGINT. */
  interrupted: 130,
  /** Invalid parameters: client-side validation failed, nothing was sent (also command-line parse errors). */
  invalidParameters: 252,
  /** Invalid configuration or credentials. */
  invalidConfiguration: 253,
  /** The service returned an error. */
  serviceError: 254,
  /** Anything else: transport failures, time-outs, unreadable responses. */
  other: 255
} as const
