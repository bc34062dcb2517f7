/**
 * A plain SigV4-signing HTTP client for the server tests: AWS's signer (`@smithy/signature-v4`) and
 * Node's `fetch`, nothing from the code under test. Requests can be altered after signing.
 */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as Operations from "@social-messaging/domain/Operations"
import { Clock, Effect, Predicate, Schema } from "effect"

export const sandboxKeys = {
  accessKeyId: "AKIASANDBOX000000001",
  secretAccessKey: "sandbox-secret-access-key-do-not-use-in-aws"
}

export interface WireRequest {
  readonly method: string
  readonly path: string
  readonly query?: Readonly<Record<string, string>>
  readonly body?: string
  readonly headers?: Readonly<Record<string, string>>
}

/** What can be changed after signing. */
export interface Sent {
  readonly method: string
  readonly path: string
  readonly query: Record<string, string>
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

export interface SendOptions {
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string }
  readonly region?: string
  readonly service?: string
  /** Epoch millis to sign at (default: now, by `Clock`). */
  readonly signingDate?: number
  /** Send the `x-amz-content-sha256` header, as S3-style clients do. */
  readonly contentSha256?: boolean
  /** Send without any signature. */
  readonly unsigned?: boolean
  readonly tamper?: (sent: Sent) => Sent
}

export interface WireResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: unknown
}

export class TransportFailed extends Schema.TaggedError<TransportFailed>()("TransportFailed", {
  cause: Schema.Defect
}) {}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const send = (baseUrl: string, request: WireRequest, options: SendOptions = {}) =>
  Effect.gen(function*() {
    const now = options.signingDate ?? (yield* Clock.currentTimeMillis)
    const base = new URL(baseUrl)
    const unsigned: Sent = {
      method: request.method,
      path: request.path,
      query: { ...request.query },
      headers: {
        host: base.host,
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers
      },
      body: request.body
    }
    const credentials = options.credentials ?? sandboxKeys
    const signer = new SignatureV4({
      credentials,
      region: options.region ?? "us-east-1",
      service: options.service ?? "social-messaging",
      sha256: Hash.bind(null, "sha256"),
      applyChecksum: options.contentSha256 ?? false
    })
    return yield* Effect.tryPromise({
      try: async () => {
        let sent = unsigned
        if (options.unsigned !== true) {
          const signed = await signer.sign({
            method: unsigned.method,
            protocol: base.protocol,
            hostname: base.hostname,
            port: Number(base.port),
            path: unsigned.path,
            query: unsigned.query,
            headers: unsigned.headers,
            ...(unsigned.body === undefined ? {} : { body: unsigned.body })
          }, { signingDate: new Date(now) })
          const headers: Record<string, string> = {}
          for (const [name, value] of Object.entries(signed.headers)) headers[name] = value
          sent = { ...unsigned, headers }
        }
        if (options.tamper !== undefined) sent = options.tamper(sent)
        const url = new URL(sent.path, baseUrl)
        for (const [name, value] of Object.entries(sent.query)) url.searchParams.set(name, value)
        const { host: _host, ...headers } = sent.headers
        const response = await fetch(url, {
          method: sent.method,
          headers,
          ...(sent.body === undefined ? {} : { body: sent.body })
        })
        const text = await response.text()
        return { status: response.status, headers: response.headers, text, json: parseJson(text) }
      },
      catch: (cause) => new TransportFailed({ cause })
    })
  })

/** Sends operation `name` with a wire-form input, bound as the model says (query or JSON body). */
export const call = (
  baseUrl: string,
  name: keyof typeof Operations.operations,
  input: Readonly<Record<string, unknown>>,
  options: SendOptions = {}
) => {
  const operation = Operations.operations[name]
  const query: Record<string, string> = {}
  const body: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    const binding = operation.query.find((q) => q.member === key)
    if (binding !== undefined) query[binding.name] = String(value)
    else body[key] = value
  }
  const hasBody = operation.body.length > 0
  return send(baseUrl, {
    method: operation.method,
    path: operation.path,
    query,
    ...(hasBody ? { body: JSON.stringify(body) } : {})
  }, options)
}

/** The `message` of an AWS error body. */
export const messageOf = (response: WireResponse): string =>
  Predicate.hasProperty(response.json, "message") && typeof response.json.message === "string"
    ? response.json.message
    : ""
