/**
 * One command per AWS operation, built from the operation table and nothing else: the AWS CLI's name,
 * typed flags derived from the input schema (`OperationFlags`), `--cli-input-json`,
 * `--generate-cli-skeleton`, the global options, pagination for pageable operations (`Pagination`),
 * validation against the model (nothing is sent when it fails), the call, and the printed output.
 */
import { Command, Options } from "@effect/cli"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import * as GeneratedService from "@social-messaging/http-client/generated/Service"
import type * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Console, Effect, Option, Predicate, Schema } from "effect"
import { type ExitCode, InputError } from "./CliError.js"
import type { CliEnvironment } from "./Environment.js"
import * as Failure from "./Failure.js"
import * as Input from "./Input.js"
import * as Members from "./Members.js"
import * as OperationFlags from "./OperationFlags.js"
import * as Output from "./Output.js"
import * as Pagination from "./Pagination.js"
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
export type WireMembers = ReadonlyArray<readonly [string, Option.Option<unknown>]>

/** Handles a command's failures: expected ones become a message and an exit code. */
export const finish =
  (operation: string) =>
  <A, R>(effect: Effect.Effect<A, Failure.HandlerError | ExitCode, R>): Effect.Effect<A, ExitCode, R> =>
    Effect.catchIf(
      effect,
      (error): error is Failure.HandlerError => error._tag !== "ExitCode",
      Failure.report(operation)
    )

// =============================================================================
// Any operation of the table
// =============================================================================

/** An operation of the table, with its name typed. */
export interface Entry {
  readonly name: Operations.OperationName
  readonly operation: Operations.AnyOperationEntry
}

/** The table's operations, in name order. */
export const entries: ReadonlyArray<Entry> = Operations.operationNames.map((name) => ({
  name,
  operation: Operations.operations[name]
}))

/** The AWS CLI's command name of an operation. */
export const commandName = (name: string): string => Members.kebab(name)

/** Validates wire-form input against the operation's model (unknown members are errors, as in the AWS CLI). */
export const decodeAny = (entry: Entry, document: unknown): Effect.Effect<unknown, Errors.RequestValidationError> =>
  Schema.decodeUnknown(entry.operation.wireInput, Operations.validationOptions)(document).pipe(
    Effect.mapError(Operations.toValidationError(entry.name))
  )

/**
 * Calls the service method of an operation (`SendWhatsAppMessage` → `client.sendWhatsAppMessage`) with an input
 * that `decodeAny` produced: checked again against that operation's own input type (`Schema.validate`), which
 * is what lets the compiler pair each method with its input when the name is chosen at run time.
 */
export const invoke = (
  client: SocialMessaging.Service,
  entry: Entry,
  input: unknown
): Effect.Effect<unknown, Errors.SocialMessagingError> =>
  GeneratedService.byName(
    client,
    (operation, method) => () =>
      Schema.validate(operation.wireInput, Operations.validationOptions)(input).pipe(
        Effect.mapError(Operations.toValidationError(entry.name)),
        Effect.flatMap(method)
      )
  )[entry.name]()

/** A description of an operation from the table: its route and traits. */
export const summary = (operation: Operations.AnyOperationEntry): string => {
  const traits = operation.readonly
    ? "read-only"
    : operation.idempotent
    ? "safe to repeat"
    : "not resent on an unknown outcome"
  const paging = operation.pagination === undefined
    ? ""
    : `; follows every page of ${operation.pagination.resultKey} (--max-items, --page-size, --starting-token)`
  return `${operation.name} (${operation.method} ${operation.path}): ${traits}${paging}.`
}

/** More flags for one command, and how they change the input document before it is validated. */
export interface Extension<X> {
  readonly options: Options.Options<X>
  /** The document (`--cli-input-json` with the member flags over it) → the document to validate. */
  readonly apply: (
    flags: X,
    document: Readonly<Record<string, unknown>>
  ) => Effect.Effect<Readonly<Record<string, unknown>>, InputError, FileSystem.FileSystem | CliEnvironment>
  /** Added to the command's description. */
  readonly description?: string
}

const noExtension: Extension<void> = { options: Options.none, apply: (_, document) => Effect.succeed(document) }

/** Whether the input names one page itself (`--next-token`, `--max-results`): then only that page is fetched. */
const namesPage = (pagination: Operations.Pagination, document: Readonly<Record<string, unknown>>) =>
  document[pagination.inputToken] !== undefined || document[pagination.limitKey] !== undefined

/**
 * Prints an output in the operation's member names, with a `NextToken` after it when a listing was cut (in
 * text output its own `NEXTTOKEN` line, as the AWS CLI prints it).
 */
const print = (
  global: Session.GlobalOptions,
  entry: Entry,
  output: unknown,
  nextToken: Option.Option<string>
) =>
  Effect.flatMap(Output.display(entry.operation.output, output), (document) =>
    Option.match(nextToken, {
      onNone: () => Output.printDocument(global.output, document, entry.name),
      onSome: (NextToken) =>
        global.output === "text"
          ? Console.log(`${Output.render("text", document, entry.name)}\nNEXTTOKEN\t${NextToken}`)
          : Output.printDocument(
            global.output,
            { ...(Predicate.isRecord(document) ? document : {}), NextToken },
            entry.name
          )
    }))

/** The command of one operation of the table. */
export const make = (entry: Entry) => makeExtended(entry, noExtension)

/** The command of one operation of the table, with more flags (as `send-whatsapp-message` has). */
export const makeExtended = <X>(entry: Entry, extra: Extension<X>) => {
  const { operation } = entry
  const members = Members.members(operation.input)
  const { pagination } = operation
  const paging: Options.Options<Option.Option<Pagination.Flags>> = pagination === undefined
    ? Options.map(Options.none, () => Option.none())
    : Options.map(Pagination.options, Option.some)
  return Command.make(
    commandName(entry.name),
    {
      global: Session.globalOptions,
      cliInputJson,
      generateCliSkeleton,
      flags: OperationFlags.options(members),
      paging,
      extra: extra.options
    },
    ({ cliInputJson, extra: extraFlags, flags, generateCliSkeleton, global, paging }) =>
      Effect.gen(function*() {
        if (generateCliSkeleton) return yield* printSkeleton(operation)
        const { document } = yield* Input.readCliInputJson(cliInputJson)
        const overlaid = Input.overlay(document, yield* OperationFlags.wireMembers(members, flags))
        const wire = yield* extra.apply(extraFlags, overlaid)
        const input = yield* decodeAny(entry, wire)
        const pageFlags = Option.getOrUndefined(paging)
        if (pagination !== undefined && pageFlags !== undefined) {
          const maxItems = Option.getOrUndefined(pageFlags.maxItems)
          if (maxItems !== undefined && maxItems < 1) {
            return yield* new InputError({ detail: "--max-items: expected a positive integer" })
          }
          const pageSize = Option.getOrUndefined(pageFlags.pageSize)
          if (!namesPage(pagination, wire)) {
            const start = yield* Option.match(pageFlags.startingToken, {
              onNone: () => Effect.succeed<Pagination.Position>({ token: undefined, skip: 0 }),
              onSome: (token) => Pagination.decodeToken(pagination, token)
            })
            const session = yield* Session.make(global)
            const collected = yield* session.run(
              Pagination.collect(entry.name, pagination, (token) =>
                invoke(session.client, entry, {
                  ...(Predicate.isRecord(input) ? input : {}),
                  ...(token === undefined ? {} : { [pagination.inputToken]: token }),
                  ...(pageSize === undefined ? {} : { [pagination.limitKey]: pageSize })
                }), { start, maxItems })
            )
            const { [pagination.outputToken]: _token, ...rest } = collected.first
            const resume = Option.map(collected.resume, (position) => Pagination.encodeToken(pagination, position))
            if (Option.isSome(resume)) {
              yield* Output.note(
                `note: more ${pagination.resultKey} exist; go on with --starting-token and the NextToken printed`
              )
            }
            return yield* print(global, entry, { ...rest, [pagination.resultKey]: collected.items }, resume)
          }
          const given = [
            ...(Option.isSome(pageFlags.startingToken) ? ["--starting-token"] : []),
            ...(Option.isSome(pageFlags.pageSize) ? ["--page-size"] : []),
            ...(Option.isSome(pageFlags.maxItems) ? ["--max-items"] : [])
          ]
          if (given.length > 0) {
            return yield* new InputError({
              detail:
                `${given.join(", ")} cannot be combined with ${pagination.inputToken} or ${pagination.limitKey} ` +
                "(those fetch exactly one page, as in the AWS CLI)"
            })
          }
        }
        const session = yield* Session.make(global)
        const output = yield* session.run(invoke(session.client, entry, input))
        yield* print(global, entry, output, Option.none())
      }).pipe(Effect.scoped, finish(entry.name))
  ).pipe(
    Command.withDescription(
      [summary(operation), extra.description].filter((part) => part !== undefined).join(" ")
    )
  )
}
