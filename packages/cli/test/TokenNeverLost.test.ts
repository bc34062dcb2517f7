/**
 * The one-time token against an answer that breaks the model, and `--debug` against an answer that echoes
 * secrets: a scripted loopback server (no SigV4 check; it answers what a faulty AWS might).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtempSync, readFileSync, statSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { join } from "node:path"
import { scratch } from "./support/Bin.js"
import { runCli } from "./support/InProcess.js"

const dir = mkdtempSync(join(scratch, "token-never-lost-"))

interface Answer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body: string
}

/** A loopback server answering every request with `answer`; counts the requests. */
const scriptedServer = (answer: Answer) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly requests: () => number; readonly close: () => void }>((resume) => {
      let requests = 0
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        request.resume()
        request.on("end", () => {
          requests++
          response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers })
          response.end(answer.body)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(
          Effect.succeed({ url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => server.close() })
        )
      })
    }),
    (server) => Effect.sync(server.close)
  )

const env = (url: string) => ({
  AWS_ENDPOINT_URL_SOCIALMESSAGING: url,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  AWS_MAX_ATTEMPTS: "3",
  META_TOKEN: "meta-access-token-canary-7f3a"
})

describe("the in-progress token is never lost", () => {
  it.scoped("a step-1 answer with a broken member still leaves the token in the file (0600), sent once", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer({
        status: 200,
        body: JSON.stringify({
          signupCallbackResult: {
            associateInProgressToken: "in-progress-token-canary-91c2",
            // A string where a map belongs: plainly wrong, so the answer is malformed.
            linkedAccountsWithIncompleteSetup: "not a map"
          }
        })
      })
      const file = join(dir, "token")
      const run = yield* runCli([
        "associate-whatsapp-business-account",
        "--step",
        "signup",
        "--access-token-env",
        "META_TOKEN",
        "--associate-in-progress-token-output",
        file
      ], { env: env(server.url), tty: false })
      assert.strictEqual(run.code, 255, run.stderr.join("\n"))
      assert.include(run.stderr.join("\n"), "malformed response")
      assert.strictEqual(readFileSync(file, "utf8"), "in-progress-token-canary-91c2\n")
      assert.strictEqual(statSync(file).mode & 0o777, 0o600)
      assert.strictEqual(server.requests(), 1, "a malformed 200 is not resent")
      const printed = [...run.stdout, ...run.stderr].join("\n")
      assert.notInclude(printed, "in-progress-token-canary-91c2")
      assert.notInclude(printed, "meta-access-token-canary-7f3a")
    }))

  it.scoped("a 500 to step 1 is not resent: one request, exit 254, the message says the outcome is unknown", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer({
        status: 500,
        headers: { "x-amzn-errortype": "InternalServiceException" },
        body: JSON.stringify({ message: "internal failure" })
      })
      const run = yield* runCli([
        "associate-whatsapp-business-account",
        "--step",
        "signup",
        "--access-token-env",
        "META_TOKEN",
        "--associate-in-progress-token-output",
        join(dir, "token-500")
      ], { env: env(server.url), tty: false })
      assert.strictEqual(run.code, 254, run.stderr.join("\n"))
      const message = run.stderr.join("\n")
      assert.include(message, "InternalServiceException")
      assert.include(message, "outcome unknown")
      assert.include(message, "ListLinkedWhatsAppBusinessAccounts")
      assert.strictEqual(server.requests(), 1)
    }))
})

describe("--debug", () => {
  it.scoped("scrubs answers: AWS's canonical-request dump and secrets the answer echoes are not printed", () =>
    Effect.gen(function*() {
      const server = yield* scriptedServer({
        status: 403,
        headers: { "x-amzn-errortype": "InvalidSignatureException" },
        body: JSON.stringify({
          message: "The request signature we calculated does not match (token meta-access-token-canary-7f3a). " +
            "The Canonical String for this request should have been 'POST\n/v1/whatsapp/signup\n\n" +
            "x-amz-security-token:session-canary-55aa\n'"
        })
      })
      const run = yield* runCli([
        "--debug",
        "associate-whatsapp-business-account",
        "--step",
        "signup",
        "--access-token-env",
        "META_TOKEN",
        "--associate-in-progress-token-output",
        join(dir, "token-debug")
      ], { env: env(server.url), tty: false })
      assert.notStrictEqual(run.code, 0)
      const printed = [...run.stdout, ...run.stderr].join("\n")
      assert.include(printed, "[debug] <-- 403", "the answer is traced")
      assert.include(printed, "does not match")
      assert.notInclude(printed, "meta-access-token-canary-7f3a")
      assert.notInclude(printed, "session-canary-55aa")
      assert.notInclude(printed, "Canonical String")
    }))
})
