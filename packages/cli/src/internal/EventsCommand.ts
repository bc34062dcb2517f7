/**
 * The event commands: `decode-event` (a delivery from the WABA's event destination, from standard input or a
 * file, printed as typed events) and `sandbox events` (the event feed of a running `sandbox serve`, once or
 * followed). Both decode with the domain's `WhatsAppEvent`, as a user's own handler would.
 */
import { Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as WhatsAppEvent from "@social-messaging/domain/WhatsAppEvent"
import { Config, Console, DateTime, Duration, Effect, Option, Predicate, Schema } from "effect"
import { ExitCode, exitCodes, InputError } from "./CliError.js"
import { CliEnvironment } from "./Environment.js"
import * as Output from "./Output.js"

// =============================================================================
// Printing typed events
// =============================================================================

/** How events are printed: JSON (the typed events' encoding), or one tab-separated line per event. */
export const eventFormats = ["json", "text"] as const
/** `--output` of the event commands. */
export type EventFormat = (typeof eventFormats)[number]

const showContentOption = Options.boolean("show-content").pipe(
  Options.withDescription(
    "Print what customers wrote: inbound messages' text, captions, replies, locations and contacts, the sender's " +
      "profile, and kinds not typed yet. Without it they show as <redacted> (ids, kinds, times and media ids stay)."
  )
)

const outputOption = Options.choice("output", eventFormats).pipe(
  Options.withDescription(
    "json: the typed events (StatusUpdate, InboundMessage, WebhookError, Unknown) with Meta's members; text: one " +
      "tab-separated line per event."
  ),
  Options.withDefault("json")
)

const encodeEvents = Schema.encode(Schema.Array(WhatsAppEvent.Event))

/**
 * An encoded event without what a customer wrote (unless `show`): an inbound message keeps its ids, kind,
 * time, reply context and media id, an unknown kind its `kind`; Meta's object and the sender's profile are
 * `<redacted>`.
 */
const withoutContent = (event: WhatsAppEvent.Event, json: unknown): unknown => {
  if (!Predicate.isRecord(json)) return json
  switch (event._tag) {
    case "InboundMessage": {
      const mediaId = WhatsAppEvent.mediaId(event)
      const { context, from, id, timestamp, type } = event.message
      return {
        ...json,
        ...(json["profile"] === undefined ? {} : { profile: Output.redactedText }),
        message: {
          id,
          from,
          timestamp,
          type,
          ...(context === undefined ? {} : { context }),
          [type]: Output.redactedText
        },
        ...(mediaId === undefined ? {} : { mediaId })
      }
    }
    case "Unknown":
      return { ...json, raw: Output.redactedText }
    default:
      return json
  }
}

/** The typed events in their JSON form (instants as ISO 8601), what customers wrote hidden unless `show`. */
export const encoded = (events: ReadonlyArray<WhatsAppEvent.Event>, show: boolean): Effect.Effect<unknown> =>
  // The events were built by `WhatsAppEvent.events` from decoded values: encoding them cannot fail.
  Effect.map(
    Effect.orDie(encodeEvents(events)),
    (json) => show || !Array.isArray(json) ? json : events.map((event, i): unknown => withoutContent(event, json[i]))
  )

const iso = (at: DateTime.Utc): string => DateTime.formatIso(at)

/**
 * One line of `--output text`: the tag, then what identifies the event. A status: status, AWS's `messageId`
 * (what SendWhatsAppMessage answered), Meta's `wamid`, the recipient, the time, Meta's error if failed. An
 * inbound message: kind, sender, `wamid`, time, and its text (`<redacted>` unless `show`) or media id. The
 * origin's phone number id last.
 */
export const textLine = (event: WhatsAppEvent.Event, show: boolean): string => {
  const phone = event.origin.originationPhoneNumberId ?? event.origin.phoneNumberId ?? "-"
  const fields = ((): ReadonlyArray<string> => {
    switch (event._tag) {
      case "StatusUpdate":
        return [
          "STATUS",
          event.status,
          event.origin.messageId ?? "-",
          event.wamid,
          event.recipientId,
          iso(event.at),
          event.error === undefined ? "-" : `${event.error.code} ${event.error.title ?? ""}`.trim()
        ]
      case "InboundMessage":
        return [
          "MESSAGE",
          event.kind,
          event.from,
          event.wamid,
          iso(event.at),
          WhatsAppEvent.mediaId(event) ??
            (event.message.type !== "text" ? "-" : show ? event.message.text.body : Output.redactedText)
        ]
      case "WebhookError":
        return ["ERROR", String(event.error.code), event.error.title ?? "-"]
      case "Unknown":
        return ["UNKNOWN", event.kind]
    }
  })()
  // Tabs and line breaks inside a field (a customer's text) would break the columns: shown as spaces.
  return [...fields, phone].map((field) => field.replace(/[\t\r\n]+/g, " ")).join("\t")
}

// =============================================================================
// decode-event
// =============================================================================

/** Where a delivery came from; `auto` tells by its shape. */
export const sources = ["auto", "sns-http", "sqs", "firehose", "record"] as const
/** `--source` of `decode-event`. */
export type SourceChoice = (typeof sources)[number]

const notADelivery = "expected an SNS notification (HTTP/HTTPS body or SQS body), an SQS message or SQS event " +
  "(Records[].body), a Firehose record or delivery (records[].data, or the base64 data alone), or AWS's event " +
  "record (whatsAppWebhookEntry)"

const Json = Schema.parseJson()
const decodeJson = Schema.decodeUnknownOption(Json)

const listOf = (json: unknown, key: string): ReadonlyArray<unknown> | undefined => {
  const value = Predicate.isRecord(json) ? json[key] : undefined
  return Array.isArray(value) ? value : undefined
}

const stringAt = (item: unknown, key: string): Option.Option<string> =>
  Predicate.isRecord(item) && typeof item[key] === "string" ? Option.some(item[key]) : Option.none()

/** Each string at `key` of the list's items (`Records[].body`, `records[].data`), or why not. */
const strings = (items: ReadonlyArray<unknown>, key: string, list: string): Effect.Effect<Array<string>, InputError> =>
  Effect.forEach(items, (item, i) =>
    Option.match(stringAt(item, key), {
      onNone: () => Effect.fail(new InputError({ detail: `${list}[${i}].${key}: expected a string` })),
      onSome: Effect.succeed
    }))

/** The deliveries in a document, each with the decoder its shape calls for. */
const deliveries = (
  text: string,
  source: SourceChoice
): Effect.Effect<
  ReadonlyArray<Effect.Effect<WhatsAppEvent.Notification | WhatsAppEvent.EventRecord, WhatsAppEvent.DecodeError>>,
  InputError
> => {
  const trimmed = text.trim()
  switch (source) {
    case "sns-http":
      return Effect.succeed([WhatsAppEvent.fromSnsHttp(trimmed)])
    case "sqs":
      return Effect.succeed([WhatsAppEvent.fromSqs(trimmed)])
    case "firehose":
      return Effect.succeed([WhatsAppEvent.fromFirehose(trimmed)])
    case "record":
      return Effect.succeed([WhatsAppEvent.decodeRecord(trimmed)])
    case "auto": {
      if (trimmed === "") return Effect.fail(new InputError({ detail: `no input: ${notADelivery}` }))
      const json = decodeJson(trimmed)
      // Not JSON: a Firehose record's data alone (base64).
      if (Option.isNone(json)) return Effect.succeed([WhatsAppEvent.fromFirehose(trimmed)])
      const document = json.value
      const sqsRecords = listOf(document, "Records")
      if (sqsRecords !== undefined) {
        return Effect.map(strings(sqsRecords, "body", "Records"), (bodies) => bodies.map(WhatsAppEvent.fromSqs))
      }
      const firehoseRecords = listOf(document, "records")
      if (firehoseRecords !== undefined) {
        return Effect.map(strings(firehoseRecords, "data", "records"), (data) => data.map(WhatsAppEvent.fromFirehose))
      }
      if (Predicate.hasProperty(document, "Type")) {
        // SNS POSTs signed envelopes (and subscription confirmations); an SQS body may come without signature.
        return Effect.succeed([
          Predicate.hasProperty(document, "Signature") || document.Type !== "Notification"
            ? WhatsAppEvent.fromSnsHttp(trimmed)
            : WhatsAppEvent.fromSqs(trimmed)
        ])
      }
      if (Predicate.hasProperty(document, "whatsAppWebhookEntry")) {
        return Effect.succeed([WhatsAppEvent.decodeRecord(trimmed)])
      }
      const body = Option.orElse(stringAt(document, "body"), () => stringAt(document, "Body"))
      if (Option.isSome(body)) return Effect.succeed([WhatsAppEvent.fromSqs(body.value)])
      return Effect.fail(new InputError({ detail: `not an event delivery: ${notADelivery}` }))
    }
  }
}

/** A delivery that does not decode: exit 252, with where and what (the decoder's issues, not the payload). */
const decodeFailure = (error: WhatsAppEvent.DecodeError): InputError =>
  new InputError({
    detail: error._tag === "NotANotification"
      // Its SubscribeURL holds the confirmation token: not printed.
      ? `${error.message}: confirm the subscription by visiting the message's SubscribeURL`
      : `not a valid event delivery (${error.message})`
  })

/** Reads the whole document: the file, or standard input. */
const readDocument = (file: Option.Option<string>) =>
  Option.match(Option.filter(file, (path) => path !== "-"), {
    onNone: () => Effect.flatMap(CliEnvironment, (env) => env.readStdin),
    onSome: (path) =>
      Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
        Effect.mapError((error) => new InputError({ detail: `--file: cannot read ${path}: ${error.message}` }))
      )
  })

/** Prints an expected failure and ends with its exit code. */
const fail = (code: number) => (error: { readonly message: string }) =>
  Console.error(error.message).pipe(Effect.zipRight(Effect.fail(new ExitCode({ code }))))

/** `decode-event`. */
export const decodeEvent = Command.make(
  "decode-event",
  {
    file: Options.file("file").pipe(
      Options.withPseudoName("PATH"),
      Options.withDescription("The delivery to decode (default, or -: standard input)."),
      Options.optional
    ),
    source: Options.choice("source", sources).pipe(
      Options.withDescription(
        "What the input is: sns-http (the body SNS POSTs to an HTTPS subscriber), sqs (an SQS message body from " +
          "SNS, raw or not), firehose (a Firehose record's base64 data), record (AWS's event record), or auto " +
          "(default: by its shape, also SQS events with Records[] and Firehose deliveries with records[])."
      ),
      Options.withDefault("auto")
    ),
    output: outputOption,
    showContent: showContentOption
  },
  ({ file, output, showContent, source }) =>
    Effect.gen(function*() {
      const text = yield* readDocument(file)
      const decoders = yield* deliveries(text, source)
      const decoded = yield* Effect.forEach(decoders, (decode) => Effect.mapError(decode, decodeFailure))
      const events = decoded.flatMap(WhatsAppEvent.events)
      yield* output === "json"
        ? Effect.flatMap(encoded(events, showContent), (json) => Console.log(Output.renderJson({ events: json })))
        : Effect.forEach(events, (event) => Console.log(textLine(event, showContent)), { discard: true })
    }).pipe(Effect.catchTag("InputError", fail(exitCodes.invalidParameters)))
).pipe(
  Command.withDescription(
    "Decodes what AWS delivers to a WABA's event destination (an SNS notification, SQS message, Firehose record " +
      "or event record; standard input or --file) and prints the typed events: message statuses (sent, " +
      "delivered, read, failed with Meta's error), inbound messages, webhook errors, and kinds not typed yet."
  )
)

// =============================================================================
// sandbox events
// =============================================================================

/** One answer of `GET /_sandbox/events`. */
const FeedAnswer = Schema.Struct({
  events: Schema.Array(Schema.Struct({
    sequence: Schema.Number,
    at: Schema.String,
    kind: Schema.String,
    messageId: Schema.String,
    body: Schema.String
  })),
  next: Schema.Number
})
type FeedAnswer = typeof FeedAnswer.Type

/** The sandbox's event feed path (the sandbox's `Server.eventsPath`; not imported, so the sandbox stays unloaded). */
const eventsPath = "/_sandbox/events"

/** The feed could not be read: the sandbox is not running there, or answered something else. */
class FeedError extends Schema.TaggedError<FeedError>()("FeedError", { url: Schema.String, detail: Schema.String }) {
  override get message(): string {
    return `cannot read the sandbox's events at ${this.url}: ${this.detail} (is \`social-messaging sandbox serve\` ` +
      "running there?)"
  }
}

const pollTimeout = Duration.seconds(10)

/** One poll of the feed, numbered above `after`. */
const poll = (client: HttpClient.HttpClient, base: URL, after: number): Effect.Effect<FeedAnswer, FeedError> => {
  const url = new URL(`${eventsPath}?after=${after}`, base).href
  const failed = (detail: string) => new FeedError({ url, detail })
  return client.get(url).pipe(
    Effect.mapError((error) => failed(error.message)),
    Effect.filterOrFail((response) => response.status === 200, (response) => failed(`status ${response.status}`)),
    Effect.flatMap((response) => Effect.mapError(response.json, (error) => failed(error.message))),
    Effect.flatMap((json) =>
      Effect.mapError(Schema.decodeUnknown(FeedAnswer)(json), () => failed("not the sandbox's event feed"))
    ),
    Effect.scoped,
    Effect.timeoutFail({ duration: pollTimeout, onTimeout: () => failed("no answer in 10 s") })
  )
}

/** Prints one delivery of the feed: a JSON line (`--output json`), or a text line per event. */
const printDelivery = (format: EventFormat, show: boolean, url: string, delivery: FeedAnswer["events"][number]) =>
  Effect.gen(function*() {
    // The sandbox wrote it: a delivery that does not decode is the feed's fault, not the user's input.
    const notification = yield* Effect.mapError(
      WhatsAppEvent.fromSnsHttp(delivery.body),
      (error) => new FeedError({ url, detail: `delivery ${delivery.sequence} does not decode (${error.message})` })
    )
    const events = WhatsAppEvent.events(notification)
    if (format === "text") {
      for (const event of events) yield* Console.log(textLine(event, show))
      return
    }
    const { body: _body, ...rest } = delivery
    yield* Console.log(JSON.stringify({ ...rest, events: yield* encoded(events, show) }))
  })

/** The URL of the sandbox: `--endpoint-url`, else what `sandbox serve` exports. */
const sandboxUrl = (given: Option.Option<string>): Effect.Effect<URL, InputError> =>
  Effect.gen(function*() {
    const fromEnv = yield* Config.option(Config.nonEmptyString("AWS_ENDPOINT_URL_SOCIALMESSAGING")).pipe(
      Effect.orElseSucceed(() => Option.none<string>())
    )
    const text = Option.getOrUndefined(Option.orElse(given, () => fromEnv))
    if (text === undefined) {
      return yield* new InputError({
        detail: "no sandbox URL: pass --endpoint-url, or export AWS_ENDPOINT_URL_SOCIALMESSAGING as " +
          "`social-messaging sandbox serve` prints it"
      })
    }
    const url = yield* Effect.try({
      try: () => new URL(text),
      catch: () => new InputError({ detail: `--endpoint-url: not a URL: ${JSON.stringify(text.slice(0, 200))}` })
    })
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return yield* new InputError({ detail: `--endpoint-url: expected http or https, got ${url.protocol}` })
    }
    return url
  })

/** `sandbox events`. */
export const sandboxEvents = Command.make(
  "events",
  {
    endpointUrl: Options.text("endpoint-url").pipe(
      Options.withPseudoName("URL"),
      Options.withDescription("The sandbox server (default: AWS_ENDPOINT_URL_SOCIALMESSAGING, as `serve` prints it)."),
      Options.optional
    ),
    follow: Options.boolean("follow").pipe(
      Options.withAlias("f"),
      Options.withDescription("Keep polling and print each event as it is delivered, until Ctrl-C.")
    ),
    after: Options.integer("after").pipe(
      Options.withDescription("Only deliveries numbered above this (the feed's sequence; default 0: all retained)."),
      Options.withDefault(0)
    ),
    interval: Options.integer("interval-ms").pipe(
      Options.withDescription("With --follow, the time between polls in milliseconds (default 250)."),
      Options.withDefault(250)
    ),
    output: outputOption,
    showContent: showContentOption
  },
  ({ after, endpointUrl, follow, interval, output, showContent }) =>
    Effect.gen(function*() {
      if (after < 0) return yield* new InputError({ detail: "--after: expected 0 or more" })
      if (interval < 10) return yield* new InputError({ detail: "--interval-ms: expected 10 or more" })
      const base = yield* sandboxUrl(endpointUrl)
      const env = yield* CliEnvironment
      const client = yield* Effect.provide(HttpClient.HttpClient, env.httpClient)
      // Deliveries above the resume point already printed: the next answer repeats them (see the feed's `next`).
      let printed = new Set<number>()
      const step = (from: number) =>
        Effect.gen(function*() {
          const answer = yield* poll(client, base, from)
          for (const delivery of answer.events) {
            if (printed.has(delivery.sequence)) continue
            yield* printDelivery(output, showContent, base.href, delivery)
            printed.add(delivery.sequence)
          }
          printed = new Set([...printed].filter((sequence) => sequence > answer.next))
          return answer.next
        })
      const first = yield* step(after)
      if (!follow) return
      yield* Effect.iterate(first, { while: () => true, body: (from) => Effect.delay(step(from), interval) })
    }).pipe(
      Effect.catchTags({
        InputError: (error) => fail(exitCodes.invalidParameters)(error),
        FeedError: (error) => fail(exitCodes.other)(error),
        LoadError: (error) => fail(exitCodes.other)(error)
      })
    )
).pipe(
  Command.withDescription(
    "Prints the event feed of a running `sandbox serve` (statuses of sent messages, customer replies) as typed " +
      "events; --follow keeps printing them as they are delivered."
  )
)
