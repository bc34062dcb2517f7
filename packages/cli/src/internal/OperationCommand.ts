/**
 * One command per AWS operation, built from the operation table: `--cli-input-json`,
 * `--generate-cli-skeleton`, typed flags laid over the JSON, the global options, validation with
 * `Operations.decodeInput` (nothing is sent when it fails), the call, and the printed output.
 */
import { Command, Options } from "@effect/cli"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import type * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Console, Effect, type Option, type Schema } from "effect"
import type { ExitCode, InputError } from "./CliError.js"
import * as Failure from "./Failure.js"
import * as Input from "./Input.js"
import * as Output from "./Output.js"
import * as Session from "./Session.js"

/** `--cli-input-json`. */
export const cliInputJson = Options.text("cli-input-json").pipe(
  Options.withDescription(
    "The whole input as JSON in the API's member names: the text itself, file://PATH, or - (standard input). " +
      "Flags given as well override its top-level members."
  ),
  Options.withPseudoName("JSON"),
  Options.optional
)

/** `--generate-cli-skeleton`. */
export const generateCliSkeleton = Options.boolean("generate-cli-skeleton").pipe(
  Options.withDescription("Print a JSON template of the input (for --cli-input-json) and exit.")
)

/** Prints the input template of an operation. */
export const printSkeleton = (operation: { readonly input: Schema.Schema.Any }) =>
  Console.log(Output.renderJson(Input.skeleton(operation.input)))

/** Members set by flags, in wire form; `None` leaves the member to `--cli-input-json`. */
export type Members = ReadonlyArray<readonly [string, Option.Option<unknown>]>

/** Handles a command's failures: expected ones become a message and an exit code. */
export const finish = (operation: string) =>
<A, R>(effect: Effect.Effect<A, Failure.HandlerError | ExitCode, R>): Effect.Effect<A, ExitCode, R> =>
  Effect.catchIf(
    effect,
    (error): error is Failure.HandlerError => error._tag !== "ExitCode",
    Failure.report(operation)
  )

/** What makes one operation a command. */
export interface Spec<Name extends string, I, IE, O, OE, K extends Errors.AwsErrorName, F, E> {
  /** The AWS CLI's name, e.g. `get-linked-whatsapp-business-account`. */
  readonly name: Name
  readonly operation: Operations.Operation<I, IE, O, OE, K>
  readonly description: string
  readonly flags: Options.Options<F>
  readonly members: (flags: F) => Effect.Effect<Members, InputError>
  readonly call: (client: SocialMessaging.Service, input: I) => Effect.Effect<O, E>
}

/** Reads `--cli-input-json`, lays the flags over it and validates: the typed input, or why not. */
export const decode = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  json: Option.Option<string>,
  members: Members
) =>
  Effect.flatMap(
    Input.readCliInputJson(json),
    ({ document }) => Operations.decodeInput(operation, Input.overlay(document, members))
  )

/** The command of one operation. */
export const make = <Name extends string, I, IE, O, OE, K extends Errors.AwsErrorName, F, E extends Failure.HandlerError>(
  spec: Spec<Name, I, IE, O, OE, K, F, E>
) =>
  Command.make(
    spec.name,
    { global: Session.globalOptions, cliInputJson, generateCliSkeleton, flags: spec.flags },
    ({ cliInputJson, flags, generateCliSkeleton, global }) =>
      Effect.gen(function*() {
        if (generateCliSkeleton) return yield* printSkeleton(spec.operation)
        const input = yield* decode(spec.operation, cliInputJson, yield* spec.members(flags))
        const session = yield* Session.make(global)
        const output = yield* session.run(spec.call(session.client, input))
        yield* Output.printOutput(global.output, spec.operation.output, output, spec.operation.name)
      }).pipe(Effect.scoped, finish(spec.operation.name))
  ).pipe(Command.withDescription(spec.description))
