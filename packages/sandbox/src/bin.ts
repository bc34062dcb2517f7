/**
 * The sandbox server as a program: the only place in this package that runs effects.
 *
 * ```sh
 * npx tsx --conditions=@social-messaging/source packages/sandbox/src/bin.ts --port 0 [--host 127.0.0.1]
 *   [--allowed-host name[,name:port…]] [--region us-east-1] [--account-id 123456789012] [--faults plan.json]
 *   [--request-log-size 1000] [--template-review-delay 30] [--deliver-events-to http://127.0.0.1:8080/sns]
 * ```
 * It prints the URL, region, the sandbox keys and the seeded data (numbers, templates, S3 objects), then
 * serves until interrupted (Ctrl-C). `--template-review-delay` is Meta's template review in seconds.
 * `--deliver-events-to` POSTs each event (statuses of sends from a WABA with an event destination, the seeded
 * customer's replies) to that loopback URL as an SNS notification; a non-loopback URL is refused. A `--host`
 * other than loopback prints a warning first: the keys are public.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Faults from "./Faults.js"
import * as Fixtures from "./Fixtures.js"
import * as Server from "./Server.js"

/** The command line was not understood. */
class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message(): string {
    return `${this.detail}\nusage: bin.ts [--port N] [--host H] [--allowed-host A,B] [--region R] ` +
      "[--account-id ID] [--faults plan.json] [--request-log-size N] [--template-review-delay SECONDS] " +
      "[--deliver-events-to http://127.0.0.1:PORT/PATH]"
  }
}

/** The options `bin.ts` takes. */
interface Arguments {
  readonly port: number
  readonly host: string | undefined
  readonly allowedHosts: ReadonlyArray<string>
  readonly region: string | undefined
  readonly accountId: string | undefined
  readonly faults: string | undefined
  readonly requestLogSize: number | undefined
  readonly templateReviewDelaySeconds: number | undefined
  readonly deliverEventsTo: string | undefined
}

const names = [
  "--port",
  "--host",
  "--allowed-host",
  "--region",
  "--account-id",
  "--faults",
  "--request-log-size",
  "--template-review-delay",
  "--deliver-events-to"
]

/** Parses `--name value` pairs. */
const parseArguments = (argv: ReadonlyArray<string>): Effect.Effect<Arguments, UsageError> =>
  Effect.gen(function*() {
    const values = new Map<string, string>()
    for (let i = 0; i < argv.length; i += 2) {
      const name = argv[i] ?? ""
      const value = argv[i + 1]
      if (!names.includes(name) || value === undefined) {
        return yield* new UsageError({ detail: `unexpected argument: ${name}` })
      }
      values.set(name, value)
    }
    const portText = values.get("--port") ?? "0"
    const port = Number(portText)
    if (!/^\d+$/.test(portText) || port > 65535) {
      return yield* new UsageError({ detail: `--port must be 0..65535, got ${portText}` })
    }
    const logSizeText = values.get("--request-log-size")
    if (logSizeText !== undefined && !/^\d+$/.test(logSizeText)) {
      return yield* new UsageError({ detail: `--request-log-size must be a whole number, got ${logSizeText}` })
    }
    const delayText = values.get("--template-review-delay")
    if (delayText !== undefined && !/^\d+$/.test(delayText)) {
      return yield* new UsageError({ detail: `--template-review-delay must be whole seconds, got ${delayText}` })
    }
    return {
      port,
      templateReviewDelaySeconds: delayText === undefined ? undefined : Number(delayText),
      host: values.get("--host"),
      allowedHosts: (values.get("--allowed-host") ?? "").split(",").filter((name) => name !== ""),
      requestLogSize: logSizeText === undefined ? undefined : Number(logSizeText),
      region: values.get("--region"),
      accountId: values.get("--account-id"),
      faults: values.get("--faults"),
      deliverEventsTo: values.get("--deliver-events-to")
    }
  })

const program = Effect.gen(function*() {
  const args = yield* parseArguments(process.argv.slice(2))
  const faults = args.faults === undefined ? Faults.none : yield* Faults.load(args.faults)
  const server = yield* Server.serve({
    port: args.port,
    host: args.host,
    allowedHosts: args.allowedHosts,
    region: args.region,
    accountId: args.accountId,
    requestLogSize: args.requestLogSize,
    templateReviewDelay: args.templateReviewDelaySeconds === undefined
      ? undefined
      : Duration.seconds(args.templateReviewDelaySeconds),
    faults,
    deliverEventsTo: args.deliverEventsTo
  })
  const warning = Server.exposureWarning(server.host)
  if (warning !== undefined) yield* Console.error(warning)
  yield* Console.log(`AWS End User Messaging Social sandbox listening on ${server.url}`)
  yield* Console.log(`  region:            ${server.region}`)
  for (const credentials of server.credentials) {
    // Printing the secret is the point: these are the sandbox's documented, fake keys.
    yield* Console.log(`  access key id:     ${credentials.accessKeyId}`)
    yield* Console.log(`  secret access key: ${Redacted.value(credentials.secretAccessKey)}`)
  }
  yield* Console.log(`  outbox:            ${server.url}${Server.outboxPath} (unsigned GET)`)
  yield* Console.log(`  events:            ${server.url}${Server.eventsPath} (unsigned GET, ?after=N)`)
  if (server.deliverEventsTo !== undefined) {
    yield* Console.log(`  events POSTed to:  ${server.deliverEventsTo} (as SNS notifications)`)
  }
  for (const line of Fixtures.describeSeed()) yield* Console.log(line)
  yield* Console.log(`  try (with these keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY):`)
  yield* Console.log(`    aws socialmessaging list-linked-whatsapp-business-accounts \\`)
  yield* Console.log(`      --endpoint-url ${server.url} --region ${server.region}`)
  return yield* Effect.never
}).pipe(Effect.scoped, Effect.provide(NodeContext.layer))

NodeRuntime.runMain(program)
