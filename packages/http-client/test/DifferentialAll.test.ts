/**
 * The differential suite of Differential.test.ts for the other operations AWS's JS SDK
 * (`@aws-sdk/client-socialmessaging` 3.1069.0) has: 22 beside the nine association operations, so 31 of the
 * model's 38 (it lacks CreateWhatsAppDataset, GetWhatsAppBusinessPublicKey, GetWhatsAppCallPermission,
 * PutWhatsAppBusinessPublicKey, SendWhatsAppCallEvent, SendWhatsAppConversionEvent and
 * UpdateLinkedWhatsAppBusinessAccountPhoneNumber; BotocoreClient.test.ts covers those against botocore).
 *
 * Both clients send the same calls to the loopback capture server, with the same credentials (with and
 * without a session token), signing time and invocation id, and must put the same bytes on the wire (method,
 * path, raw query, body, every header, signature); then both read the same error answers and must name them
 * alike. Inputs come from the model: botocore's minimal and full input of each operation (the fixture's, every
 * member at every depth; `scripts/record-botocore.py`) and values drawn from the operation's input schema
 * (`Arbitrary.make`). Our side decodes the wire form with the operation's input schema (blobs become bytes,
 * sensitive members `Redacted`); the SDK gets the same value with the secrets revealed.
 *
 * The SDK's model is older than ours: it lacks `endpointUri` of CreateWhatsAppFlow and `endpointUri` and
 * `metaAppId` of UpdateWhatsAppFlow (it would drop them silently). They are left out of the inputs here, and
 * a test pins that list against the SDK's own schemas; botocore's fixture covers them.
 */
import * as Sdk from "@aws-sdk/client-socialmessaging"
import { assert, describe, expect, layer } from "@effect/vitest"
import { errorShapes } from "@social-messaging/domain/generated/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import { Arbitrary, DateTime, Effect, Either, FastCheck as fc, Predicate, Redacted, Schema } from "effect"
import { requestId } from "./fixtures/responses.js"
import { recordedInput } from "./support/BotocoreFixture.js"
import * as CaptureServer from "./support/CaptureServer.js"
import type { TestCredentials } from "./support/Clients.js"
import {
  assertSameRequest,
  credentialVariants,
  decodeQuery,
  longTerm,
  onlyRequest,
  ourErrorView,
  runOursWith,
  runSdk,
  sdkErrorView,
  utf8
} from "./support/Differential.js"
import { wireCallOf } from "./support/WireCalls.js"

// =============================================================================
// The operations and the SDK's commands
// =============================================================================

/**
 * How the SDK is called. A method signature (`send(...)`), so an entry may take the command's own input type:
 * the inputs are model-valid values of our schemas, the SDK's input types its rendering of the same model.
 */
interface SdkCommand {
  send(client: Sdk.SocialMessagingClient, input: object): Promise<unknown>
}

const command = <I extends object>(send: (client: Sdk.SocialMessagingClient, input: I) => Promise<unknown>) => ({
  send
})

/** The SDK operations beyond the nine association ones (Differential.test.ts has those). */
const sdkCommands = {
  CreateWhatsAppFlow: command((c, i: Sdk.CreateWhatsAppFlowCommandInput) =>
    c.send(new Sdk.CreateWhatsAppFlowCommand(i))
  ),
  CreateWhatsAppMessageTemplate: command((c, i: Sdk.CreateWhatsAppMessageTemplateCommandInput) =>
    c.send(new Sdk.CreateWhatsAppMessageTemplateCommand(i))
  ),
  CreateWhatsAppMessageTemplateFromLibrary: command((c, i: Sdk.CreateWhatsAppMessageTemplateFromLibraryCommandInput) =>
    c.send(new Sdk.CreateWhatsAppMessageTemplateFromLibraryCommand(i))
  ),
  CreateWhatsAppMessageTemplateMedia: command((c, i: Sdk.CreateWhatsAppMessageTemplateMediaCommandInput) =>
    c.send(new Sdk.CreateWhatsAppMessageTemplateMediaCommand(i))
  ),
  DeleteWhatsAppFlow: command((c, i: Sdk.DeleteWhatsAppFlowCommandInput) =>
    c.send(new Sdk.DeleteWhatsAppFlowCommand(i))
  ),
  DeleteWhatsAppMessageMedia: command((c, i: Sdk.DeleteWhatsAppMessageMediaCommandInput) =>
    c.send(new Sdk.DeleteWhatsAppMessageMediaCommand(i))
  ),
  DeleteWhatsAppMessageTemplate: command((c, i: Sdk.DeleteWhatsAppMessageTemplateCommandInput) =>
    c.send(new Sdk.DeleteWhatsAppMessageTemplateCommand(i))
  ),
  DeprecateWhatsAppFlow: command((c, i: Sdk.DeprecateWhatsAppFlowCommandInput) =>
    c.send(new Sdk.DeprecateWhatsAppFlowCommand(i))
  ),
  GetWhatsAppFlow: command((c, i: Sdk.GetWhatsAppFlowCommandInput) => c.send(new Sdk.GetWhatsAppFlowCommand(i))),
  GetWhatsAppFlowPreview: command((c, i: Sdk.GetWhatsAppFlowPreviewCommandInput) =>
    c.send(new Sdk.GetWhatsAppFlowPreviewCommand(i))
  ),
  GetWhatsAppMessageMedia: command((c, i: Sdk.GetWhatsAppMessageMediaCommandInput) =>
    c.send(new Sdk.GetWhatsAppMessageMediaCommand(i))
  ),
  GetWhatsAppMessageTemplate: command((c, i: Sdk.GetWhatsAppMessageTemplateCommandInput) =>
    c.send(new Sdk.GetWhatsAppMessageTemplateCommand(i))
  ),
  ListWhatsAppFlowAssets: command((c, i: Sdk.ListWhatsAppFlowAssetsCommandInput) =>
    c.send(new Sdk.ListWhatsAppFlowAssetsCommand(i))
  ),
  ListWhatsAppFlows: command((c, i: Sdk.ListWhatsAppFlowsCommandInput) => c.send(new Sdk.ListWhatsAppFlowsCommand(i))),
  ListWhatsAppMessageTemplates: command((c, i: Sdk.ListWhatsAppMessageTemplatesCommandInput) =>
    c.send(new Sdk.ListWhatsAppMessageTemplatesCommand(i))
  ),
  ListWhatsAppTemplateLibrary: command((c, i: Sdk.ListWhatsAppTemplateLibraryCommandInput) =>
    c.send(new Sdk.ListWhatsAppTemplateLibraryCommand(i))
  ),
  PostWhatsAppMessageMedia: command((c, i: Sdk.PostWhatsAppMessageMediaCommandInput) =>
    c.send(new Sdk.PostWhatsAppMessageMediaCommand(i))
  ),
  PublishWhatsAppFlow: command((c, i: Sdk.PublishWhatsAppFlowCommandInput) =>
    c.send(new Sdk.PublishWhatsAppFlowCommand(i))
  ),
  SendWhatsAppMessage: command((c, i: Sdk.SendWhatsAppMessageCommandInput) =>
    c.send(new Sdk.SendWhatsAppMessageCommand(i))
  ),
  UpdateWhatsAppFlow: command((c, i: Sdk.UpdateWhatsAppFlowCommandInput) =>
    c.send(new Sdk.UpdateWhatsAppFlowCommand(i))
  ),
  UpdateWhatsAppFlowAssets: command((c, i: Sdk.UpdateWhatsAppFlowAssetsCommandInput) =>
    c.send(new Sdk.UpdateWhatsAppFlowAssetsCommand(i))
  ),
  UpdateWhatsAppMessageTemplate: command((c, i: Sdk.UpdateWhatsAppMessageTemplateCommandInput) =>
    c.send(new Sdk.UpdateWhatsAppMessageTemplateCommand(i))
  )
}

type SdkOperation = keyof typeof sdkCommands

const commands: { readonly [K in SdkOperation]: SdkCommand } = sdkCommands

const sdkOperations: ReadonlyArray<SdkOperation> = Operations.operationNames.filter((name): name is SdkOperation =>
  name in sdkCommands
)

const entryOf = (operation: SdkOperation): Operations.AnyOperationEntry => Operations.operations[operation]

/** The model's operations the SDK does not have at all. */
const notInSdk = [
  "CreateWhatsAppDataset",
  "GetWhatsAppBusinessPublicKey",
  "GetWhatsAppCallPermission",
  "PutWhatsAppBusinessPublicKey",
  "SendWhatsAppCallEvent",
  "SendWhatsAppConversionEvent",
  "UpdateLinkedWhatsAppBusinessAccountPhoneNumber"
]

/** Input members of the model the SDK's older model lacks (it drops them without a word). */
const membersNotInSdk: { readonly [K in SdkOperation]?: ReadonlyArray<string> } = {
  CreateWhatsAppFlow: ["endpointUri"],
  UpdateWhatsAppFlow: ["endpointUri", "metaAppId"]
}

// =============================================================================
// Inputs
// =============================================================================

const SEED = "differential-all"
const runOurs = runOursWith(SEED)
/** Drawn inputs per operation (each is sent by both clients). */
const DRAWN = 4

type Wire = Readonly<Record<string, unknown>>

const withoutSdkGaps = (operation: SdkOperation, wire: Wire): Wire => {
  const gaps = membersNotInSdk[operation] ?? []
  return Object.fromEntries(Object.entries(wire).filter(([member]) => !gaps.includes(member)))
}

const WireRecord = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** Wire-form values drawn from the operation's input schema, fixed by the seed. */
const drawn = (operation: SdkOperation, seed: number): ReadonlyArray<Wire> => {
  const schema = entryOf(operation).input
  const toWire = (value: unknown) => Schema.decodeUnknownSync(WireRecord)(Schema.encodeUnknownSync(schema)(value))
  return fc.sample(Arbitrary.make(schema), { seed, numRuns: DRAWN }).map(toWire)
}

/** One call, as both clients make it. */
interface Case {
  readonly operation: SdkOperation
  readonly name: string
  readonly wire: Wire
  readonly credentials: ReadonlyArray<{ readonly label: string; readonly credentials: TestCredentials }>
}

const bothKeys = credentialVariants

const cases: ReadonlyArray<Case> = sdkOperations.flatMap((operation, index) => [
  {
    operation,
    name: "botocore's minimal input",
    wire: withoutSdkGaps(operation, recordedInput(operation, "minimal")),
    credentials: bothKeys
  },
  {
    operation,
    name: "botocore's full input (every member)",
    wire: withoutSdkGaps(operation, recordedInput(operation, "full")),
    credentials: bothKeys
  },
  ...drawn(operation, 1000 + index).map((wire, n) => ({
    operation,
    name: `drawn input ${n + 1}`,
    wire: withoutSdkGaps(operation, wire),
    credentials: [bothKeys[n % 2] ?? { label: "long-term keys", credentials: longTerm }]
  }))
])

/** Our typed value as the SDK takes it: secrets revealed, dates as `Date`, bytes and the rest as they are. */
const toSdk = (value: unknown): unknown => {
  if (Redacted.isRedacted(value)) return toSdk(Redacted.value(value))
  if (DateTime.isDateTime(value)) return DateTime.toDate(value)
  if (value instanceof Uint8Array) return value
  if (Array.isArray(value)) return value.map((item: unknown) => toSdk(item))
  if (Predicate.isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdk(v)]))
  return value
}

const sdkInput = (operation: SdkOperation, wire: Wire) =>
  Effect.flatMap(
    Schema.decodeUnknown(entryOf(operation).input, Operations.validationOptions)(wire),
    (typed) => {
      const input = toSdk(typed)
      return Predicate.isRecord(input) ? Effect.succeed(input) : Effect.dieMessage("an input is a structure")
    }
  )

// =============================================================================
// Running one call through each client
// =============================================================================

const okResponder: CaptureServer.Responder = () => ({
  status: 200,
  headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
  body: "{}"
})

const runBoth = (
  server: CaptureServer.Service,
  c: Case,
  credentials: TestCredentials,
  responder: CaptureServer.Responder
) =>
  Effect.gen(function*() {
    const input = yield* sdkInput(c.operation, c.wire)
    yield* server.reset(responder)
    const ourResult = yield* runOurs(server.url, credentials, (s) => wireCallOf(c.operation).call(s, c.wire))
    const ourRequest = yield* onlyRequest(server)
    yield* server.reset(responder)
    const sdkResult = yield* runSdk(
      server.url,
      credentials,
      ourRequest.headers["amz-sdk-invocation-id"] ?? "",
      (client) => commands[c.operation].send(client, input)
    )
    const sdkRequest = yield* onlyRequest(server)
    return { ourRequest, ourResult, sdkRequest, sdkResult }
  })

// =============================================================================
// Comparing
// =============================================================================

/** The query the wire input must give, decoded and sorted by name (booleans as `true`/`false`). */
const expectedQuery = (operation: Operations.AnyOperationEntry, wire: Wire) =>
  operation.query.flatMap(({ member, name }) => {
    const value = wire[member]
    return value === undefined ? [] : [[name, String(value)] as const]
  }).sort(([a], [b]) => (a < b ? -1 : 1))

/** The body the wire input must give: its body members, in model order. */
const expectedBody = (operation: Operations.AnyOperationEntry, wire: Wire): string | undefined =>
  operation.body.length === 0
    ? undefined
    : JSON.stringify(Object.fromEntries(operation.body.flatMap((m) => (wire[m] === undefined ? [] : [[m, wire[m]]]))))

// =============================================================================
// Error answers
// =============================================================================

type ErrorName = keyof typeof errorShapes

const isAwsErrorName = (tag: string): tag is ErrorName => tag in errorShapes

const coral = (name: string) => `${name}:http://internal.amazon.com/coral/com.amazonaws.socialmessaging/`
const json = { "content-type": "application/json", "x-amzn-requestid": requestId }

/** The forms AWS names an error in, used in turn: the header (coral suffix or bare), `__type`, `code`. */
const errorForms: ReadonlyArray<
  (name: string, message: string) => { readonly headers: Record<string, string>; readonly body: string }
> = [
  (name, message) => ({ headers: { ...json, "x-amzn-errortype": coral(name) }, body: JSON.stringify({ message }) }),
  (name, message) => ({
    headers: json,
    body: JSON.stringify({ __type: `com.amazonaws.socialmessaging#${name}`, message })
  }),
  (name, message) => ({ headers: json, body: JSON.stringify({ code: name, message }) }),
  (name, message) => ({ headers: { ...json, "x-amzn-errortype": name }, body: JSON.stringify({ Message: message }) })
]

/** An error of the model the operation does not declare: the SDK names it, ours is an UnknownServiceError. */
const undeclaredError = (operation: Operations.AnyOperationEntry): ErrorName | undefined => {
  const declared: ReadonlyArray<string> = operation.errors
  return Object.keys(errorShapes).filter(isAwsErrorName).find((name) =>
    !declared.includes(name) && name !== "ConflictException"
  )
}

// The outcome note ours appends to a 5xx of a call that is neither read-only nor idempotent.
const outcomeNote = /\s?\(outcome unknown: the request may have been acted on, so it was not sent again\. [^]*\)$/

// =============================================================================
// The suite
// =============================================================================

/** The member names of an SDK input schema (`[3, namespace, name, traits, memberNames, ...]`). */
const SdkStructure = Schema.Tuple(
  [Schema.Number, Schema.String, Schema.String, Schema.Unknown, Schema.Array(Schema.String)],
  Schema.Unknown
)
const sdkInputMembers = (operation: string): ReadonlyArray<string> => {
  const found = Object.entries(Sdk).find(([name]) => name === `${operation}Input$`)
  return found === undefined ? [] : Schema.decodeUnknownSync(SdkStructure)(found[1])[4]
}

layer(CaptureServer.layer)("differential: the other 22 operations of @aws-sdk/client-socialmessaging", (it) => {
  it.effect("the SDK has 31 of the 38 operations: the nine, these 22, and not seven others", () =>
    Effect.sync(() => {
      const sdkHas = Operations.operationNames.filter((name) => Object.keys(Sdk).includes(`${name}Command`))
      expect(sdkHas.length).toBe(31)
      expect(Operations.operationNames.filter((name) => !sdkHas.includes(name))).toEqual(notInSdk)
      expect(new Set(sdkHas)).toEqual(new Set([...Object.keys(Operations.association), ...sdkOperations]))
      expect(sdkOperations.length).toBe(22)
    }))

  it.effect("the SDK's input members are the model's, but for the listed gaps", () =>
    Effect.sync(() => {
      for (const operation of sdkOperations) {
        const entry = entryOf(operation)
        const model = [...entry.query.map((q) => q.member), ...entry.body]
        const gaps = membersNotInSdk[operation] ?? []
        expect(new Set(sdkInputMembers(operation)), operation).toEqual(new Set(model.filter((m) => !gaps.includes(m))))
      }
    }))

  it.effect("every case list covers each operation: 2 botocore inputs (both credential kinds) and the drawn ones", () =>
    Effect.sync(() => {
      for (const operation of sdkOperations) {
        expect(cases.filter((c) => c.operation === operation).length, operation).toBe(2 + DRAWN)
      }
    }))

  describe("requests: identical bytes, headers and signature", () => {
    for (const c of cases) {
      for (const variant of c.credentials) {
        it.effect(`${c.operation}: ${c.name} [${variant.label}]`, () =>
          Effect.gen(function*() {
            const server = yield* CaptureServer.CaptureServer
            const run = yield* runBoth(server, c, variant.credentials, okResponder)
            if (Either.isLeft(run.ourResult)) {
              const error = run.ourResult.left
              assert.notStrictEqual(error._tag, "RequestValidationError", String(error))
            }
            assertSameRequest(run.ourRequest, run.sdkRequest)
            const entry = entryOf(c.operation)
            assert.strictEqual(run.ourRequest.method, entry.method)
            assert.strictEqual(run.ourRequest.path, entry.path)
            assert.deepStrictEqual(decodeQuery(run.ourRequest.rawQuery), expectedQuery(entry, c.wire), "query")
            const body = expectedBody(entry, c.wire)
            const sent = run.ourRequest.body.byteLength === 0 ? undefined : utf8.decode(run.ourRequest.body)
            assert.strictEqual(sent, body, "body: the body members, in model order")
            assert.strictEqual(run.ourRequest.headers["x-amz-date"], "20250314T150926Z")
          }))
      }
    }
  })

  describe("errors: the same answers, the same names", () => {
    for (const operation of sdkOperations) {
      const entry = entryOf(operation)
      const minimal = cases.find((c) => c.operation === operation)
      if (minimal === undefined) continue
      const declared: ReadonlyArray<ErrorName> = entry.errors
      const undeclared = undeclaredError(entry)
      const answers = [...declared, ...(undeclared === undefined ? [] : [undeclared])]
      answers.forEach((name, index) => {
        const status = errorShapes[name].httpStatus
        const form = errorForms[index % errorForms.length]
        if (form === undefined) return
        const message = `${name} from AWS: naïve “quotes” & \\ 🚀`
        const isDeclared = declared.includes(name)
        it.effect(`${operation}: ${name} (${isDeclared ? "declared" : "not declared"}), form ${index % 4 + 1}`, () =>
          Effect.gen(function*() {
            const server = yield* CaptureServer.CaptureServer
            const answer = form(name, message)
            const run = yield* runBoth(server, minimal, longTerm, () => ({ status, ...answer }))
            if (Either.isRight(run.ourResult)) return assert.fail("ours succeeded on an error answer")
            if (Either.isRight(run.sdkResult)) return assert.fail("the SDK succeeded on an error answer")
            const ourError = run.ourResult.left
            if (ourError._tag === "ParseError") return assert.fail(String(ourError))
            const ours = ourErrorView(ourError)
            const sdk = sdkErrorView(run.sdkResult.left)
            assert.strictEqual(sdk.name, name, "SDK name")
            assert.strictEqual(ours.name, name, "our name")
            assert.strictEqual(ourError._tag, isDeclared ? name : "UnknownServiceError", "our tag")
            const unsafe = status >= 500 && !Operations.isSafeToResend(entry)
            assert.strictEqual(outcomeNote.test(ours.message ?? ""), unsafe, "outcome note iff an unsafe 5xx")
            assert.strictEqual(ours.message?.replace(outcomeNote, ""), message, "our message")
            assert.strictEqual(sdk.message, message, "SDK message")
            assert.strictEqual(ours.requestId, requestId, "our request id")
            assert.strictEqual(sdk.requestId, requestId, "SDK request id")
          }))
      })
    }
  })
})
