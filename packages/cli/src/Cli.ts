/**
 * The `social-messaging` command line: one command per operation of AWS End User Messaging Social, generated
 * from the operation table (`Operations`) and named as in the AWS CLI, plus the guided association, the
 * sandbox and `decode-event` (typed WhatsApp events from what the event destination receives). `bin.ts` runs
 * `main`.
 *
 * Only the command that runs is built: its module is imported on demand (the guided association, the message
 * builders, the sandbox), and the other commands are built only for the command list.
 *
 * @example
 * ```ts
 * import * as Cli from "@social-messaging/cli/Cli"
 *
 * // Effect<number>: the exit code, after printing the output or the error.
 * const exitCode = Cli.main(["node", "social-messaging", "list-linked-whatsapp-business-accounts", "--sandbox"])
 * ```
 */
import { Command, HelpDoc, ValidationError } from "@effect/cli"
import { Console, Effect } from "effect"
import { describeCause, ExitCode, exitCodes, LoadError } from "./internal/CliError.js"
import * as GlobalArgs from "./internal/GlobalArgs.js"
import * as OperationCommand from "./internal/OperationCommand.js"
import * as Session from "./internal/Session.js"

/** The CLI's version. */
export const version = "0.1.0"

const associateName = "associate-whatsapp-business-account"
const sendMessageName = "send-whatsapp-message"
const sandboxName = "sandbox"
const decodeEventName = "decode-event"

/** The AWS command names, in the table's order, and the operation each runs. */
const operationCommands: ReadonlyMap<string, OperationCommand.Entry> = new Map(
  OperationCommand.entries.map((entry) => [OperationCommand.commandName(entry.name), entry])
)

/** Where `GlobalArgs.hoist` moves global options given before the command. */
const globalArgs: GlobalArgs.Spec = {
  ...Session.globalOptionNames,
  rootValued: ["--log-level"],
  commands: [...operationCommands.keys()]
}

// =============================================================================
// The commands, loaded on demand
// =============================================================================

const load = <A>(what: string, module: () => Promise<A>) =>
  Effect.tryPromise({ try: module, catch: (cause) => new LoadError({ what, detail: describeCause(cause) }) })

/**
 * The subcommands for a run: only `wanted` when it names a command (with the guided association's whole
 * description), otherwise every command (the association listed by its summary: @effect/cli shows a
 * description's first paragraph in the list only when it has one paragraph).
 */
const subcommands = (wanted: string | undefined) =>
  Effect.gen(function*() {
    const all = wanted === undefined ||
      (!operationCommands.has(wanted) && wanted !== sandboxName && wanted !== decodeEventName)
    const associate = all || wanted === associateName
      ? yield* load("the guided association (Associate)", () => import("./internal/Associate.js"))
      : undefined
    const sendMessage = all || wanted === sendMessageName
      ? yield* load("the message builders (SendMessage)", () => import("./internal/SendMessage.js"))
      : undefined
    const sandbox = all || wanted === sandboxName
      ? yield* load("the sandbox command (SandboxCommand)", () => import("./internal/SandboxCommand.js"))
      : undefined
    const events = all || wanted === decodeEventName
      ? yield* load("the event commands (EventsCommand)", () => import("./internal/EventsCommand.js"))
      : undefined
    const commands = [...operationCommands].filter(([name]) => all || name === wanted).map(([name, entry]) =>
      name === associateName && associate !== undefined
        ? all ? associate.command.pipe(Command.withDescription(associate.summary)) : associate.command
        : name === sendMessageName && sendMessage !== undefined
        ? OperationCommand.makeExtended(entry, sendMessage.extension)
        : OperationCommand.make(entry)
    )
    return [
      ...commands,
      ...(events === undefined ? [] : [events.decodeEvent]),
      ...(sandbox === undefined ? [] : [sandbox.command])
    ]
  })

/** What `Command.withSubcommands` accepts, taken from its own signature (a non-empty list of any commands). */
type SubcommandList = Parameters<typeof Command.withSubcommands>[1]

/** The program over the given subcommands. */
const rootWith = <const Subcommands extends SubcommandList>(
  commands: Subcommands
) =>
  Command.make(
    "social-messaging",
    {},
    () =>
      Console.error("usage: social-messaging <command> [options]   (social-messaging --help lists the commands)").pipe(
        Effect.zipRight(Effect.fail(new ExitCode({ code: exitCodes.invalidParameters })))
      )
  ).pipe(
    Command.withDescription(
      HelpDoc.p(
        "AWS End User Messaging Social for WhatsApp on the command line: every operation of the API, with the AWS " +
          "CLI's command names, flags, input JSON, pagination and exit codes (0 ok, 252 invalid parameters, 253 " +
          "configuration or credentials, 254 service error, 255 other). Secrets are never printed."
      )
    ),
    Command.withSubcommands(commands)
  )

/**
 * Parses the arguments (`process.argv` shape) and runs the command; fails with the exit code. Global options
 * may come before the command, as in the AWS CLI.
 */
export const cli = (argv: ReadonlyArray<string>) => {
  const args = GlobalArgs.hoistArgv(argv, globalArgs)
  const wanted = args[2]
  return Effect.flatMap(subcommands(wanted?.startsWith("-") === true ? undefined : wanted), (commands) => {
    const [first, ...rest] = commands
    // `wanted` names a command, or every command is there: never empty.
    return first === undefined
      ? Effect.fail(new ExitCode({ code: exitCodes.invalidParameters }))
      : Command.run(rootWith([first, ...rest]), { name: "social-messaging", version })(args)
  })
}

/**
 * Runs the CLI on `argv` and returns the exit code: 0, or the AWS CLI's 252/253/254/255 after the message
 * has been printed (a command-line parse error is 252).
 */
export const main = (argv: ReadonlyArray<string>) =>
  cli(argv).pipe(
    Effect.as(exitCodes.success),
    Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(exitCodes.invalidParameters)),
    Effect.catchTag("ExitCode", (exit) => Effect.succeed(exit.code)),
    Effect.catchTag("LoadError", (error) => Effect.as(Console.error(error.message), exitCodes.other))
  )
