/**
 * The real bin (the committed launcher running the esbuild bundle) as a child process against a
 * sandbox server on 127.0.0.1 run by this test: every command, every exit code, pagination, dry runs
 * that send nothing, `--cli-input-json` from a file and from stdin, and canary secrets that must never
 * show in any output.
 */
import { assert, describe, it, layer } from "@effect/vitest"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Engine from "@social-messaging/sandbox/Engine"
import type * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Redacted, Ref, Schema } from "effect"
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import * as Http from "node:http"
import { dirname, join } from "node:path"
import { binPath, runBin, sandboxEnv, scratch, startBin, transcript } from "./support/Bin.js"

// =============================================================================
// Fixtures: Meta tokens and PINs that are canaries (they must never be printed)
// =============================================================================

const canaries = {
  flowToken: "CANARY-bin-meta-token-flow-9a41",
  stepToken: "CANARY-bin-meta-token-steps-2c77",
  revokedToken: "CANARY-bin-meta-token-revoked-5e03",
  pagesToken: "CANARY-bin-meta-token-pages-81f0",
  regionsToken: "CANARY-bin-meta-token-regions-3d18",
  pin: "739164",
  stdinPin: "258036"
}
/** In-progress tokens the sandbox handed out, read back from files: canaries too. */
const issued: Array<string> = []

const waba = (id: number, numbers: number): Fixtures.MetaWaba => ({
  wabaId: `9100000000${String(id).padStart(5, "0")}`,
  name: `Bin Test ${id}`,
  phoneNumbers: Array.from({ length: numbers }, (_, n) => ({
    metaPhoneNumberId: `9200000000${String(id * 10 + n).padStart(5, "0")}`,
    phoneNumber: `+1206555${String(1000 + id * 10 + n).slice(-4)}`,
    displayPhoneNumber: `+1 206-555-${String(1000 + id * 10 + n).slice(-4)}`,
    displayPhoneNumberName: `Bin ${id}.${n}`,
    qualityRating: "GREEN"
  }))
})

const fixtures: ReadonlyArray<Fixtures.MetaTokenFixture> = [
  { accessToken: canaries.flowToken, description: "flow", grant: { _tag: "Granted", wabas: [waba(1, 2)] } },
  {
    accessToken: canaries.stepToken,
    description: "steps",
    grant: { _tag: "Granted", wabas: [waba(2, 1), waba(3, 1)] }
  },
  { accessToken: canaries.revokedToken, description: "revoked", grant: { _tag: "Revoked" } },
  { accessToken: canaries.regionsToken, description: "regions", grant: { _tag: "Granted", wabas: [waba(4, 2)] } },
  {
    accessToken: canaries.pagesToken,
    description: "pages",
    grant: { _tag: "Granted", wabas: Array.from({ length: 5 }, (_, i) => waba(10 + i, 1)) }
  }
]

const secretsSoFar = () => [...Object.values(canaries), ...issued]

const assertNoCanary = (texts: ReadonlyArray<string>) => {
  const all = texts.join("\n")
  for (const secret of secretsSoFar()) assert.notInclude(all, secret)
}

const write = (name: string, content: string) => {
  const path = join(scratch, name)
  writeFileSync(path, content)
  return path
}

const json = (text: string): Record<string, unknown> => {
  const parsed: unknown = JSON.parse(text)
  assert.isTrue(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
  return Object.fromEntries(Object.entries(parsed ?? {}))
}

const field = (text: string, pattern: RegExp): string => text.match(pattern)?.[1] ?? ""

// =============================================================================
// Against the sandbox
// =============================================================================

layer(Server.layerServer({ port: 0, fixtures, defaultPageSize: 2 }), { timeout: 30_000, excludeTestServices: true })(
  "the bin against the sandbox",
  (it) => {
    const env = Effect.map(
      Server.SandboxServer,
      (server) => sandboxEnv(server, Redacted.value(server.credentials[0]?.secretAccessKey ?? Redacted.make("")))
    )
    const requests = Effect.flatMap(Server.SandboxServer, (server) => Ref.get(server.requestLog))

    it.effect("guided association, non-interactive, with --debug and --output table: 0, the linked account", () =>
      Effect.gen(function*() {
        const run = yield* runBin([
          "associate-whatsapp-business-account",
          "--access-token-file",
          write("flow-token", `${canaries.flowToken}\n`),
          "--pin-env",
          "FLOW_PIN",
          "--data-localization-region",
          "DE",
          "--event-destination-arn",
          "arn:aws:sns:us-east-1:123456789012:bin-events",
          "--tags",
          "key=team,value=bin",
          "--debug",
          "--output",
          "table"
        ], { env: { ...(yield* env), FLOW_PIN: canaries.pin } })
        assert.strictEqual(run.code, 0, run.stderr)
        assert.include(run.stdout, "GetLinkedWhatsAppBusinessAccount")
        assert.include(run.stdout, "Bin Test 1")
        assert.include(run.stderr, "Unregistered phone numbers")
        assert.include(run.stderr, "[debug] --> POST")
        assert.include(run.stderr, "Signature=<redacted>")
        assert.include(run.stderr, "\"twoFactorPin\":\"<redacted>\"")
        assertNoCanary([run.stdout, run.stderr])
      }))

    it.effect("one step at a time: --step signup saves the token (0600); --step finalize reads it and a PIN from stdin", () =>
      Effect.gen(function*() {
        const tokenFile = join(scratch, "bin-in-progress-token")
        const signup = yield* runBin([
          "associate-whatsapp-business-account",
          "--step",
          "signup",
          "--access-token",
          `file://${write("step-token", canaries.stepToken)}`,
          "--associate-in-progress-token-output",
          tokenFile,
          "--output",
          "text"
        ], { env: yield* env })
        assert.strictEqual(signup.code, 0, signup.stderr)
        assert.strictEqual(statSync(tokenFile).mode & 0o777, 0o600)
        issued.push(readFileSync(tokenFile, "utf8").trim())
        assert.include(signup.stdout, "<redacted>")
        const phoneNumberId = field(signup.stdout, /(phone-number-id-[0-9a-f]+)/)
        const finalize = yield* runBin([
          "associate-whatsapp-business-account",
          "--step",
          "finalize",
          "--associate-in-progress-token-file",
          tokenFile,
          "--waba-id",
          waba(2, 1).wabaId,
          "--phone-number-ids",
          phoneNumberId,
          "--pin",
          "-"
        ], { env: yield* env, stdin: `${canaries.stdinPin}\n` })
        assert.strictEqual(finalize.code, 0, finalize.stderr)
        assert.include(finalize.stdout, phoneNumberId)
        assert.notInclude(finalize.stderr, "warning")
        assertNoCanary([signup.stdout, signup.stderr, finalize.stdout, finalize.stderr])
      }))

    it.effect("every other operation on the linked WABA, --cli-input-json from a file and from stdin", () =>
      Effect.gen(function*() {
        const state = yield* Effect.flatMap(Engine.Engine, (engine) => engine.state)
        const linked = state.linked.find((w) => w.wabaId === waba(1, 2).wabaId)
        assert.isDefined(linked)
        const id = linked?.id ?? ""
        const arn = linked?.arn ?? ""
        const phoneNumberId = linked?.phoneNumbers[0]?.phoneNumberId ?? ""
        const environment = yield* env

        const get = yield* runBin([
          "get-linked-whatsapp-business-account",
          "--cli-input-json",
          `file://${write("get.json", JSON.stringify({ id }))}`
        ], { env: environment })
        assert.strictEqual(get.code, 0, get.stderr)
        assert.strictEqual(json(get.stdout)["account"] === undefined, false)
        // Timestamps print in ISO 8601, as the AWS CLI prints them (the wire has epoch seconds).
        assert.match(get.stdout, /"linkDate": "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z"/)

        const phone = yield* runBin([
          "get-linked-whatsapp-business-account-phone-number",
          "--id",
          phoneNumberId,
          "--output",
          "text"
        ], {
          env: environment
        })
        assert.strictEqual(phone.code, 0, phone.stderr)
        assert.match(phone.stdout, new RegExp(`^${id}$`, "m"))

        const put = yield* runBin([
          "put-whatsapp-business-account-event-destinations",
          "--id",
          id,
          "--event-destinations",
          "eventDestinationArn=arn:aws:sns:us-east-1:123456789012:other,roleArn=arn:aws:iam::123456789012:role/events"
        ], { env: environment })
        assert.strictEqual(put.code, 0, put.stderr)

        const tag = yield* runBin(["tag-resource", "--cli-input-json", "-"], {
          env: environment,
          stdin: JSON.stringify({
            resourceArn: arn,
            tags: [{ key: "env", value: "test" }, { key: "owner", value: "bin" }]
          })
        })
        assert.strictEqual(tag.code, 0, tag.stderr)
        const untag = yield* runBin(["untag-resource", "--resource-arn", arn, "--tag-keys", "owner"], {
          env: environment
        })
        assert.strictEqual(untag.code, 0, untag.stderr)
        const tags = yield* runBin(["list-tags-for-resource", "--resource-arn", arn, "--output", "table"], {
          env: environment
        })
        assert.strictEqual(tags.code, 0, tags.stderr)
        assert.include(tags.stdout, "| env  | test  |")
        assert.notInclude(tags.stdout, "owner")

        const disassociate = yield* runBin(["disassociate-whatsapp-business-account", "--id", id], { env: environment })
        assert.strictEqual(disassociate.code, 0, disassociate.stderr)
        assert.deepStrictEqual(json(disassociate.stdout), {})
        const after = yield* Effect.flatMap(Engine.Engine, (engine) => engine.state)
        assert.isUndefined(after.linked.find((w) => w.id === id))
      }))

    it.effect("pagination: every page by default; exactly one page with --max-results; --max-items cuts", () =>
      Effect.gen(function*() {
        const engine = yield* Engine.Engine
        const handlers = Engine.handlers(engine)
        // Five more WABAs, linked in-process (the page size is 2).
        const signup = yield* handlers.AssociateWhatsAppBusinessAccount({
          signupCallback: { accessToken: canaries.pagesToken }
        })
        const inProgress = field(JSON.stringify(signup), /"associateInProgressToken":"([^"]+)"/)
        issued.push(inProgress)
        const numbers = (yield* engine.state).phoneNumbers
        for (let i = 10; i < 15; i++) {
          const meta = waba(i, 1)
          yield* handlers.AssociateWhatsAppBusinessAccount({
            setupFinalization: {
              associateInProgressToken: inProgress,
              phoneNumbers: [{
                id: numbers.get(meta.phoneNumbers[0]?.metaPhoneNumberId ?? "")?.phoneNumberId ?? "",
                twoFactorPin: "123456"
              }],
              waba: { id: meta.wabaId }
            }
          })
        }
        const linkedCount = (yield* engine.state).linked.length
        const before = (yield* requests).length
        const all = yield* runBin(["list-linked-whatsapp-business-accounts"], { env: yield* env })
        assert.strictEqual(all.code, 0, all.stderr)
        assert.strictEqual(all.stdout.match(/"wabaName"/g)?.length, linkedCount)
        assert.notInclude(all.stdout, "nextToken")
        const listCalls = (yield* requests).slice(before).filter((r) =>
          r.operation === "ListLinkedWhatsAppBusinessAccounts"
        )
        assert.strictEqual(listCalls.length, Math.ceil(linkedCount / 2))

        const page = yield* runBin(["list-linked-whatsapp-business-accounts", "--max-results", "2"], {
          env: yield* env
        })
        assert.strictEqual(page.code, 0, page.stderr)
        assert.strictEqual(page.stdout.match(/"wabaName"/g)?.length, 2)
        const nextToken = field(page.stdout, /"nextToken": "([^"]+)"/)
        assert.notStrictEqual(nextToken, "")

        // --max-items cuts mid-page: the NextToken (botocore's base64 JSON) resumes inside that page.
        const items = yield* runBin(
          ["list-linked-whatsapp-business-accounts", "--max-items", "3", "--output", "text"],
          {
            env: yield* env
          }
        )
        assert.strictEqual(items.code, 0, items.stderr)
        assert.strictEqual(items.stdout.match(/^LINKEDACCOUNTS/gm)?.length, 3)
        assert.include(items.stderr, "more linkedAccounts exist")
        const midPage = field(items.stdout, /^NEXTTOKEN\t(\S+)$/m)
        const position = json(Buffer.from(midPage, "base64").toString("utf8"))
        assert.strictEqual(position["boto_truncate_amount"], 1)
        assert.isString(position["nextToken"])
        const rest = yield* runBin(["list-linked-whatsapp-business-accounts", "--starting-token", midPage], {
          env: yield* env
        })
        assert.strictEqual(rest.code, 0, rest.stderr)
        const firstIds = items.stdout.match(/waba-[0-9a-f]+/g) ?? []
        const restIds = json(rest.stdout)["linkedAccounts"]
        assert.isTrue(Array.isArray(restIds))
        const allIds = [
          ...new Set([
            ...firstIds,
            ...(Array.isArray(restIds) ? restIds.map((a) => json(JSON.stringify(a))["id"]) : [])
          ])
        ]
        assert.strictEqual(allIds.length, linkedCount, "every account once, none twice")
        assert.notInclude(rest.stdout, "NextToken")

        // No page is fetched once there are enough accounts; a cut on a page boundary resumes at the next page.
        const withListCalls = <A>(run: Effect.Effect<A>) =>
          Effect.gen(function*() {
            const start = (yield* requests).length
            const result = yield* run
            const sent = (yield* requests).slice(start)
            return [result, sent.filter((r) => r.operation === "ListLinkedWhatsAppBusinessAccounts").length] as const
          })
        const [boundary, boundaryCalls] = yield* withListCalls(
          runBin(["list-linked-whatsapp-business-accounts", "--max-items", "2"], { env: yield* env })
        )
        assert.strictEqual(boundary.code, 0, boundary.stderr)
        assert.strictEqual(boundaryCalls, 1)
        assert.strictEqual(boundary.stdout.match(/"wabaName"/g)?.length, 2)
        const resume = field(boundary.stdout, /"NextToken": "([^"]+)"/)
        assert.notInclude(Buffer.from(resume, "base64").toString("utf8"), "boto_truncate_amount")
        const [, threeCalls] = yield* withListCalls(
          runBin(["list-linked-whatsapp-business-accounts", "--max-items", "3"], { env: yield* env })
        )
        assert.strictEqual(threeCalls, 2)
        const [next, nextCalls] = yield* withListCalls(runBin(
          [
            "list-linked-whatsapp-business-accounts",
            "--starting-token",
            resume,
            "--page-size",
            "1",
            "--max-items",
            "2"
          ],
          { env: yield* env }
        ))
        assert.strictEqual(next.code, 0, next.stderr)
        assert.strictEqual(nextCalls, 2, "--page-size 1: one account per request")
        assert.strictEqual(next.stdout.match(/"wabaName"/g)?.length, 2)
        const bad = yield* runBin(["list-linked-whatsapp-business-accounts", "--starting-token", "not-a-token"], {
          env: yield* env
        })
        assert.strictEqual(bad.code, 252)
        assert.include(bad.stderr, "--starting-token")
      }))

    it.effect("--dry-run validates, prints the signed request redacted, and sends nothing", () =>
      Effect.gen(function*() {
        const before = (yield* requests).length
        const environment = yield* env
        const [tag, associate, invalid, raw] = yield* Effect.all([
          runBin([
            "tag-resource",
            "--resource-arn",
            "arn:aws:social-messaging:us-east-1:123456789012:waba/abc",
            "--tags",
            "a=b",
            "--dry-run"
          ], {
            env: environment
          }),
          runBin([
            "associate-whatsapp-business-account",
            "--access-token-env",
            "TOKEN",
            "--dry-run",
            "--output",
            "text"
          ], {
            env: { ...environment, TOKEN: canaries.flowToken }
          }),
          runBin(["get-linked-whatsapp-business-account", "--id", "not-a-waba", "--dry-run"], { env: environment }),
          // Raw mode: the JSON from stdin leaves the token out; its flag fills it in.
          runBin([
            "associate-whatsapp-business-account",
            "--cli-input-json",
            "-",
            "--access-token-env",
            "T",
            "--dry-run"
          ], {
            env: { ...environment, T: canaries.flowToken },
            stdin: JSON.stringify({ signupCallback: { callbackUrl: "https://example.com/cb" } })
          })
        ], { concurrency: "unbounded" })
        assert.strictEqual(tag.code, 0, tag.stderr)
        const shown = json(tag.stdout)
        assert.strictEqual(shown["method"], "POST")
        assert.match(String(json(JSON.stringify(shown["headers"]))["authorization"]), /Signature=<redacted>$/)
        assert.deepStrictEqual(shown["body"], {
          resourceArn: "arn:aws:social-messaging:us-east-1:123456789012:waba/abc",
          tags: [{ key: "a", value: "b" }]
        })
        assert.strictEqual(associate.code, 0, associate.stderr)
        assert.include(associate.stdout, "<redacted>")
        assert.strictEqual(invalid.code, 252)
        assert.strictEqual(raw.code, 0, raw.stderr)
        assert.deepStrictEqual(json(raw.stdout)["body"], {
          signupCallback: { callbackUrl: "https://example.com/cb", accessToken: "<redacted>" }
        })
        assert.strictEqual((yield* requests).length, before)
        assertNoCanary([tag.stdout, tag.stderr, associate.stdout, associate.stderr, raw.stdout, raw.stderr])
      }))

    it.effect("exit codes: 252 invalid parameters (nothing sent), 253 configuration or credentials, 254 service, 255 transport", () =>
      Effect.gen(function*() {
        const environment = yield* env
        const before = (yield* requests).length
        const { AWS_REGION: _region, ...noRegion } = environment
        const { AWS_SECRET_ACCESS_KEY: _secret, ...noSecretKey } = environment
        const runs = yield* Effect.all({
          invalid: runBin(["get-linked-whatsapp-business-account", "--id", "nope"], { env: environment }),
          invalidJson: runBin(["tag-resource", "--cli-input-json", "{\"resourceArn\": 1, \"extra\": true}"], {
            env: environment
          }),
          parse: runBin(["list-linked-whatsapp-business-accounts", "--no-such-flag"], { env: environment }),
          brokenJson: runBin([
            "associate-whatsapp-business-account",
            "--cli-input-json",
            `{"signupCallback": {"accessToken": "${canaries.flowToken}"`
          ], { env: environment }),
          noSecret: runBin(["associate-whatsapp-business-account"], { env: environment }),
          noRegion: runBin(["list-linked-whatsapp-business-accounts"], { env: noRegion }),
          badCredentials: runBin(["list-linked-whatsapp-business-accounts"], { env: noSecretKey }),
          notFound: runBin(["get-linked-whatsapp-business-account", "--id", "waba-0000"], { env: environment }),
          revoked: runBin(["associate-whatsapp-business-account", "--access-token-env", "T", "--output", "table"], {
            env: { ...environment, T: canaries.revokedToken }
          }),
          transport: runBin(["list-linked-whatsapp-business-accounts", "--endpoint-url", "http://127.0.0.1:9"], {
            env: environment
          })
        }, { concurrency: 3 })
        assert.strictEqual(runs.invalid.code, 252)
        assert.include(runs.invalid.stderr, "id: expected a string matching")
        assert.strictEqual(runs.invalidJson.code, 252)
        assert.include(runs.invalidJson.stderr, "resourceArn")
        assert.include(runs.invalidJson.stderr, "extra")
        assert.include(runs.invalidJson.stderr, "tags")
        assert.strictEqual(runs.parse.code, 252)
        assert.strictEqual(runs.brokenJson.code, 252)
        assert.include(runs.brokenJson.stderr, "not valid JSON")
        assert.strictEqual(runs.noSecret.code, 252)
        assert.include(runs.noSecret.stderr, "--access-token-file")
        assert.strictEqual(runs.noRegion.code, 253)
        assert.include(runs.noRegion.stderr, "region")
        assert.strictEqual(runs.badCredentials.code, 253)
        assert.strictEqual(runs.notFound.code, 254)
        assert.include(
          runs.notFound.stderr,
          "An error occurred (ResourceNotFoundException) when calling the GetLinkedWhatsAppBusinessAccount operation"
        )
        assert.strictEqual(runs.revoked.code, 254)
        assert.include(runs.revoked.stderr, "InvalidParametersException")
        assert.strictEqual(runs.transport.code, 255)
        assert.include(runs.transport.stderr, "transport failed")
        for (const run of Object.values(runs)) {
          assert.notInclude(run.stderr, "    at ", "no stack trace")
        }
        // Only the service error runs reached the sandbox: the 252s and 253s sent nothing.
        const sent = (yield* requests).slice(before)
        assert.deepStrictEqual(sent.map((r) => r.operation).sort(), [
          "AssociateWhatsAppBusinessAccount",
          "GetLinkedWhatsAppBusinessAccount"
        ])
        assertNoCanary(Object.values(runs).flatMap((run) => [run.stdout, run.stderr]))
      }))

    it.effect("global options before the command, as the AWS CLI takes them: their values are used", () =>
      Effect.gen(function*() {
        // The region and endpoint come only from the options written before the command.
        const { AWS_ENDPOINT_URL_SOCIALMESSAGING: url = "", AWS_REGION: region = "", ...keys } = yield* env
        const run = yield* runBin([
          "--region",
          region,
          "--endpoint-url",
          url,
          "--output",
          "table",
          "--debug",
          "list-linked-whatsapp-business-accounts",
          "--max-items",
          "1"
        ], { env: keys })
        assert.strictEqual(run.code, 0, run.stderr)
        assert.include(run.stdout, "ListLinkedWhatsAppBusinessAccounts")
        assert.include(run.stderr, `[debug] --> GET ${url}/v1/whatsapp/waba/list`)
      }))

    it.effect("--data-localization-region ID=CC pairs: each number gets its own; a bad code is 252 naming the number", () =>
      Effect.gen(function*() {
        const environment = yield* env
        const tokenFile = join(scratch, "regions-in-progress-token")
        const signup = yield* runBin([
          "associate-whatsapp-business-account",
          "--step",
          "signup",
          "--access-token-env",
          "TOKEN",
          "--associate-in-progress-token-output",
          tokenFile,
          "--output",
          "text"
        ], { env: { ...environment, TOKEN: canaries.regionsToken } })
        assert.strictEqual(signup.code, 0, signup.stderr)
        issued.push(readFileSync(tokenFile, "utf8").trim())
        const ids = [...new Set(signup.stdout.match(/phone-number-id-[0-9a-f]+/g) ?? [])]
        assert.strictEqual(ids.length, 2, signup.stdout)
        const [first = "", second = ""] = ids
        const finalize = (regions: string) =>
          runBin([
            "associate-whatsapp-business-account",
            "--step",
            "finalize",
            "--associate-in-progress-token-file",
            tokenFile,
            "--waba-id",
            waba(4, 2).wabaId,
            "--phone-number-ids",
            ids.join(","),
            "--pin-env",
            "PIN",
            "--data-localization-region",
            regions
          ], { env: { ...environment, PIN: canaries.pin } })

        const before = (yield* requests).length
        const invalid = yield* finalize(`${first}=DE,${second}=de`)
        assert.strictEqual(invalid.code, 252)
        assert.include(invalid.stderr, `"de" for ${second} is not a two-letter country code`)
        assert.strictEqual((yield* requests).length, before, "nothing was sent")

        const linked = yield* finalize(`${first}=DE,${second}=IN`)
        assert.strictEqual(linked.code, 0, linked.stderr)
        const expected: ReadonlyArray<readonly [string, string]> = [[first, "DE"], [second, "IN"]]
        for (const [id, region] of expected) {
          const phone = yield* runBin(["get-linked-whatsapp-business-account-phone-number", "--id", id], {
            env: environment
          })
          assert.strictEqual(phone.code, 0, phone.stderr)
          const output = yield* Schema.decodeUnknown(
            Schema.parseJson(LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberOutput)
          )(phone.stdout)
          assert.strictEqual(output.phoneNumber?.phoneNumberId, id)
          assert.strictEqual(output.phoneNumber?.dataLocalizationRegion, region, id)
        }
        assertNoCanary([signup.stdout, signup.stderr, invalid.stderr, linked.stdout, linked.stderr])
      }))

    it.effect("a secret typed into argv works but is warned about, never echoed", () =>
      Effect.gen(function*() {
        const tokenFile = join(scratch, "argv-in-progress-token")
        const run = yield* runBin([
          "associate-whatsapp-business-account",
          "--step",
          "signup",
          "--access-token",
          canaries.flowToken,
          "--associate-in-progress-token-output",
          tokenFile
        ], { env: yield* env })
        assert.strictEqual(run.code, 0, run.stderr)
        issued.push(readFileSync(tokenFile, "utf8").trim())
        assert.include(run.stderr, "warning: --access-token was given on the command line")
        assertNoCanary([run.stdout, run.stderr])
      }))
  }
)

// =============================================================================
// Without a server
// =============================================================================

describe("the bin on its own", () => {
  it.effect("--help lists every command with a description; --sandbox serves a command in-process", () =>
    Effect.gen(function*() {
      const [help, embedded, globalsFirst] = yield* Effect.all([
        runBin(["--help"]),
        runBin(["list-linked-whatsapp-business-accounts", "--sandbox", "--output", "table"]),
        runBin(["--sandbox", "--output", "text", "list-linked-whatsapp-business-accounts"])
      ], { concurrency: "unbounded" })
      assert.strictEqual(help.code, 0, help.stderr)
      for (
        const command of [
          "associate-whatsapp-business-account",
          "disassociate-whatsapp-business-account",
          "get-linked-whatsapp-business-account",
          "list-linked-whatsapp-business-accounts",
          "get-linked-whatsapp-business-account-phone-number",
          "put-whatsapp-business-account-event-destinations",
          "tag-resource",
          "untag-resource",
          "list-tags-for-resource",
          "sandbox serve",
          "sandbox events",
          "decode-event"
        ]
      ) assert.include(help.stdout, command)
      // Each row of the command list: "- NAME [OPTIONS…]", padding of two spaces or more, the description.
      // eslint-disable-next-line no-control-regex -- the ANSI colour escapes are what is stripped
      const rows = help.stdout.replace(/\u001b\[[0-9;]*m/g, "").split("\n").filter((line) => /^\s*- [a-z]/.test(line))
      // The 38 operations, decode-event, sandbox, sandbox serve and sandbox events.
      assert.strictEqual(rows.length, 42)
      for (const row of rows) assert.match(row, /\S {2,}\S/, row.slice(0, 60))
      assert.match(
        help.stdout,
        /^\s*- associate-whatsapp-business-account .* {2,}Links a WhatsApp Business Account to this AWS account, guided/m
      )
      assert.notInclude(help.stdout, "Where the Meta access token comes from")
      assert.strictEqual(embedded.code, 0, embedded.stderr)
      assert.include(embedded.stdout, "ListLinkedWhatsAppBusinessAccounts")
      // The global options before the command (the QA report's invocation): text output, not JSON.
      assert.strictEqual(globalsFirst.code, 0, globalsFirst.stderr)
      assert.notInclude(globalsFirst.stdout, "linkedAccounts")
    }))

  it.scopedLive("sandbox serve --fault-plan: its printed endpoint and keys work; the scripted fault is 254, then success", () =>
    Effect.gen(function*() {
      const plan = write(
        "serve-fault-plan.json",
        JSON.stringify({
          scripted: { ListLinkedWhatsAppBusinessAccounts: [{ kind: "error", errorType: "InternalServiceException" }] }
        })
      )
      const printed = yield* startBin(
        ["sandbox", "serve", "--port", "0", "--fault-plan", plan],
        "Press Ctrl-C to stop."
      ).pipe(
        Effect.timeout("20 seconds")
      )
      const exported: Record<string, string> = Object.fromEntries(
        [...printed.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name = "", value = ""]) => [name, value])
      )
      assert.deepStrictEqual(Object.keys(exported).sort(), [
        "AWS_ACCESS_KEY_ID",
        "AWS_ENDPOINT_URL_SOCIALMESSAGING",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY"
      ])
      assert.match(exported["AWS_ENDPOINT_URL_SOCIALMESSAGING"] ?? "", /^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
      const env = { ...exported, AWS_MAX_ATTEMPTS: "1" }
      const faulted = yield* runBin(["list-linked-whatsapp-business-accounts"], { env })
      assert.strictEqual(faulted.code, 254, faulted.stderr)
      assert.include(
        faulted.stderr,
        "An error occurred (InternalServiceException) when calling the ListLinkedWhatsAppBusinessAccounts operation"
      )
      const recovered = yield* runBin(["list-linked-whatsapp-business-accounts"], { env })
      assert.strictEqual(recovered.code, 0, recovered.stderr)
      assert.deepStrictEqual(json(recovered.stdout), { linkedAccounts: [] })
    }))

  it.effect("a part of an incomplete install that cannot be loaded: 255 with a message, not a defect", () =>
    Effect.gen(function*() {
      const bundle = join(dirname(binPath), "..", "dist")
      const call = ["list-linked-whatsapp-business-accounts", "--endpoint-url", "http://127.0.0.1:9"]
      const env = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "not-a-real-key" }
      const complete = yield* runBin(call, { env })
      assert.strictEqual(complete.code, 255, complete.stderr)
      // The bundle missing: a message. The code cache missing, or one V8 rejects: the same answer, compiled anew.
      const parts: ReadonlyArray<readonly [string, string | undefined]> = [
        ["cli.cjs", undefined],
        ["cli.cache", undefined],
        ["cli.cache", "not a cache"]
      ]
      for (const [part, broken] of parts) {
        const copy = mkdtempSync(join(scratch, "broken-install-"))
        cpSync(bundle, copy, { recursive: true })
        if (broken === undefined) rmSync(join(copy, part))
        else writeFileSync(join(copy, part), broken)
        const run = yield* runBin(call, { bin: join(copy, "bin.js"), env })
        if (part === "cli.cjs") {
          assert.strictEqual(run.code, 255, run.stderr)
          assert.match(run.stderr, /^cannot load .*the installation looks incomplete/m)
          assert.notInclude(run.stderr, "unexpected error")
        } else {
          assert.deepStrictEqual(run, complete, `${part} ${broken ?? "missing"}`)
        }
      }
    }))

  it.scoped("a page that repeats its nextToken: 255 MalformedResponse, not an endless loop", () =>
    Effect.gen(function*() {
      const server = yield* Effect.acquireRelease(
        Effect.async<Http.Server>((resume) => {
          const listening = Http.createServer((_request, response) => {
            response.writeHead(200, { "content-type": "application/json" })
            response.end(JSON.stringify({ linkedAccounts: [], nextToken: "the-same-token" }))
          }).listen(0, "127.0.0.1", () => resume(Effect.succeed(listening)))
        }),
        (listening) => Effect.async<void>((resume) => void listening.close(() => resume(Effect.void)))
      )
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      const run = yield* runBin(
        ["list-linked-whatsapp-business-accounts", "--endpoint-url", `http://127.0.0.1:${port}`],
        { env: { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "not-a-real-key" } }
      )
      assert.strictEqual(run.code, 255, run.stderr)
      assert.include(run.stderr, "the page returned the nextToken it was requested with")
    }))

  it("no canary secret appeared in any output of any run", () => {
    assert.isAbove(transcript.length, 10)
    for (const run of transcript) {
      for (const secret of secretsSoFar()) {
        assert.notInclude(run.stdout, secret, run.args.join(" "))
        assert.notInclude(run.stderr, secret, run.args.join(" "))
      }
    }
  })
})
