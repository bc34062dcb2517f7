/**
 * The direct lane of an `HttpClient` this package builds (`UndiciHttpClient`): one request sent and its whole
 * answer read, reported once to a callback; cancelled by the function `send` returns. The service uses it, when
 * the client it was given has one, to run an attempt (sign, send, read) under one timer, outside Effect.
 */
import type * as HttpClient from "@effect/platform/HttpClient"

/** A request as the lane sends it: the endpoint's origin, the path with its query string, the final headers. */
export interface Request {
  readonly method: string
  readonly origin: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

/** How a request ended: an answer read whole, or the failure to send it or to read its body. */
export type Outcome =
  | {
    readonly _tag: "Answer"
    readonly status: number
    /** Lower-case names; a repeated header's values joined with `, `. */
    readonly headers: Readonly<Record<string, string>>
    readonly body: string
  }
  | { readonly _tag: "RequestFailed"; readonly cause: unknown }
  | { readonly _tag: "BodyFailed"; readonly cause: unknown }

/**
 * Sends one request and calls `onOutcome` once with how it ended, unless it is abandoned first: the returned
 * function abandons it (closing its connection if it is under way) and `onOutcome` is then not called.
 */
export type Send = (request: Request, onOutcome: (outcome: Outcome) => void) => () => void

const lanes = new WeakMap<HttpClient.HttpClient, Send>()

/** Gives `client` a direct lane; returns the client. */
export const register = (client: HttpClient.HttpClient, send: Send): HttpClient.HttpClient => {
  lanes.set(client, send)
  return client
}

/** The direct lane of `client`, if it has one (a wrapped client has none). */
export const of = (client: HttpClient.HttpClient): Send | undefined => lanes.get(client)
