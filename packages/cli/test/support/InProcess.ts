/**
 * Running `Cli.main` in-process: a scripted `Terminal` answering @effect/cli's prompts (one list of
 * keystrokes per prompt), standard output and error captured through a `Console`, configuration from a
 * map instead of the process environment, and the real HTTP client against a loopback sandbox.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Terminal from "@effect/platform/Terminal"
import { ConfigProvider, Effect, Layer, Mailbox, Option } from "effect"
import * as Cli from "../../src/Cli.js"
import { CliEnvironment } from "../../src/internal/Environment.js"

/** One keystroke. */
export type Key = Terminal.UserInput

const key = (name: string, input?: string): Key => ({
  input: Option.fromNullable(input),
  key: { name, ctrl: false, meta: false, shift: false }
})

/** Keystrokes typing `text`. */
export const type = (text: string): ReadonlyArray<Key> => [...text].map((c) => key(c === " " ? "space" : c, c))
export const enter = key("return")
export const down = key("down")
export const space = key("space", " ")
export const backspace = key("backspace")

/** What the terminal showed and what was printed. */
export interface Captured {
  readonly screen: Array<string>
  readonly stdout: Array<string>
  readonly stderr: Array<string>
  /** Prompts left unanswered (should be 0) and answers left unused. */
  readonly unusedAnswers: () => number
}

/** Runs the CLI with `argv` (after the program name), answering prompts with `answers`. */
export const runCli = (
  argv: ReadonlyArray<string>,
  options: {
    readonly answers?: ReadonlyArray<ReadonlyArray<Key>>
    readonly env?: Record<string, string>
    readonly tty?: boolean
    readonly stdin?: string
  } = {}
): Effect.Effect<{ readonly code: number } & Captured> =>
  Effect.gen(function*() {
    const queue = [...(options.answers ?? [])]
    const screen: Array<string> = []
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const terminal = Terminal.Terminal.of({
      columns: Effect.succeed(120),
      rows: Effect.succeed(40),
      isTTY: Effect.succeed(options.tty ?? true),
      readInput: Effect.gen(function*() {
        const mailbox = yield* Mailbox.make<Terminal.UserInput>()
        const keys = queue.shift()
        // No answer scripted for this prompt: end the input, as Ctrl-D would.
        if (keys === undefined) yield* mailbox.end
        else for (const k of keys) yield* mailbox.offer(k)
        return mailbox
      }),
      readLine: Effect.fail(new Terminal.QuitException()),
      display: (text) => Effect.sync(() => void screen.push(text))
    })
    const base = yield* Effect.console
    const console = {
      ...base,
      log: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void stdout.push(args.map(String).join(" "))),
      error: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void stderr.push(args.map(String).join(" ")))
    }
    const environment = Layer.succeed(
      CliEnvironment,
      CliEnvironment.of({
        stdinIsTTY: options.tty ?? true,
        readStdin: Effect.succeed(options.stdin ?? ""),
        httpClient: FetchHttpClient.layer
      })
    )
    const code = yield* Cli.main(["node", "social-messaging", ...argv]).pipe(
      Effect.provide(
        Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, Layer.succeed(Terminal.Terminal, terminal), environment)
      ),
      Effect.withConsole(console),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {}))))
    )
    return { code, screen, stdout, stderr, unusedAnswers: () => queue.length }
  })
