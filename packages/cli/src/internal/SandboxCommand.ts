/**
 * `sandbox serve`: the sandbox server in the foreground, with its URL and documented keys; `sandbox events`:
 * its event feed, as typed events.
 */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Redacted } from "effect"
import { sandboxEvents } from "./EventsCommand.js"
import * as OperationCommand from "./OperationCommand.js"
import * as SandboxHost from "./SandboxHost.js"

const serve = Command.make(
  "serve",
  {
    port: Options.integer("port").pipe(
      Options.withDescription("Port (default 0: any free port)."),
      Options.withDefault(0)
    ),
    host: Options.text("host").pipe(
      Options.withDescription(
        "Interface to listen on (default 127.0.0.1). The sandbox's keys are public: anything else lets whoever " +
          "can reach the port use it."
      ),
      Options.withDefault("127.0.0.1")
    ),
    allowedHosts: Options.text("allowed-host").pipe(
      Options.withDescription(
        "Another name clients use in Host (e.g. host.docker.internal, or name:port behind a port forward); " +
          "repeatable. Requests naming any other host are refused, against DNS rebinding."
      ),
      Options.repeated
    ),
    faultPlan: Options.file("fault-plan", { exists: "yes" }).pipe(
      Options.withDescription(
        "JSON fault plan (rate limits, scripted and random faults; see the sandbox's Faults module)."
      ),
      Options.optional
    ),
    deliverEventsTo: Options.text("deliver-events-to").pipe(
      Options.withPseudoName("URL"),
      Options.withDescription(
        "POST each event (statuses of messages sent from a WABA with an event destination, customer replies) to " +
          "this loopback URL as an SNS notification, e.g. http://127.0.0.1:8080/sns, to test a webhook handler."
      ),
      Options.optional
    )
  },
  ({ allowedHosts, deliverEventsTo, faultPlan, host, port }) =>
    Effect.gen(function*() {
      const sandbox = yield* SandboxHost.start({ port, host, allowedHosts, faultPlan, deliverEventsTo })
      if (sandbox.exposureWarning !== undefined) yield* Console.error(sandbox.exposureWarning)
      // The keys are the sandbox's documented, fake ones: printing them is the point.
      yield* Console.log(
        [
          `Sandbox of AWS End User Messaging Social listening on ${sandbox.url} (region ${sandbox.region}).`,
          "Its endpoint and documented keys, for your shell:",
          `export AWS_ENDPOINT_URL_SOCIALMESSAGING=${sandbox.url}`,
          `export AWS_REGION=${sandbox.region}`,
          `export AWS_ACCESS_KEY_ID=${sandbox.accessKeyId}`,
          `export AWS_SECRET_ACCESS_KEY=${Redacted.value(sandbox.secretAccessKey)}`,
          "Meta access tokens it accepts in associate-whatsapp-business-account:",
          ...sandbox.metaTokens.map((token) => `  ${token.accessToken}: ${token.description}`),
          ...sandbox.seed,
          `Messages sent (read-only, unsigned): curl ${sandbox.outboxUrl}`,
          `Events delivered (read-only, unsigned): curl ${sandbox.eventsUrl}, or social-messaging sandbox events -f`,
          ...(sandbox.deliverEventsTo === undefined
            ? []
            : [`Events are also POSTed as SNS notifications to ${sandbox.deliverEventsTo}`]),
          "Press Ctrl-C to stop."
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(Effect.scoped, OperationCommand.finish("sandbox serve"))
).pipe(
  Command.withDescription(
    "Runs the sandbox server (on 127.0.0.1 unless --host says otherwise) in the foreground and prints its URL and keys."
  )
)

/** `sandbox`. */
export const command = Command.make("sandbox").pipe(
  Command.withDescription(
    "The local sandbox of the API: in memory, SigV4-verifying, with seeded Meta tokens. Or pass --sandbox to any command."
  ),
  Command.withSubcommands([serve, sandboxEvents])
)
