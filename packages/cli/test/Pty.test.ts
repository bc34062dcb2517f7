/**
 * The guided association for real: the bundled bin under a pseudo-terminal (`script` from util-linux),
 * answering its prompts as a person would, once each prompt is on the screen. The PIN and the token are
 * typed at hidden prompts: the screen must never show them.
 */
import { assert, layer } from "@effect/vitest"
import type * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Redacted } from "effect"
import { spawn } from "node:child_process"
import { binPath, sandboxEnv, scratch } from "./support/Bin.js"

const token = "CANARY-pty-meta-token-61be"
const pin = "914263"

const fixtures: ReadonlyArray<Fixtures.MetaTokenFixture> = [{
  accessToken: token,
  description: "one WABA, one number",
  grant: {
    _tag: "Granted",
    wabas: [{
      wabaId: "930000000000001",
      name: "Pty Test",
      phoneNumbers: [{
        metaPhoneNumberId: "940000000000001",
        phoneNumber: "+12065550199",
        displayPhoneNumber: "+1 206-555-0199",
        displayPhoneNumberName: "Pty",
        qualityRating: "GREEN"
      }]
    }]
  }
}]

/** A prompt to wait for on the screen, and what to type once it shows. */
interface Step {
  readonly waitFor: string
  readonly type: string
}

const shellQuote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`

/** Runs `argv` under `script`, typing each step's answer once its prompt appeared after the previous one. */
const underPty = (argv: ReadonlyArray<string>, env: Record<string, string>, steps: ReadonlyArray<Step>) =>
  Effect.async<{ readonly code: number; readonly screen: string }>((resume) => {
    const command = [process.execPath, binPath, ...argv].map(shellQuote).join(" ")
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: scratch, TERM: "xterm", ...env },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let screen = ""
    let searchFrom = 0
    let next = 0
    const advance = () => {
      const step = steps[next]
      if (step === undefined) return
      const at = screen.indexOf(step.waitFor, searchFrom)
      if (at === -1) return
      searchFrom = at + step.waitFor.length
      next++
      // Give the prompt a moment to switch the terminal to raw mode before the keys arrive.
      setTimeout(() => {
        child.stdin.write(step.type)
        advance()
      }, 100)
    }
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      screen += chunk
      advance()
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (screen += chunk))
    child.once("close", (code) => resume(Effect.succeed({ code: code ?? -1, screen })))
    return Effect.sync(() => child.kill())
  })

layer(Server.layerServer({ port: 0, fixtures }), { excludeTestServices: true })("under a pseudo-terminal", (it) => {
  it.effect("both steps at the prompts; the hidden PIN and token never reach the screen", () =>
    Effect.gen(function*() {
      const server = yield* Server.SandboxServer
      const env = sandboxEnv(server, Redacted.value(server.credentials[0]?.secretAccessKey ?? Redacted.make("")))
      const { code, screen } = yield* underPty(["associate-whatsapp-business-account"], env, [
        { waitFor: "Meta access token", type: `${token}\r` },
        { waitFor: "Which phone numbers", type: "\r" },
        { waitFor: "Two-factor PIN", type: `${pin}\r` },
        { waitFor: "Data localization region", type: "\r" },
        { waitFor: "Event destination ARN", type: "\r" },
        { waitFor: "Tags", type: "team=pty\r" }
      ])
      assert.strictEqual(code, 0, screen)
      assert.include(screen, "\"wabaId\": \"930000000000001\"")
      assert.include(screen, "Unregistered phone numbers")
      assert.include(screen, "team=pty")
      assert.notInclude(screen, pin)
      assert.notInclude(screen, token)
    }), { timeout: 30_000 })
})
