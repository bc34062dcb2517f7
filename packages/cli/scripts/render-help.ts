/**
 * Renders, at build time, what `--help` and `--version` print, so the launcher can print them without
 * loading the CLI (the start is a CLI's speed): every command's help, the command list, the version. Bundled
 * and run once by `scripts/build.mjs`, which writes the texts to `dist/help.json`; each is what `Cli.main`
 * prints for those arguments, captured from the same bundle.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import { Console, Effect, Layer } from "effect"
import { writeFileSync } from "node:fs"
import * as Cli from "../src/Cli.js"
import { LoadError } from "../src/internal/CliError.js"
import * as Environment from "../src/internal/Environment.js"
import * as OperationCommand from "../src/internal/OperationCommand.js"

const [, , out = "help.json"] = process.argv

/** Argument lists (without the program) whose output is recorded, keyed as the launcher looks them up. */
const requests: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["--help", ["--help"]],
  ["--version", ["--version"]],
  ["sandbox --help", ["sandbox", "--help"]],
  ["sandbox serve --help", ["sandbox", "serve", "--help"]],
  ["sandbox events --help", ["sandbox", "events", "--help"]],
  ["decode-event --help", ["decode-event", "--help"]],
  ...OperationCommand.entries.map((entry) => {
    const name = OperationCommand.commandName(entry.name)
    return [`${name} --help`, [name, "--help"]] as const
  })
]

const captured = (lines: Array<string>): Console.Console => {
  const write = (...args: ReadonlyArray<unknown>) => Effect.sync(() => void lines.push(args.map(String).join(" ")))
  const noop = () => Effect.void
  return {
    [Console.TypeId]: Console.TypeId,
    assert: noop,
    clear: Effect.void,
    count: noop,
    countReset: noop,
    debug: write,
    dir: noop,
    dirxml: noop,
    error: write,
    group: noop,
    groupEnd: Effect.void,
    info: write,
    log: write,
    table: noop,
    time: noop,
    timeEnd: noop,
    timeLog: noop,
    trace: noop,
    warn: write,
    unsafe: globalThis.console
  }
}

const noHttp = Layer.fail(new LoadError({ what: "an HTTP client", detail: "not while rendering help" }))

const program = Effect.gen(function*() {
  const texts: Record<string, string> = {}
  for (const [key, args] of requests) {
    const lines: Array<string> = []
    const code = yield* Effect.withConsole(Cli.main(["node", "social-messaging", ...args]), captured(lines))
    if (code !== 0) return yield* Effect.die(new Error(`${key}: exit code ${code}\n${lines.join("\n")}`))
    texts[key] = lines.map((line) => `${line}\n`).join("")
  }
  writeFileSync(out, JSON.stringify(texts))
}).pipe(Effect.provide(Layer.merge(NodeContext.layer, Environment.layerNode(noHttp))))

Effect.runPromise(program).catch((error: unknown) => {
  process.stderr.write(`render-help: ${String(error)}\n`)
  process.exitCode = 1
})
