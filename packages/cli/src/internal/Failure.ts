/**
 * Expected failures become a message on standard error and an AWS CLI exit code: 252 invalid parameters,
 * 253 configuration or credentials, 254 an error from the service, 255 anything else. No stack traces,
 * and no secret: messages are built from error fields that never hold one.
 */
import type { QuitException } from "@effect/platform/Terminal"
import * as Errors from "@social-messaging/domain/Errors"
import { Console, Effect } from "effect"
import { ExitCode, exitCodes, type InputError, type LoadError } from "./CliError.js"
import type { SandboxStartError } from "./SandboxHost.js"

/** Everything a command handler may fail with. */
export type HandlerError = Errors.SocialMessagingError | InputError | LoadError | QuitException | SandboxStartError

const isAwsErrorName = (tag: string): tag is Errors.AwsErrorName => Object.hasOwn(Errors.awsErrorClassifications, tag)

/** The exit code and the message for an error of `operation` (an AWS operation name, or a step). */
export const describe = (
  error: HandlerError,
  operation: string
): { readonly code: number; readonly message: string } => {
  switch (error._tag) {
    case "QuitException":
      return { code: exitCodes.interrupted, message: "Aborted." }
    case "InputError":
      return { code: exitCodes.invalidParameters, message: `Invalid parameters: ${error.detail}` }
    case "RequestValidationError":
      return {
        code: exitCodes.invalidParameters,
        message: [
          `Parameter validation failed (${error.operation}); nothing was sent:`,
          ...error.violations.map((v) => `  ${v.path === "" ? "(input)" : v.path}: ${v.message}`)
        ].join("\n")
      }
    case "ConfigurationError":
      return {
        code: exitCodes.invalidConfiguration,
        message: `Invalid configuration (${error.setting}): ${error.detail}`
      }
    case "CredentialsError":
      return {
        code: exitCodes.invalidConfiguration,
        message: `Unable to use AWS credentials (${error.provider}): ${error.detail}`
      }
    case "UnknownServiceError":
      return {
        code: exitCodes.serviceError,
        message: `An error occurred (${error.errorType}) when calling the ${operation} operation` +
          `${error.awsMessage === undefined ? "" : `: ${error.awsMessage}`} (HTTP ${error.status}` +
          `${error.requestId === undefined ? "" : `, request id ${error.requestId}`})`
      }
    case "SandboxStartError":
    case "LoadError":
      return { code: exitCodes.other, message: error.message }
    case "TransportError":
    case "AttemptTimeout":
    case "DeadlineExceeded":
    case "OutcomeUnknown":
    case "MalformedResponse":
      return { code: exitCodes.other, message: error.message }
    default:
      if (isAwsErrorName(error._tag)) {
        return {
          code: exitCodes.serviceError,
          message: `An error occurred (${error._tag}) when calling the ${operation} operation` +
            // AWS may send no message: the field is then absent, not "".
            `${error.message ? `: ${error.message}` : ""}` +
            `${error.requestId === undefined ? "" : ` (request id ${error.requestId})`}`
        }
      }
      return { code: exitCodes.other, message: `${operation}: ${error._tag}` }
  }
}

/** Prints the message of an expected failure and fails with its exit code. */
export const report = (operation: string) => (error: HandlerError): Effect.Effect<never, ExitCode> =>
  Effect.gen(function*() {
    const { code, message } = describe(error, operation)
    yield* Console.error(message)
    return yield* new ExitCode({ code })
  })
