/**
 * The `social-messaging` command line: one command per association operation of AWS End User Messaging
 * Social, named as in the AWS CLI, plus the guided association and the sandbox. `bin.ts` runs `main`.
 *
 * @example
 * ```ts
 * import * as Cli from "@social-messaging/cli/Cli"
 *
 * // Effect<number>: the exit code, after printing the output or the error.
 * const exitCode = Cli.main(["node", "social-messaging", "list-linked-whatsapp-business-accounts", "--sandbox"])
 * ```
 */
import { Command, CommandDescriptor, HelpDoc, Options, ValidationError } from "@effect/cli"
import * as Operations from "@social-messaging/domain/Operations"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Chunk, Console, Effect, Option, Stream } from "effect"
import * as Associate from "./internal/Associate.js"
import { ExitCode, exitCodes, InputError } from "./internal/CliError.js"
import { optionalText, repeatedText } from "./internal/Flags.js"
import * as GlobalArgs from "./internal/GlobalArgs.js"
import * as Input from "./internal/Input.js"
import * as OperationCommand from "./internal/OperationCommand.js"
import * as Output from "./internal/Output.js"
import * as SandboxCommand from "./internal/SandboxCommand.js"
import * as Session from "./internal/Session.js"

/** The CLI's version. */
export const version = "0.1.0"

// =============================================================================
// Flags shared by several commands
// =============================================================================

const idOf = (what: string) => optionalText("id", "ID", `The ${what} (member id).`)

const resourceArn = optionalText("resource-arn", "ARN", "ARN of the linked WABA or phone number (member resourceArn).")

// =============================================================================
// The operations
// =============================================================================

const disassociate = OperationCommand.make({
  name: "disassociate-whatsapp-business-account",
  operation: Operations.DisassociateWhatsAppBusinessAccount,
  description: "Unlinks a WhatsApp Business Account from this AWS account (DELETE /v1/whatsapp/waba/disassociate).",
  flags: Options.all({ id: idOf("linked WABA's id (waba-…) or ARN") }),
  members: (flags) => Effect.succeed([["id", flags.id]]),
  call: (client, input) => client.disassociateWhatsAppBusinessAccount(input)
})

const getLinked = OperationCommand.make({
  name: "get-linked-whatsapp-business-account",
  operation: Operations.GetLinkedWhatsAppBusinessAccount,
  description: "Shows a linked WhatsApp Business Account and its phone numbers (GET /v1/whatsapp/waba/details).",
  flags: Options.all({ id: idOf("linked WABA's id (waba-…) or ARN") }),
  members: (flags) => Effect.succeed([["id", flags.id]]),
  call: (client, input) => client.getLinkedWhatsAppBusinessAccount(input)
})

const getPhoneNumber = OperationCommand.make({
  name: "get-linked-whatsapp-business-account-phone-number",
  operation: Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber,
  description: "Shows a phone number of a linked WhatsApp Business Account (GET /v1/whatsapp/waba/phone/details).",
  flags: Options.all({ id: idOf("phone number's id (phone-number-id-…) or ARN") }),
  members: (flags) => Effect.succeed([["id", flags.id]]),
  call: (client, input) => client.getLinkedWhatsAppBusinessAccountPhoneNumber(input)
})

const putEventDestinations = OperationCommand.make({
  name: "put-whatsapp-business-account-event-destinations",
  operation: Operations.PutWhatsAppBusinessAccountEventDestinations,
  description:
    "Sets where a linked WABA's events go, at most one destination; --event-destinations '[]' removes it " +
    "(PUT /v1/whatsapp/waba/eventdestinations).",
  flags: Options.all({
    id: idOf("linked WABA's id (waba-…) or ARN"),
    eventDestinations: repeatedText(
      "event-destinations",
      "DESTINATION",
      "eventDestinationArn=ARN[,roleArn=ARN], or a JSON list of {eventDestinationArn, roleArn} (member eventDestinations)."
    )
  }),
  members: (flags) =>
    Effect.map(
      flags.eventDestinations.length === 0
        ? Effect.succeed(Option.none())
        : Effect.map(Input.parseEventDestinations("--event-destinations", flags.eventDestinations), Option.some),
      (eventDestinations) => [["id", flags.id], ["eventDestinations", eventDestinations]] as const
    ),
  call: (client, input) => client.putWhatsAppBusinessAccountEventDestinations(input)
})

const tagResource = OperationCommand.make({
  name: "tag-resource",
  operation: Operations.TagResource,
  description: "Adds or overwrites tags on a linked WABA or phone number (POST /v1/tags/tag-resource).",
  flags: Options.all({
    resourceArn,
    tags: repeatedText(
      "tags",
      "TAG",
      "key=K,value=V (repeat the flag for more tags), K=V[,K=V…], or a JSON list of {key, value} (member tags)."
    )
  }),
  members: (flags) =>
    Effect.map(
      flags.tags.length === 0
        ? Effect.succeed(Option.none())
        : Effect.map(Input.parseTags("--tags", flags.tags), Option.some),
      (tags) => [["resourceArn", flags.resourceArn], ["tags", tags]] as const
    ),
  call: (client, input) => client.tagResource(input)
})

const untagResource = OperationCommand.make({
  name: "untag-resource",
  operation: Operations.UntagResource,
  description: "Removes tags, by key, from a linked WABA or phone number (POST /v1/tags/untag-resource).",
  flags: Options.all({
    resourceArn,
    tagKeys: repeatedText("tag-keys", "KEYS", "Keys to remove: K1,K2 (repeatable), or a JSON list (member tagKeys).")
  }),
  members: (flags) =>
    Effect.map(
      flags.tagKeys.length === 0
        ? Effect.succeed(Option.none())
        : Effect.map(Input.parseTagKeys("--tag-keys", flags.tagKeys), Option.some),
      (tagKeys) => [["resourceArn", flags.resourceArn], ["tagKeys", tagKeys]] as const
    ),
  call: (client, input) => client.untagResource(input)
})

const listTags = OperationCommand.make({
  name: "list-tags-for-resource",
  operation: Operations.ListTagsForResource,
  description: "Lists the tags of a linked WABA or phone number (GET /v1/tags/list).",
  flags: Options.all({ resourceArn }),
  members: (flags) => Effect.succeed([["resourceArn", flags.resourceArn]]),
  call: (client, input) => client.listTagsForResource(input)
})

// =============================================================================
// list-linked-whatsapp-business-accounts: pagination
// =============================================================================

const List = Operations.ListLinkedWhatsAppBusinessAccounts

const listLinked = Command.make(
  "list-linked-whatsapp-business-accounts",
  {
    global: Session.globalOptions,
    cliInputJson: OperationCommand.cliInputJson,
    generateCliSkeleton: OperationCommand.generateCliSkeleton,
    nextToken: optionalText("next-token", "TOKEN", "Start at this page (member nextToken); only that one page is fetched."),
    maxResults: Options.integer("max-results").pipe(
      Options.withPseudoName("N"),
      Options.withDescription("Page size, 1-100 (member maxResults); only one page is fetched."),
      Options.optional
    ),
    maxItems: Options.integer("max-items").pipe(
      Options.withPseudoName("N"),
      Options.withDescription("Print at most this many accounts in all (pages are fetched until there are enough)."),
      Options.optional
    )
  },
  ({ cliInputJson, generateCliSkeleton, global, maxItems, maxResults, nextToken }) =>
    Effect.gen(function*() {
      if (generateCliSkeleton) return yield* OperationCommand.printSkeleton(List)
      if (Option.isSome(maxItems) && maxItems.value < 1) {
        return yield* new InputError({ detail: "--max-items: expected a positive integer" })
      }
      const input = yield* OperationCommand.decode(List, cliInputJson, [
        ["nextToken", nextToken],
        ["maxResults", maxResults]
      ])
      const limit = Option.getOrUndefined(maxItems)
      const session = yield* Session.make(global)
      // The input names a page: fetch exactly that page, as the AWS CLI does.
      if (input.nextToken !== undefined || input.maxResults !== undefined) {
        const page = yield* session.run(session.client.listLinkedWhatsAppBusinessAccounts(input))
        const accounts = page.linkedAccounts ?? []
        const output = limit === undefined || accounts.length <= limit
          ? page
          : { linkedAccounts: accounts.slice(0, limit) }
        return yield* Output.printOutput(global.output, List.output, output, List.name)
      }
      // Every page, following nextToken (a repeated token fails as MalformedResponse); with --max-items,
      // no page is fetched once there are enough accounts.
      const collected = yield* session.run(
        SocialMessaging.pages(session.client.listLinkedWhatsAppBusinessAccounts).pipe(
          Stream.runFoldWhile(
            {
              accounts: Chunk.empty<LinkedAccounts.LinkedWhatsAppBusinessAccountSummary>(),
              nextToken: Option.none<string>()
            },
            ({ accounts }) => limit === undefined || Chunk.size(accounts) < limit,
            ({ accounts }, page) => ({
              accounts: Chunk.appendAll(accounts, Chunk.fromIterable(page.linkedAccounts ?? [])),
              nextToken: Option.fromNullable(page.nextToken)
            })
          )
        )
      )
      const count = Chunk.size(collected.accounts)
      if (limit !== undefined && count > limit) {
        yield* Output.note(`note: more accounts exist; showing the first ${limit} (--max-items)`)
      }
      // Resumable with --next-token only when the cut falls on a page boundary.
      const resume = limit !== undefined && count === limit ? collected.nextToken : Option.none()
      const output = {
        linkedAccounts: Chunk.toReadonlyArray(
          limit === undefined ? collected.accounts : Chunk.take(collected.accounts, limit)
        ),
        ...Option.match(resume, { onNone: () => ({}), onSome: (nextToken) => ({ nextToken }) })
      }
      yield* Output.printOutput(global.output, List.output, output, List.name)
    }).pipe(Effect.scoped, OperationCommand.finish(List.name))
).pipe(
  Command.withDescription(
    "Lists the linked WhatsApp Business Accounts, following nextToken through every page unless --next-token " +
      "or --max-results names one page (GET /v1/whatsapp/waba/list)."
  )
)

// =============================================================================
// The program
// =============================================================================

/** The commands that call AWS, and so take the global options. */
const awsCommands = [
  disassociate,
  getLinked,
  listLinked,
  getPhoneNumber,
  putEventDestinations,
  tagResource,
  untagResource,
  listTags
]

/** The program, with `associate` as given: the one-line summary lists it, its full description explains it. */
const rootWith = (associate: typeof Associate.command) =>
  Command.make("social-messaging", {}, () =>
    Console.error("usage: social-messaging <command> [options]   (social-messaging --help lists the commands)").pipe(
      Effect.zipRight(Effect.fail(new ExitCode({ code: exitCodes.invalidParameters })))
    )).pipe(
      Command.withDescription(
        HelpDoc.p(
          "Link WhatsApp Business Accounts to AWS End User Messaging Social and manage them, with the AWS CLI's " +
            "command names, input JSON and exit codes (0 ok, 252 invalid parameters, 253 configuration or credentials, " +
            "254 service error, 255 other). Secrets are read from files, standard input, the environment or a hidden prompt."
        )
      ),
      Command.withSubcommands([associate, ...awsCommands, SandboxCommand.command])
    )

// @effect/cli lists a command by its description's first paragraph only when the description is a single
// paragraph; the guided flow needs several. So the command list shows its summary, and its own --help
// (the only run that parses `associate-whatsapp-business-account` with the other root) the whole text.
const root = rootWith(Associate.command.pipe(Command.withDescription(Associate.summary)))
const associateRoot = rootWith(Associate.command)

/** Where `GlobalArgs.hoist` moves global options given before the command. */
const globalArgs: GlobalArgs.Spec = {
  ...Session.globalOptionNames,
  rootValued: ["--log-level"],
  commands: [Associate.command, ...awsCommands].flatMap((
    command: { readonly descriptor: CommandDescriptor.Command<unknown> }
  ) => [...CommandDescriptor.getNames(command.descriptor)])
}

const runRoot = Command.run(root, { name: "social-messaging", version })
const runAssociateRoot = Command.run(associateRoot, { name: "social-messaging", version })

/**
 * Parses the arguments (`process.argv` shape) and runs the command; fails with the exit code. Global options
 * may come before the command, as in the AWS CLI.
 */
export const cli = (argv: ReadonlyArray<string>) => {
  const args = GlobalArgs.hoistArgv(argv, globalArgs)
  return (args[2] === Associate.name ? runAssociateRoot : runRoot)(args)
}

/**
 * Runs the CLI on `argv` and returns the exit code: 0, or the AWS CLI's 252/253/254/255 after the message
 * has been printed (a command-line parse error is 252).
 */
export const main = (argv: ReadonlyArray<string>) =>
  cli(argv).pipe(
    Effect.as(exitCodes.success),
    Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(exitCodes.invalidParameters)),
    Effect.catchTag("ExitCode", (exit) => Effect.succeed(exit.code))
  )
