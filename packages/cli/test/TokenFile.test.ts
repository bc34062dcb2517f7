/**
 * Step 1's associate-in-progress token must never be lost: runs that end after step 1 need
 * `--associate-in-progress-token-output`, and its file is created (exclusively, mode 0600) before step 1
 * is sent. Also: the global options `--sandbox` cannot silently drop.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it, layer } from "@effect/vitest"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Either, Redacted, Ref } from "effect"
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as Secrets from "../src/internal/Secrets.js"
import { scratch } from "./support/Bin.js"
import { runCli } from "./support/InProcess.js"

const dir = mkdtempSync(join(scratch, "token-file-"))
const path = (name: string) => join(dir, name)

/** A file that exists already, readable by everyone. */
const existing = (name: string) => {
  const file = path(name)
  writeFileSync(file, "an older token\n")
  chmodSync(file, 0o644)
  return file
}

const flag = "--associate-in-progress-token-output"

layer(Server.layerServer({ port: 0 }))("the in-progress token file", (it) => {
  const env = Effect.map(Server.SandboxServer, (server) => ({
    AWS_ENDPOINT_URL_SOCIALMESSAGING: server.url,
    AWS_REGION: server.region,
    AWS_ACCESS_KEY_ID: server.credentials[0]?.accessKeyId ?? "",
    AWS_SECRET_ACCESS_KEY: Redacted.value(server.credentials[0]?.secretAccessKey ?? Redacted.make("")),
    META_TOKEN: Fixtures.tokens.oneWaba
  }))
  /** How many AssociateWhatsAppBusinessAccount calls reached the sandbox. */
  const associateCalls = Effect.flatMap(Server.SandboxServer, (server) =>
    Effect.map(
      Ref.get(server.requestLog),
      (log) => log.filter((entry) => entry.operation === "AssociateWhatsAppBusinessAccount").length
    ))
  const associate = (args: ReadonlyArray<string>, stdin?: string) =>
    Effect.flatMap(
      env,
      (environment) =>
        runCli(["associate-whatsapp-business-account", "--access-token-env", "META_TOKEN", ...args], {
          env: environment,
          tty: false,
          ...(stdin === undefined ? {} : { stdin })
        })
    )

  it.effect("--step signup and a raw step 1 without the output file: 252, nothing sent, the message says why", () =>
    Effect.gen(function*() {
      const before = yield* associateCalls
      const signup = yield* associate(["--step", "signup"])
      assert.strictEqual(signup.code, 252)
      const message = signup.stderr.join("\n")
      assert.include(message, `--step signup needs ${flag} PATH`)
      assert.include(message, "<redacted>")
      assert.include(message, "Nothing was sent")
      const raw = yield* associate(["--cli-input-json", "-"], JSON.stringify({ signupCallback: {} }))
      assert.strictEqual(raw.code, 252)
      assert.include(raw.stderr.join("\n"), `--cli-input-json with signupCallback (step 1) needs ${flag}`)
      assert.strictEqual(yield* associateCalls, before)
    }))

  it.effect("an unusable path fails before step 1 is sent, in every flow", () =>
    Effect.gen(function*() {
      const before = yield* associateCalls
      const missingDirectory = path("no-such-directory/token")
      const runs = [
        yield* associate(["--step", "signup", flag, missingDirectory]),
        yield* associate([flag, missingDirectory]),
        yield* associate(["--cli-input-json", "{\"signupCallback\": {}}", flag, missingDirectory])
      ]
      for (const run of runs) {
        assert.strictEqual(run.code, 252, run.stderr.join("\n"))
        assert.include(run.stderr.join("\n"), `${flag}: cannot create ${missingDirectory}`)
      }
      assert.strictEqual(yield* associateCalls, before)
    }))

  it.effect("an existing file is never overwritten (its mode could let others read the token): 252 naming it", () =>
    Effect.gen(function*() {
      const before = yield* associateCalls
      const file = existing("existing-token")
      const run = yield* associate(["--step", "signup", flag, file])
      assert.strictEqual(run.code, 252)
      assert.include(run.stderr.join("\n"), `${file} already exists and is not overwritten`)
      assert.strictEqual(readFileSync(file, "utf8"), "an older token\n")
      assert.strictEqual(statSync(file).mode & 0o777, 0o644)
      assert.strictEqual(yield* associateCalls, before)
    }))

  it.effect("--step signup, a raw step 1 and both steps write the token to a new 0600 file", () =>
    Effect.gen(function*() {
      const signupFile = path("signup-token")
      const signup = yield* associate(["--step", "signup", flag, signupFile])
      assert.strictEqual(signup.code, 0, signup.stderr.join("\n"))
      assert.strictEqual(statSync(signupFile).mode & 0o777, 0o600)
      assert.match(readFileSync(signupFile, "utf8"), /^aip-[0-9a-f]+\n$/)

      const rawFile = path("raw-token")
      const raw = yield* associate(["--cli-input-json", "-", flag, rawFile], JSON.stringify({ signupCallback: {} }))
      assert.strictEqual(raw.code, 0, raw.stderr.join("\n"))
      assert.strictEqual(statSync(rawFile).mode & 0o777, 0o600)
      const token = readFileSync(rawFile, "utf8").trim()
      assert.match(token, /^aip-[0-9a-f]+$/)
      assert.notInclude([...raw.stdout, ...raw.stderr].join("\n"), token)

      // Both steps: step 2 fails (no PIN anywhere), but the token was saved first and still finalizes.
      const bothFile = path("both-token")
      const both = yield* associate([flag, bothFile])
      assert.strictEqual(both.code, 252)
      assert.include(both.stderr.join("\n"), `The associate-in-progress token was written to ${bothFile}`)
      const finalize = yield* Effect.flatMap(env, (environment) =>
        runCli([
          "associate-whatsapp-business-account",
          "--step",
          "finalize",
          "--associate-in-progress-token-file",
          bothFile,
          "--phone-number-ids",
          "200000000000031"
        ], { env: { ...environment, SOCIAL_MESSAGING_PIN: "123456" }, tty: false }))
      assert.strictEqual(finalize.code, 0, finalize.stderr.join("\n"))
    }))

  it.effect("a step 1 that fails leaves no file behind; --dry-run needs none; finalize rejects the flag", () =>
    Effect.gen(function*() {
      const revokedFile = path("revoked-token")
      const revoked = yield* Effect.flatMap(env, (environment) =>
        runCli(
          ["associate-whatsapp-business-account", "--step", "signup", "--access-token-env", "T", flag, revokedFile],
          { env: { ...environment, T: Fixtures.tokens.revoked }, tty: false }
        ))
      assert.strictEqual(revoked.code, 254)
      assert.isFalse(existsSync(revokedFile))

      const before = yield* associateCalls
      const dryRun = yield* associate(["--step", "signup", "--dry-run"])
      assert.strictEqual(dryRun.code, 0, dryRun.stderr.join("\n"))
      const dryRunFile = path("dry-run-token")
      const checked = yield* associate(["--step", "signup", "--dry-run", flag, dryRunFile])
      assert.strictEqual(checked.code, 0, checked.stderr.join("\n"))
      assert.isFalse(existsSync(dryRunFile))
      assert.strictEqual(yield* associateCalls, before)

      const finalize = yield* associate(["--step", "finalize", flag, path("finalize-token")])
      assert.strictEqual(finalize.code, 252)
      assert.include(finalize.stderr.join("\n"), `${flag} applies to step 1 only`)
    }))

  it.effect("--sandbox with --endpoint-url or --profile: 252 naming both options", () =>
    Effect.gen(function*() {
      const endpoint = yield* runCli([
        "list-linked-whatsapp-business-accounts",
        "--sandbox",
        "--endpoint-url",
        "http://127.0.0.1:9"
      ])
      assert.strictEqual(endpoint.code, 252)
      assert.include(endpoint.stderr.join("\n"), "--sandbox cannot be combined with --endpoint-url")
      const profile = yield* runCli(
        ["get-linked-whatsapp-business-account", "--id", "waba-1", "--sandbox", "--profile", "dev"]
      )
      assert.strictEqual(profile.code, 252)
      assert.include(profile.stderr.join("\n"), "--sandbox cannot be combined with --profile")
      const plain = yield* runCli(["list-linked-whatsapp-business-accounts", "--sandbox"])
      assert.strictEqual(plain.code, 0, plain.stderr.join("\n"))
    }))
})

describe("Secrets.openSecretFile", () => {
  it.scoped("refuses an existing file and leaves it as it was; creates a new one with mode 0600", () =>
    Effect.gen(function*() {
      const file = existing("unit-existing")
      const refused = yield* Effect.either(Secrets.openSecretFile("--out", file))
      assert.isTrue(Either.isLeft(refused))
      if (Either.isLeft(refused)) {
        assert.strictEqual(refused.left._tag, "InputError")
        assert.include(refused.left.detail, file)
      }
      assert.strictEqual(readFileSync(file, "utf8"), "an older token\n")
      assert.strictEqual(statSync(file).mode & 0o777, 0o644)

      const fresh = path("unit-fresh")
      const opened = yield* Secrets.openSecretFile("--out", fresh)
      yield* opened.write(Redacted.make("secret-value"))
      assert.strictEqual(readFileSync(fresh, "utf8"), "secret-value\n")
      assert.strictEqual(statSync(fresh).mode & 0o777, 0o600)
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
