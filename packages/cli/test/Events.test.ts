/**
 * Events through the real bin: `sandbox serve --deliver-events-to` POSTs each event to a webhook on
 * 127.0.0.1 (this test's), `sandbox events` prints the feed (once, and followed with `-f`) as typed events,
 * and `decode-event` decodes what the webhook received, whatever the delivery's wrapping (SNS body, SQS
 * message or event, Firehose record, event record). Nothing but loopback.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Queue, Schema } from "effect"
import * as Http from "node:http"
import { runBin, startBin } from "./support/Bin.js"

/** A webhook on 127.0.0.1 that queues every POST body (answering 200), closed with the scope. */
const webhook = Effect.gen(function*() {
  const received = yield* Queue.unbounded<string>()
  const server = yield* Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const listening = Http.createServer((request, response) => {
        let body = ""
        request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk))
        request.on("end", () => {
          Queue.unsafeOffer(received, body)
          response.writeHead(200).end()
        })
      }).listen(0, "127.0.0.1", () => resume(Effect.succeed(listening)))
    }),
    (listening) => Effect.async<void>((resume) => void listening.close(() => resume(Effect.void)))
  )
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}/sns`, received }
})

const Sent = Schema.parseJson(Schema.Struct({ messageId: Schema.String }))
const Linked = Schema.parseJson(Schema.Struct({
  account: Schema.Struct({ phoneNumbers: Schema.NonEmptyArray(Schema.Struct({ phoneNumberId: Schema.String })) })
}))
const Decoded = Schema.parseJson(Schema.Struct({
  events: Schema.Array(Schema.Struct({ _tag: Schema.String, status: Schema.optional(Schema.String) }))
}))
const FeedLine = Schema.parseJson(Schema.Struct({
  sequence: Schema.Number,
  kind: Schema.String,
  messageId: Schema.String,
  events: Schema.Array(Schema.Struct({ _tag: Schema.String }))
}))

/** `STATUS` lines of `--output text` for `messageId`: their statuses, in order. */
const statusLines = (stdout: string, messageId: string): ReadonlyArray<string> =>
  stdout.split("\n").map((line) => line.split("\t")).filter((f) => f[0] === "STATUS" && f[2] === messageId).map((f) =>
    f[1] ?? ""
  )

describe("events through the bin", () => {
  it.scopedLive(
    "serve --deliver-events-to, send, then sandbox events (once and -f) and decode-event of what the hook got",
    () =>
      Effect.gen(function*() {
        const hook = yield* webhook
        const printed = yield* startBin(
          ["sandbox", "serve", "--port", "0", "--deliver-events-to", hook.url],
          "Press Ctrl-C to stop."
        ).pipe(Effect.timeout("20 seconds"))
        assert.include(printed, `Events are also POSTed as SNS notifications to ${hook.url}`)
        const env: Record<string, string> = Object.fromEntries(
          [...printed.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name = "", value = ""]) => [name, value])
        )
        const endpoint = env["AWS_ENDPOINT_URL_SOCIALMESSAGING"] ?? ""
        const secrets = { META_TOKEN: Fixtures.tokens.twoWabas, PIN: "123456" }
        const linked = yield* runBin([
          "associate-whatsapp-business-account",
          "--access-token-env",
          "META_TOKEN",
          "--pin-env",
          "PIN",
          "--waba-id",
          "100000000000001",
          "--event-destination-arn",
          "arn:aws:sns:us-east-1:123456789012:cli-events"
        ], { env: { ...env, ...secrets } })
        assert.strictEqual(linked.code, 0, linked.stderr)
        const from = (yield* Schema.decode(Linked)(linked.stdout)).account.phoneNumbers[0].phoneNumberId

        // Followed from before the send: the three statuses arrive as they are delivered (1 s, 2 s, 4 s).
        const following = yield* Effect.fork(
          startBin(
            ["sandbox", "events", "-f", "--endpoint-url", endpoint, "--output", "text", "--interval-ms", "100"],
            (stdout) => (stdout.match(/^STATUS\tread\t/gm) ?? []).length >= 1
          )
        )
        const send = yield* runBin([
          "send-whatsapp-message",
          "--origination-phone-number-id",
          from,
          "--to",
          Fixtures.recipients.replyingCustomer,
          "--text",
          "Your order has shipped"
        ], { env })
        assert.strictEqual(send.code, 0, send.stderr)
        const { messageId } = yield* Schema.decode(Sent)(send.stdout)

        const followed = yield* Effect.flatten(Effect.timeout(following.await, "30 seconds"))
        assert.deepStrictEqual(statusLines(followed, messageId), ["sent", "delivered", "read"])

        // The webhook got the same notifications as SNS POSTs them; the customer's reply comes after the read.
        const bodies: Array<string> = []
        for (let i = 0; i < 4; i++) bodies.push(yield* Effect.timeout(Queue.take(hook.received), "20 seconds"))

        // Once, after all is delivered: every delivery as a JSON line, with its typed events.
        const once = yield* runBin(["sandbox", "events", "--endpoint-url", endpoint])
        assert.strictEqual(once.code, 0, once.stderr)
        const lines = yield* Effect.forEach(once.stdout.trim().split("\n"), (line) => Schema.decode(FeedLine)(line))
        assert.deepStrictEqual(lines.map((l) => l.kind), [
          "status:sent",
          "status:delivered",
          "status:read",
          "message:text"
        ])
        assert.deepStrictEqual(lines.map((l) => l.events.map((e) => e._tag)), [
          ["StatusUpdate"],
          ["StatusUpdate"],
          ["StatusUpdate"],
          ["InboundMessage"]
        ])
        const later = yield* runBin(["sandbox", "events", "--endpoint-url", endpoint, "--after", "3"])
        assert.strictEqual(later.code, 0, later.stderr)
        const laterLines = yield* Effect.forEach(
          later.stdout.trim().split("\n"),
          (line) => Schema.decode(FeedLine)(line)
        )
        assert.deepStrictEqual(laterLines.map((l) => [l.sequence > 3, l.kind]), [[true, "message:text"]])
        // What the customer wrote is hidden unless asked for: in the feed's JSON, and in decode-event's text.
        assert.include(once.stdout, "\"message\":{")
        assert.notInclude(once.stdout, Fixtures.customerReply)
        assert.include(once.stdout, "<redacted>")

        // decode-event: the SNS body from stdin, and the same delivery wrapped as SQS and Firehose see it.
        const [firstBody = "", , , replyBody = ""] = bodies
        const fromStdin = yield* runBin(["decode-event"], { stdin: firstBody })
        assert.strictEqual(fromStdin.code, 0, fromStdin.stderr)
        assert.deepStrictEqual((yield* Schema.decode(Decoded)(fromStdin.stdout)).events, [{
          _tag: "StatusUpdate",
          status: "sent"
        }])
        const sqsEvent = JSON.stringify({ Records: bodies.map((body) => ({ body })) })
        const asSqs = yield* runBin(["decode-event", "--output", "text"], { stdin: sqsEvent })
        assert.strictEqual(asSqs.code, 0, asSqs.stderr)
        assert.deepStrictEqual(statusLines(asSqs.stdout, messageId), ["sent", "delivered", "read"])
        assert.match(asSqs.stdout, /^MESSAGE\ttext\t14255550177\t.*\t<redacted>\t/m)
        assert.notInclude(asSqs.stdout, Fixtures.customerReply)
        const shown = yield* runBin(["decode-event", "--output", "text", "--show-content"], { stdin: sqsEvent })
        assert.include(shown.stdout, `\t${Fixtures.customerReply}\t`)
        const firehose = Buffer.from(replyBody).toString("base64")
        const asFirehose = yield* runBin(["decode-event", "--source", "firehose"], { stdin: firehose })
        assert.strictEqual(asFirehose.code, 0, asFirehose.stderr)
        assert.deepStrictEqual((yield* Schema.decode(Decoded)(asFirehose.stdout)).events.map((e) => e._tag), [
          "InboundMessage"
        ])
      }),
    { timeout: 90_000 }
  )

  it.effect("decode-event refuses what is not a delivery, with 252 and where it broke, never a stack", () =>
    Effect.gen(function*() {
      const empty = yield* runBin(["decode-event"], { stdin: "" })
      assert.strictEqual(empty.code, 252)
      assert.include(empty.stderr, "no input: expected an SNS notification")
      const other = yield* runBin(["decode-event"], { stdin: JSON.stringify({ hello: "world" }) })
      assert.strictEqual(other.code, 252)
      assert.include(other.stderr, "not an event delivery")
      const broken = yield* runBin(["decode-event", "--source", "record"], {
        stdin: JSON.stringify({ context: {}, whatsAppWebhookEntry: "{}", aws_account_id: "1", message_timestamp: "t" })
      })
      assert.strictEqual(broken.code, 252)
      assert.match(broken.stderr, /not a valid event delivery \(record: /)
      const confirmation = yield* runBin(["decode-event"], {
        stdin: JSON.stringify({
          Type: "SubscriptionConfirmation",
          MessageId: "m",
          Token: "secret-confirmation-token",
          TopicArn: "arn:aws:sns:us-east-1:123456789012:t",
          Message: "You have chosen to subscribe",
          SubscribeURL:
            "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=secret-confirmation-token",
          Timestamp: "2026-01-01T00:00:00.000Z",
          SignatureVersion: "1",
          Signature: "x",
          SigningCertURL: "https://sns.us-east-1.amazonaws.com/cert.pem"
        })
      })
      assert.strictEqual(confirmation.code, 252)
      assert.include(confirmation.stderr, "confirm the subscription by visiting the message's SubscribeURL")
      assert.notInclude(confirmation.stderr + confirmation.stdout, "secret-confirmation-token")
      for (const run of [empty, other, broken, confirmation]) assert.notInclude(run.stderr, "    at ")
    }))

  it.effect("sandbox events without a sandbox: 252 without a URL, 255 naming the URL when nothing listens", () =>
    Effect.gen(function*() {
      const noUrl = yield* runBin(["sandbox", "events"])
      assert.strictEqual(noUrl.code, 252)
      assert.include(noUrl.stderr, "no sandbox URL")
      const nothing = yield* runBin(["sandbox", "events", "--endpoint-url", "http://127.0.0.1:9"])
      assert.strictEqual(nothing.code, 255)
      assert.include(nothing.stderr, "cannot read the sandbox's events at http://127.0.0.1:9/_sandbox/events?after=0")
    }))
})
