import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Ids from "@social-messaging/domain/Ids"
import { Effect, Inspectable, Layer, Ref, Tracer } from "effect"
import * as AwsCredentials from "../src/AwsCredentials.js"
import { layer, SocialMessaging } from "../src/SocialMessaging.js"

const credentials = AwsCredentials.layerStatic(
  AwsCredentials.makeCredentials({
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
  })
)

interface Scripted {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string
}

/** A transport that answers from a script and records what it was sent. */
const scripted = (answers: ReadonlyArray<Scripted>) =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<{ url: string; method: string; headers: Record<string, string> }>>([])
    const client = HttpClient.make((request, url) =>
      Ref.modify(
        sent,
        (all) => [all.length, [...all, { url: url.href, method: request.method, headers: request.headers }]]
      ).pipe(
        Effect.map((n) => {
          const answer = answers[Math.min(n, answers.length - 1)] ?? { status: 500 }
          return HttpClientResponse.fromWeb(
            request,
            new Response(answer.body ?? "", { status: answer.status, headers: answer.headers ?? {} })
          )
        })
      )
    )
    const service = yield* Effect.provide(
      SocialMessaging,
      layer({ region: "us-east-1" }).pipe(Layer.provide([credentials, Layer.succeed(HttpClient.HttpClient, client)]))
    )
    return { service, sent }
  })

describe("SocialMessaging over a scripted transport", () => {
  it.effect("GET with the id in the query, decoded output", () =>
    Effect.gen(function*() {
      const { sent, service } = yield* scripted([{
        status: 200,
        body: JSON.stringify({
          account: {
            arn: "arn:aws:social-messaging:us-east-1:123456789012:waba/abc123",
            id: "waba-abc123",
            wabaId: "1234",
            registrationStatus: "COMPLETE",
            linkDate: 1700000000.5,
            wabaName: "Shop",
            eventDestinations: [],
            phoneNumbers: []
          }
        })
      }])
      const out = yield* service.getLinkedWhatsAppBusinessAccount({
        id: Ids.LinkedWhatsAppBusinessAccountId.make("waba-abc123")
      })
      assert.strictEqual(out.account?.wabaName, "Shop")
      const [request] = yield* Ref.get(sent)
      assert.strictEqual(
        request?.url,
        "https://social-messaging.us-east-1.amazonaws.com/v1/whatsapp/waba/details?id=waba-abc123"
      )
      assert.match(request?.headers["authorization"] ?? "", /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//)
    }))
})

describe("request headers as a transport sees them", () => {
  it.effect("print with the session token and the signature redacted", () =>
    Effect.gen(function*() {
      const printed = yield* Ref.make<ReadonlyArray<string>>([])
      // A user's transport that prints what it sends the way Effect's loggers do (redacting with the fiber's refs).
      const client = HttpClient.make((request) =>
        Effect.flatMap(Effect.getFiberRefs, (refs) => {
          const text = Inspectable.withRedactableContext(refs, () => Inspectable.toStringUnknown(request.headers))
          return Ref.update(printed, (all) => [...all, text]).pipe(
            Effect.as(HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 })))
          )
        })
      )
      const temporary = AwsCredentials.layerStatic(
        AwsCredentials.makeCredentials({
          accessKeyId: "ASIAEXAMPLE",
          secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
          sessionToken: "IQoJb3JpZ2luX2VjSESSIONTOKEN"
        })
      )
      const service = yield* Effect.provide(
        SocialMessaging,
        layer({ region: "us-east-1" }).pipe(Layer.provide([temporary, Layer.succeed(HttpClient.HttpClient, client)]))
      )
      yield* service.listLinkedWhatsAppBusinessAccounts({})
      const [text] = yield* Ref.get(printed)
      assert.include(text ?? "", "x-amz-security-token")
      assert.notInclude(text ?? "", "IQoJb3JpZ2luX2VjSESSIONTOKEN")
      assert.notMatch(text ?? "", /Signature=[0-9a-f]{64}/)
    }))
})

describe("layers with a credentials provider", () => {
  it.effect("need only an HttpClient", () =>
    Effect.gen(function*() {
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const transport = Layer.succeed(
        HttpClient.HttpClient,
        HttpClient.make((request) =>
          Ref.update(seen, (all) => [...all, request.headers["authorization"] ?? ""]).pipe(
            Effect.as(HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 })))
          )
        )
      )
      // The type says it: nothing but the HttpClient is required.
      const live: Layer.Layer<SocialMessaging, Errors.ConfigurationError, HttpClient.HttpClient> = layer({
        region: "eu-west-1",
        credentials: credentials
      })
      const service = yield* Effect.provide(SocialMessaging, live.pipe(Layer.provide(transport)))
      yield* service.listLinkedWhatsAppBusinessAccounts({})
      const [authorization] = yield* Ref.get(seen)
      assert.match(authorization ?? "", /Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/social-messaging\/aws4_request/)
    }))
})

describe("the call's span", () => {
  const recordSpans = (spans: Array<Tracer.Span>) =>
    Effect.map(Effect.tracer, (base) =>
      Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: (f, fiber) => base.context(f, fiber)
      }))

  it.effect("names the operation and carries region, request id, attempts and the error tag", () =>
    Effect.gen(function*() {
      const { service } = yield* scripted([
        { status: 200, headers: { "x-amzn-requestid": "req-ok-1" }, body: "{}" },
        {
          status: 404,
          headers: { "x-amzn-requestid": "req-404-2", "x-amzn-errortype": "ResourceNotFoundException" },
          body: "{\"message\":\"no such WABA\"}"
        }
      ])
      const spans: Array<Tracer.Span> = []
      const tracer = yield* recordSpans(spans)
      const id = Ids.LinkedWhatsAppBusinessAccountId.make("waba-abc123")
      yield* service.listLinkedWhatsAppBusinessAccounts({}).pipe(Effect.withTracer(tracer))
      yield* Effect.flip(service.getLinkedWhatsAppBusinessAccount({ id })).pipe(Effect.withTracer(tracer))
      const [list, get] = spans.filter((span) => span.name.startsWith("SocialMessaging."))
      assert.strictEqual(list?.name, "SocialMessaging.ListLinkedWhatsAppBusinessAccounts")
      assert.strictEqual(list?.attributes.get("aws.region"), "us-east-1")
      assert.strictEqual(list?.attributes.get("aws.request_id"), "req-ok-1")
      assert.strictEqual(list?.attributes.get("aws.attempts"), 1)
      assert.isFalse(list?.attributes.has("error.tag"))
      assert.strictEqual(get?.name, "SocialMessaging.GetLinkedWhatsAppBusinessAccount")
      assert.strictEqual(get?.attributes.get("aws.request_id"), "req-404-2")
      assert.strictEqual(get?.attributes.get("error.tag"), "ResourceNotFoundException")
    }))
})
