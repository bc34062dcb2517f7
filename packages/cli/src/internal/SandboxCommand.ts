/** `sandbox serve`: the sandbox server in the foreground, with its URL and documented keys. */
import { Command, Options } from "@effect/cli"
import { Console, Effect, Redacted } from "effect"
import * as OperationCommand from "./OperationCommand.js"
import * as SandboxHost from "./SandboxHost.js"

const serve = Command.make(
  "serve",
  {
    port: Options.integer("port").pipe(
      Options.withDescription("Port on 127.0.0.1 (default 0: any free port)."),
      Options.withDefault(0)
    ),
    faultPlan: Options.file("fault-plan", { exists: "yes" }).pipe(
      Options.withDescription("JSON fault plan (rate limits, scripted and random faults; see the sandbox's Faults module)."),
      Options.optional
    )
  },
  ({ faultPlan, port }) =>
    Effect.gen(function*() {
      const sandbox = yield* SandboxHost.start({ port, faultPlan })
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
          "Press Ctrl-C to stop."
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(Effect.scoped, OperationCommand.finish("sandbox serve"))
).pipe(Command.withDescription("Runs the sandbox server on 127.0.0.1 in the foreground and prints its URL and keys."))

/** `sandbox`. */
export const command = Command.make("sandbox").pipe(
  Command.withDescription(
    "The local sandbox of the API: in memory, SigV4-verifying, with seeded Meta tokens. Or pass --sandbox to any command."
  ),
  Command.withSubcommands([serve])
)
