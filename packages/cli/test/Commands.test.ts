/**
 * Every command of the table, run as the real bin (the launcher running the esbuild bundle) against a sandbox
 * server on 127.0.0.1: messages (the builders, a blob from `fileb://`), media, templates (a resumable paginated
 * listing), flows, datasets, business keys, calling, and the association commands; then a check that each of
 * the 38 commands ran at least once with exit code 0, and that no secret of any input (message bytes, an S3
 * pre-signed URL, call and conversion events, a phone number the model marks sensitive) was printed.
 */
import { assert, layer } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import * as Engine from "@social-messaging/sandbox/Engine"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Redacted } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { type Run, runBin, sandboxEnv, scratch } from "./support/Bin.js"

/** Secret inputs: none may appear in any output. */
const canaries = {
  messageBody: "CANARY-message-body-51c2",
  fileMessageBody: "CANARY-fileb-message-8e3a",
  presignedSignature: "CANARYpresigned0c4d9e",
  sdp: "CANARY-sdp-offer-77b1",
  eventUser: "CANARY-conversion-user-2f90"
}

const runs: Array<Run & { readonly args: ReadonlyArray<string> }> = []

const write = (name: string, content: string | Uint8Array) => {
  const path = join(scratch, name)
  writeFileSync(path, content)
  return path
}

const record = (u: unknown): Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? Object.fromEntries(Object.entries(u)) : {}

const json = (text: string): Readonly<Record<string, unknown>> => record(JSON.parse(text))

const str = (u: unknown, ...path: ReadonlyArray<string | number>): string => {
  let at = u
  for (const key of path) at = typeof key === "number" ? (Array.isArray(at) ? at[key] : undefined) : record(at)[key]
  return typeof at === "string" ? at : ""
}

const commandNames = Operations.operationNames.map((name) =>
  name.replace(/WhatsApp/g, "Whatsapp").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()
)

layer(Server.layerServer({ port: 0, templateReviewDelay: 0, defaultPageSize: 2 }), {
  timeout: 120_000,
  excludeTestServices: true
})("every command against the sandbox", (it) => {
  const env = Effect.map(
    Server.SandboxServer,
    (server) => sandboxEnv(server, Redacted.value(server.credentials[0]?.secretAccessKey ?? Redacted.make("")))
  )

  /** Runs the bin; asserts the exit code (0 unless given) and parses JSON output when asked. */
  const sm = (args: ReadonlyArray<string>, options: { readonly code?: number; readonly stdin?: string } = {}) =>
    Effect.gen(function*() {
      const run = yield* runBin(args, {
        env: yield* env,
        ...(options.stdin === undefined ? {} : { stdin: options.stdin })
      })
      runs.push({ ...run, args })
      assert.strictEqual(run.code, options.code ?? 0, `${args.join(" ")}\n${run.stderr}`)
      return run
    })
  const smJson = (args: ReadonlyArray<string>) => Effect.map(sm(args), (run) => json(run.stdout))

  /** The WABA the tests work on, linked by the guided association. */
  let waba = { id: "", arn: "", number: "", numberArn: "" }

  it.effect("link a WABA (the guided association), then the association commands", () =>
    Effect.gen(function*() {
      const linked = record(
        (yield* Effect.map(
          runBin([
            "associate-whatsapp-business-account",
            "--access-token-env",
            "TOKEN",
            "--pin-env",
            "PIN",
            "--waba-id",
            "100000000000001"
          ], { env: { ...(yield* env), TOKEN: "sandbox-meta-token-two-wabas", PIN: "123456" } }),
          (run) => {
            runs.push({ ...run, args: ["associate-whatsapp-business-account"] })
            assert.strictEqual(run.code, 0, run.stderr)
            return json(run.stdout)
          }
        )).account
      )
      waba = {
        id: str(linked, "id"),
        arn: str(linked, "arn"),
        number: str(linked, "phoneNumbers", 0, "phoneNumberId"),
        numberArn: str(linked, "phoneNumbers", 0, "arn")
      }
      assert.match(waba.number, /^phone-number-id-/)
      yield* sm(["get-linked-whatsapp-business-account", "--id", waba.id, "--output", "table"])
      yield* sm(["get-linked-whatsapp-business-account-phone-number", "--id", waba.number])
      yield* sm(["list-linked-whatsapp-business-accounts", "--output", "text"])
      yield* sm([
        "put-whatsapp-business-account-event-destinations",
        "--id",
        waba.id,
        "--event-destinations",
        "eventDestinationArn=arn:aws:sns:us-east-1:123456789012:cli-events"
      ])
      yield* sm(["tag-resource", "--resource-arn", waba.numberArn, "--tags", "team=cli,env=test"])
      yield* sm(["untag-resource", "--resource-arn", waba.numberArn, "--tag-keys", "env"])
      const tags = yield* smJson(["list-tags-for-resource", "--resource-arn", waba.numberArn])
      assert.deepStrictEqual(tags["tags"], [{ key: "team", value: "cli" }])
    }))

  it.effect("send-whatsapp-message: --text and --template builders, --message fileb://, --dry-run; the outbox has them", () =>
    Effect.gen(function*() {
      const text = yield* smJson([
        "send-whatsapp-message",
        "--origination-phone-number-id",
        waba.number,
        "--to",
        "+4915112345678",
        "--text",
        canaries.messageBody,
        "--debug"
      ])
      const template = yield* smJson([
        "send-whatsapp-message",
        "--origination-phone-number-id",
        waba.number,
        "--to",
        "+4915112345678",
        "--template",
        "order_update",
        "--language",
        "en_US",
        "--named-parameters",
        "order_id=A-1001"
      ])
      const hello = yield* smJson([
        "send-whatsapp-message",
        "--origination-phone-number-id",
        waba.number,
        "--to",
        "+4915112345678",
        "--template",
        "hello_world",
        "--language",
        "en_US"
      ])
      const file = write(
        "message.json",
        JSON.stringify({
          messaging_product: "whatsapp",
          to: "+4915112345679",
          type: "text",
          text: { body: canaries.fileMessageBody }
        })
      )
      const raw = yield* smJson([
        "send-whatsapp-message",
        "--origination-phone-number-id",
        waba.number,
        "--meta-api-version",
        "v21.0",
        "--message",
        `fileb://${file}`
      ])
      const engine = yield* Engine.Engine
      const before = (yield* engine.outbox(waba.number)).length
      const dry = yield* smJson([
        "send-whatsapp-message",
        "--origination-phone-number-id",
        waba.number,
        "--to",
        "+4915112345678",
        "--text",
        canaries.messageBody,
        "--dry-run"
      ])
      assert.strictEqual(str(dry, "body", "message"), "<redacted>")
      assert.strictEqual(str(dry, "body", "metaApiVersion"), "v20.0")
      assert.strictEqual((yield* engine.outbox(waba.number)).length, before, "a dry run sends nothing")

      const outbox = yield* engine.outbox(waba.number)
      const sent = [text, template, hello, raw].map((output) => str(output, "messageId"))
      for (const id of sent) assert.isTrue(outbox.some((m) => m.messageId === id), id)
      const byId = (id: string) => outbox.find((m) => m.messageId === id)
      assert.strictEqual(byId(sent[0] ?? "")?.type, "text")
      assert.strictEqual(byId(sent[1] ?? "")?.type, "template")
      assert.strictEqual(byId(sent[3] ?? "")?.to, "+4915112345679")

      // What the builders refuse, before anything is sent: 252.
      const refused = yield* Effect.all([
        sm(["send-whatsapp-message", "--origination-phone-number-id", waba.number, "--text", "hi"], { code: 252 }),
        sm([
          "send-whatsapp-message",
          "--origination-phone-number-id",
          waba.number,
          "--to",
          "+4915112345678",
          "--template",
          "x"
        ], {
          code: 252
        }),
        sm([
          "send-whatsapp-message",
          "--origination-phone-number-id",
          waba.number,
          "--to",
          "+4915112345678",
          "--text",
          "hi",
          "--message",
          `fileb://${file}`
        ], { code: 252 }),
        sm([
          "send-whatsapp-message",
          "--origination-phone-number-id",
          waba.number,
          "--to",
          "not-a-number",
          "--text",
          "hi"
        ], {
          code: 252
        })
      ], { concurrency: 2 })
      assert.include(refused[0].stderr, "--to is required")
      assert.include(refused[1].stderr, "--language is required")
      assert.include(refused[2].stderr, "cannot be combined")
      assert.include(refused[3].stderr, "to")
      assert.strictEqual((yield* engine.outbox(waba.number)).length, outbox.length)
    }))

  it.effect("media: post from the S3 stand-in (file and pre-signed URL), get, delete, template media", () =>
    Effect.gen(function*() {
      const posted = yield* smJson([
        "post-whatsapp-message-media",
        "--origination-phone-number-id",
        waba.number,
        "--source-s3-file",
        `bucketName=${Fixtures.mediaBucket},key=images/welcome.jpg`
      ])
      const mediaId = str(posted, "mediaId")
      assert.notStrictEqual(mediaId, "")
      const metadata = yield* smJson([
        "get-whatsapp-message-media",
        "--media-id",
        mediaId,
        "--origination-phone-number-id",
        waba.number,
        "--metadata-only"
      ])
      assert.strictEqual(metadata["mimeType"], "image/jpeg")
      const url =
        `https://${Fixtures.mediaBucket}.s3.us-east-1.amazonaws.com/images/logo.png?X-Amz-Signature=${canaries.presignedSignature}`
      yield* sm([
        "post-whatsapp-message-media",
        "--origination-phone-number-id",
        waba.number,
        "--source-s3-presigned-url",
        JSON.stringify({ url, headers: {} }),
        "--debug"
      ])
      yield* sm(["delete-whatsapp-message-media", "--media-id", mediaId, "--origination-phone-number-id", waba.number])
      const handle = yield* smJson([
        "create-whatsapp-message-template-media",
        "--id",
        waba.id,
        "--source-s3-file",
        `bucketName=${Fixtures.mediaBucket},key=images/logo.png`
      ])
      assert.match(str(handle, "metaHeaderHandle"), /^4::/)
    }))

  it.effect("templates: create from fileb://, a resumable --max-items listing, get, update from file://, library, delete", () =>
    Effect.gen(function*() {
      const definition = write(
        "template.json",
        JSON.stringify({
          name: "cli_test",
          language: "en_US",
          category: "UTILITY",
          components: [{ type: "BODY", text: "Hi" }]
        })
      )
      const created = yield* smJson([
        "create-whatsapp-message-template",
        "--id",
        waba.id,
        "--template-definition",
        `fileb://${definition}`
      ])
      const metaTemplateId = str(created, "metaTemplateId")
      // Page size 2; hello_world, order_update, rejected_spring_sale and cli_test: cut inside the second page.
      const first = yield* smJson(["list-whatsapp-message-templates", "--id", waba.id, "--max-items", "3"])
      const token = str(first, "NextToken")
      assert.notStrictEqual(token, "")
      const rest = yield* smJson(["list-whatsapp-message-templates", "--id", waba.id, "--starting-token", token])
      const names = [first, rest].flatMap((page) =>
        (Array.isArray(page["templates"]) ? page["templates"] : []).map((t) => str(t, "templateName"))
      )
      const all = yield* smJson(["list-whatsapp-message-templates", "--id", waba.id])
      const allNames = (Array.isArray(all["templates"]) ? all["templates"] : []).map((t) => str(t, "templateName"))
      assert.deepStrictEqual(names, allNames, "the two halves are the whole listing, in order, none twice")
      assert.include(allNames, "cli_test")
      const fetched = yield* smJson([
        "get-whatsapp-message-template",
        "--id",
        waba.id,
        "--meta-template-id",
        metaTemplateId
      ])
      assert.strictEqual(record(JSON.parse(str(fetched, "template")))["name"], "cli_test")
      yield* sm([
        "update-whatsapp-message-template",
        "--id",
        waba.id,
        "--meta-template-id",
        metaTemplateId,
        "--template-components",
        `file://${write("components.json", JSON.stringify([{ type: "BODY", text: "Hello" }]))}`
      ])
      const library = yield* sm([
        "list-whatsapp-template-library",
        "--id",
        waba.id,
        "--filters",
        "language=en_US",
        "--output",
        "table"
      ])
      assert.include(library.stdout, "appointment_reminder")
      yield* sm([
        "create-whatsapp-message-template-from-library",
        "--id",
        waba.id,
        "--meta-library-template",
        "templateName=my_reminder,libraryTemplateName=appointment_reminder,templateCategory=UTILITY,templateLanguage=en_US"
      ])
      yield* sm([
        "delete-whatsapp-message-template",
        "--id",
        waba.id,
        "--template-name",
        "cli_test",
        "--delete-all-languages"
      ])
      yield* sm(["get-whatsapp-message-template", "--id", waba.id, "--meta-template-id", metaTemplateId], { code: 254 })
    }))

  it.effect("flows: create, update, assets from fileb://, preview, get, publish, list, deprecate, delete a draft", () =>
    Effect.gen(function*() {
      const flowJson = write(
        "flow.json",
        JSON.stringify({
          version: "7.3",
          screens: [{ id: "WELCOME", terminal: true, layout: { type: "SingleColumnLayout", children: [] } }]
        })
      )
      const flowId = str(
        yield* smJson(["create-whatsapp-flow", "--id", waba.id, "--flow-name", "CLI", "--categories", "OTHER"]),
        "flowId"
      )
      yield* sm([
        "update-whatsapp-flow",
        "--id",
        waba.id,
        "--flow-id",
        flowId,
        "--flow-name",
        "CLI v2",
        "--categories",
        "SURVEY,OTHER"
      ])
      const assets = yield* smJson([
        "update-whatsapp-flow-assets",
        "--id",
        waba.id,
        "--flow-id",
        flowId,
        "--flow-json",
        `fileb://${flowJson}`
      ])
      assert.deepStrictEqual(assets["validationErrors"], [])
      const listedAssets = yield* smJson(["list-whatsapp-flow-assets", "--id", waba.id, "--flow-id", flowId])
      assert.strictEqual(str(listedAssets, "flowAssets", 0, "name"), "flow.json")
      const preview = yield* smJson(["get-whatsapp-flow-preview", "--id", waba.id, "--flow-id", flowId, "--invalidate"])
      assert.match(str(preview, "preview", "previewUrl"), /^https:/)
      yield* sm(["publish-whatsapp-flow", "--id", waba.id, "--flow-id", flowId])
      const flow = yield* smJson(["get-whatsapp-flow", "--id", waba.id, "--flow-id", flowId])
      assert.strictEqual(str(flow, "flowStatus"), "PUBLISHED")
      yield* sm(["deprecate-whatsapp-flow", "--id", waba.id, "--flow-id", flowId])
      const draft = str(
        yield* smJson(["create-whatsapp-flow", "--id", waba.id, "--flow-name", "Draft", "--categories", "OTHER"]),
        "flowId"
      )
      const flows = yield* sm(["list-whatsapp-flows", "--id", waba.id, "--output", "table"])
      assert.include(flows.stdout, "DEPRECATED")
      assert.include(flows.stdout, "DRAFT")
      yield* sm(["delete-whatsapp-flow", "--id", waba.id, "--flow-id", draft])
    }))

  it.effect("datasets and conversion events, business public keys, calling settings, permissions and call events", () =>
    Effect.gen(function*() {
      const datasetId = str(yield* smJson(["create-whatsapp-dataset", "--id", waba.id]), "datasetId")
      const event = write(
        "event.json",
        JSON.stringify({
          data: [{
            event_name: "Lead",
            event_time: 1_767_225_600,
            action_source: "business_messaging",
            messaging_channel: "whatsapp",
            user_data: { external_id: canaries.eventUser }
          }]
        })
      )
      yield* sm([
        "send-whatsapp-conversion-event",
        "--id",
        waba.id,
        "--dataset-id",
        datasetId,
        "--event-data",
        `fileb://${event}`,
        "--debug"
      ])
      yield* sm([
        "put-whatsapp-business-public-key",
        "--origination-phone-number-id",
        waba.number,
        "--business-public-key",
        `file://${write("key.pem", Fixtures.kmsBusinessPublicKey)}`
      ])
      const key = yield* smJson(["get-whatsapp-business-public-key", "--origination-phone-number-id", waba.number])
      assert.strictEqual(key["businessPublicKeySignatureStatus"], "VALID")
      yield* sm([
        "update-linked-whatsapp-business-account-phone-number",
        "--id",
        waba.number,
        "--call-settings",
        "callEnabled=true"
      ])
      const permission = yield* smJson([
        "get-whatsapp-call-permission",
        "--origination-phone-number-id",
        waba.number,
        "--destination-phone-number",
        "+14255550100"
      ])
      assert.strictEqual(str(permission, "permission", "status"), "granted")
      const connect = write(
        "connect.json",
        JSON.stringify({
          messaging_product: "whatsapp",
          action: "connect",
          to: "+14255550100",
          session: { sdp_type: "offer", sdp: canaries.sdp }
        })
      )
      const call = yield* smJson([
        "send-whatsapp-call-event",
        "--origination-phone-number-id",
        waba.number,
        "--meta-api-version",
        "v23.0",
        "--call-event",
        `fileb://${connect}`,
        "--debug"
      ])
      assert.match(str(call, "callId"), /^wacid\./)
    }))

  it.effect("--generate-cli-skeleton and --cli-input-json for a generated command; then disassociate", () =>
    Effect.gen(function*() {
      const skeleton = yield* smJson(["get-whatsapp-flow", "--generate-cli-skeleton"])
      assert.deepStrictEqual(Object.keys(skeleton).sort(), ["flowId", "id"])
      yield* sm(["list-whatsapp-flows", "--cli-input-json", "-"], {
        stdin: JSON.stringify({ id: waba.id, maxResults: 1 })
      })
      yield* sm(["disassociate-whatsapp-business-account", "--id", waba.id])
    }))

  it("every command ran at least once with exit code 0, and no secret input was printed", () => {
    const ran = new Set(runs.filter((run) => run.code === 0).map((run) => run.args[0]))
    assert.deepStrictEqual(commandNames.filter((name) => !ran.has(name)), [])
    for (const run of runs) {
      for (const secret of Object.values(canaries)) {
        assert.notInclude(run.stdout, secret, run.args.join(" "))
        assert.notInclude(run.stderr, secret, run.args.join(" "))
      }
      // The sensitive destination number of GetWhatsAppCallPermission is not echoed either.
      if (run.args[0] === "get-whatsapp-call-permission") assert.notInclude(run.stdout, "+14255550100")
    }
    // The --debug runs traced their requests, with the secret members redacted.
    const traced = runs.filter((run) => run.args.includes("--debug"))
    assert.isAbove(traced.length, 3)
    for (const run of traced) assert.include(run.stderr, "[debug] --> POST")
  })
})
