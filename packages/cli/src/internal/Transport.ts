/**
 * HTTP clients around the real one, for `--debug` (a redacted trace of every request and response on
 * standard error) and `--dry-run` (the signed request is recorded and never sent).
 *
 * Redacted in both: the `authorization` signature, `x-amz-security-token`, `x-amz-content-sha256` (a hash
 * of a body holding a 6-digit PIN is easily inverted) and the secret members of JSON bodies (the whole value of
 * every member `WhatsAppSignup.secretMembers` names).
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Operations from "@social-messaging/domain/Operations"
import * as Redaction from "@social-messaging/domain/Redaction"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Clock, Console, Effect, Option, Ref, Schema } from "effect"
import { redactedText } from "./Output.js"

/** A request as shown by `--dry-run` and `--debug`: secrets redacted, body parsed when it is JSON. */
export interface ShownRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body?: unknown
}

const hiddenHeaders: ReadonlySet<string> = new Set(["x-amz-security-token", "x-amz-content-sha256", "cookie"])

/** `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=<redacted>`: the scope stays readable. */
const redactAuthorization = (value: string): string =>
  /Signature=/.test(value) ? value.replace(/Signature=[0-9a-fA-F]*/, `Signature=${redactedText}`) : redactedText

/** Headers with every secret value replaced. */
export const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    out[lower] = lower === "authorization"
      ? redactAuthorization(value)
      : hiddenHeaders.has(lower)
      ? redactedText
      : value
  }
  return out
}

const decoder = new TextDecoder()
const JsonText = Schema.parseJson()

/** The operation a request is for (by method and path; a custom endpoint may add a base path before it). */
const operationOf = (method: string, url: URL): Operations.AnyOperationEntry | undefined =>
  Operations.allOperations.find((op) => op.method === method && url.pathname.endsWith(op.path))

/**
 * A body for showing: parsed JSON with secrets redacted (every member the operation's input schema makes
 * `Redacted`, and the members secret by name anywhere); other text is shown only by its size.
 */
export const showBody = (text: string, input?: Operations.AnyOperationEntry["input"]): unknown => {
  if (text === "") return undefined
  return Option.match(Schema.decodeUnknownOption(JsonText)(text), {
    onNone: () => `<${text.length} bytes, not JSON>`,
    onSome: (json) => Redaction.redactSecretMembers(input === undefined ? json : Redaction.redactWire(input, json))
  })
}

const requestBodyText = (body: HttpBody.HttpBody): string => {
  switch (body._tag) {
    case "Uint8Array":
      return decoder.decode(body.body)
    case "Raw":
      return typeof body.body === "string"
        ? body.body
        : body.body instanceof Uint8Array
        ? decoder.decode(body.body)
        : ""
    default:
      return ""
  }
}

/** The request as shown (absolute URL, redacted headers and body). */
export const showRequest = (request: HttpClientRequest.HttpClientRequest, url: URL): ShownRequest => {
  const body = showBody(requestBodyText(request.body), operationOf(request.method, url)?.input)
  return {
    method: request.method,
    url: url.href,
    headers: redactHeaders(request.headers),
    ...(body === undefined ? {} : { body })
  }
}

// =============================================================================
// --debug
// =============================================================================

const trace = (lines: ReadonlyArray<string>) => Console.error(lines.map((line) => `[debug] ${line}`).join("\n"))

const headerLines = (headers: Readonly<Record<string, string>>) =>
  Object.entries(headers).map(([name, value]) => `    ${name}: ${value}`)

const bodyLines = (body: unknown) => (body === undefined ? [] : [`    body: ${JSON.stringify(body)}`])

/** The secret values a request's JSON body carries, by its operation's input schema (an answer may echo them). */
const requestSecrets = (request: HttpClientRequest.HttpClientRequest, url: URL): ReadonlyArray<string> => {
  const operation = operationOf(request.method, url)
  return operation === undefined
    ? []
    : Option.match(Schema.decodeUnknownOption(JsonText)(requestBodyText(request.body)), {
      onNone: () => [],
      onSome: (json) => Redaction.wireSecrets(operation.input, json)
    })
}

/**
 * Traces every request and response of `client` to standard error. The response body is read here (and
 * handed on unchanged) so it can be shown, scrubbed as error messages are: AWS's canonical-request dump in a
 * signature mismatch, secret members, and any secret of the request the answer echoes.
 */
export const withDebugTrace = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const shown = showRequest(request, url)
      yield* trace([`--> ${shown.method} ${shown.url}`, ...headerLines(shown.headers), ...bodyLines(shown.body)])
      const started = yield* Clock.currentTimeMillis
      const response = yield* client.execute(request).pipe(
        Effect.tapError((error) =>
          trace([
            `<-- ${error._tag}: ${error.reason}${error.description === undefined ? "" : ` (${error.description})`}`
          ])
        )
      )
      const text = yield* response.text.pipe(
        Effect.tapError((error) => trace([`<-- ${response.status}: body unreadable (${error.reason})`]))
      )
      const elapsed = (yield* Clock.currentTimeMillis) - started
      yield* trace([
        `<-- ${response.status} (${elapsed} ms)`,
        ...headerLines(redactHeaders(response.headers)),
        ...bodyLines(showBody(SocialMessaging.scrubSecrets(text, requestSecrets(request, url))))
      ])
      return HttpClientResponse.fromWeb(
        request,
        new Response(text === "" ? null : text, { status: response.status, headers: response.headers })
      )
    })
  )

// =============================================================================
// --dry-run
// =============================================================================

/** Why a dry-run request did not go out (the client sees a transport failure; the CLI knows better). */
export const dryRunDescription = "dry run: the request was not sent"

/** A client that records the first request and answers every request with a transport failure. */
export const dryRunClient = (recorded: Ref.Ref<Option.Option<ShownRequest>>): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Ref.update(recorded, Option.orElse(() => Option.some(showRequest(request, url)))).pipe(
      Effect.zipRight(
        Effect.fail(
          new HttpClientError.RequestError({ request, reason: "Transport", description: dryRunDescription })
        )
      )
    )
  )
