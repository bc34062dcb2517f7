/**
 * restJson1 requests both ways, as the operation table binds them: `toWire` writes an encoded input as the
 * parts of an HTTP request (the HTTP client sends them), `fromWire` reads those parts back into an encoded input
 * (the sandbox's server decodes it with the operation's input schema). Pure: no I/O, no signing; the two are
 * tested as inverses over every operation.
 *
 * @example
 * ```ts
 * import * as Operations from "@social-messaging/domain/Operations"
 * import * as Wire from "@social-messaging/domain/Wire"
 *
 * const request = Wire.toWire(Operations.ListTagsForResource, { resourceArn: "arn:aws:..." })
 * // { method: "GET", path: "/v1/tags/list", query: { resourceArn: "arn:aws:..." }, headers: {}, body: undefined }
 * const input = Wire.fromWire(Operations.ListTagsForResource, request) // Either.right({ resourceArn: "arn:aws:..." })
 * ```
 */
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type { OperationInfo, QueryBinding } from "./internal/operation.js"

/** Query parameters by name: one value, or one per item for a list member. */
export type Query = Readonly<Record<string, string | ReadonlyArray<string>>>

/** The parts of a request an operation's binding fills, before signing. */
export interface Request {
  readonly method: OperationInfo["method"]
  /** The model's path with its labels filled in (percent-encoded). */
  readonly path: string
  readonly query: Query
  /** Headers of the input's header members (names as the model writes them). */
  readonly headers: Readonly<Record<string, string>>
  /** JSON text when the operation has body members (or a payload); `undefined` for none. */
  readonly body: string | undefined
}

/** The parts of a request a server received (header names in any case). */
export interface Received {
  /** The path as sent, percent-encoded, without the query string. */
  readonly path: string
  readonly query: Query
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** The body as text; `undefined` or blank for none. */
  readonly body: string | undefined
}

/** A request body that is not the JSON object the operation's binding reads. */
export class MalformedBody extends Schema.TaggedError<MalformedBody>()("MalformedBody", {
  /** "malformed path label": a label's percent-encoding does not decode (`%E0%A4%A`, say). */
  reason: Schema.Literal("not JSON", "not a JSON object", "malformed path label")
}) {}

// =============================================================================
// Encoding of values
// =============================================================================

/** RFC 3986 encoding as the AWS SDK does it (`encodeURIComponent` plus `!'()*`). */
export const encodeQueryComponent = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/**
 * The query string of `query`: parameters sorted by name, as the AWS SDK's HTTP handlers write them
 * (`buildQueryString`), so the request line is byte-identical to the SDK's; a list as one parameter per item.
 */
export const queryString = (query: Query): string => {
  const names = Object.keys(query)
  if (names.length === 0) return ""
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  let out = ""
  for (const name of names) {
    const value = query[name]
    const key = encodeQueryComponent(name)
    for (const item of typeof value === "string" ? [value] : value ?? []) {
      out += `${out === "" ? "" : "&"}${key}=${encodeQueryComponent(item)}`
    }
  }
  return out
}

/** A scalar as text: a string as is, a number in decimal, a boolean as `true`/`false`; anything else none. */
const scalarText = (value: unknown): string | undefined =>
  typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined

/** A query member's text: a timestamp (epoch seconds encoded) as ISO 8601, a list as one text per item. */
const queryText = (type: QueryBinding["type"], value: unknown): string | ReadonlyArray<string> | undefined => {
  if (type === "list") {
    return Array.isArray(value)
      ? value.flatMap((item) => scalarText(item) ?? [])
      : undefined
  }
  if (type === "timestamp" && typeof value === "number") {
    return Number.isFinite(value) ? new Date(value * 1000).toISOString() : undefined
  }
  return scalarText(value)
}

/**
 * A query parameter as the member's encoded value. Values that are not what their type says stay text, for
 * the input schema to refuse by name.
 */
const queryMember = (type: QueryBinding["type"], texts: ReadonlyArray<string>): unknown => {
  if (type === "list") return texts
  const text = texts[0] ?? ""
  switch (type) {
    case "integer":
      return /^-?\d+$/.test(text) ? Number(text) : text
    case "boolean":
      return text === "true" ? true : text === "false" ? false : text
    case "timestamp": {
      const millis = Date.parse(text)
      return Number.isNaN(millis) ? text : millis / 1000
    }
    case "string":
      return text
  }
}

/** A label's value in the path: percent-encoded, a greedy label's `/` kept. */
const labelText = (value: string, greedy: boolean): string =>
  greedy ? value.split("/").map(encodeQueryComponent).join("/") : encodeQueryComponent(value)

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The model's path as a regular expression, a group per label (greedy labels span `/`). */
const pathPattern = (operation: OperationInfo): RegExp =>
  new RegExp(
    `^${
      operation.path.split(/(\{[^}]+\})/).map((part) =>
        /^\{[^}]+\+\}$/.test(part) ? "(.+)" : /^\{[^}]+\}$/.test(part) ? "([^/]+)" : escapeRegex(part)
      ).join("")
    }$`
  )

/** The members of an encoded input (none unless it is an object). */
const membersOf = (encoded: unknown): Readonly<Record<string, unknown>> => Predicate.isRecord(encoded) ? encoded : {}

// =============================================================================
// Both ways
// =============================================================================

/**
 * Writes an encoded (wire-form) input as the operation's binding says: labels into the path, query members
 * under their query names (`deleteAllLanguages` goes as `deleteAllTemplates`; booleans as `true`/`false`,
 * integers in decimal), header members as headers, absent ones skipped; the body members (if the operation has
 * any) as a JSON object in model order, absent members dropped and `{}` when none is set, as the AWS SDK sends.
 * An operation without body members (and no payload) sends no body.
 */
export const toWire = (operation: OperationInfo, encoded: unknown): Request => {
  const input = membersOf(encoded)
  let path = operation.path
  for (const label of operation.labels) {
    const text = scalarText(input[label.member]) ?? ""
    path = path.replace(`{${label.name}${label.greedy ? "+" : ""}}`, labelText(text, label.greedy))
  }
  const query: Record<string, string | ReadonlyArray<string>> = {}
  for (const binding of operation.query) {
    const text = queryText(binding.type, input[binding.member])
    if (text !== undefined) query[binding.name] = text
  }
  const headers: Record<string, string> = {}
  for (const binding of operation.headers) {
    const text = scalarText(input[binding.member])
    if (text !== undefined) headers[binding.name] = text
  }
  return { method: operation.method, path, query, headers, body: bodyOf(operation, input) }
}

const bodyOf = (operation: OperationInfo, input: Readonly<Record<string, unknown>>): string | undefined => {
  if (operation.payload !== undefined) {
    const payload = input[operation.payload]
    return payload === undefined ? undefined : JSON.stringify(payload)
  }
  if (operation.body.length === 0) return undefined
  const members: Record<string, unknown> = {}
  for (const name of operation.body) {
    const value = input[name]
    if (value !== undefined) members[name] = value
  }
  return JSON.stringify(members)
}

/** The JSON object of a body (`undefined` when blank); members the operation does not bind are kept. */
const parseBody = (
  text: string | undefined
): Either.Either<Readonly<Record<string, unknown>> | undefined, MalformedBody> =>
  text === undefined || text.trim() === ""
    ? Either.right(undefined)
    : Either.try({ try: (): unknown => JSON.parse(text), catch: () => new MalformedBody({ reason: "not JSON" }) }).pipe(
      Either.filterOrLeft(Predicate.isRecord, () => new MalformedBody({ reason: "not a JSON object" }))
    )

const headerValue = (headers: Received["headers"], name: string): string | undefined => {
  const lower = name.toLowerCase()
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === lower)?.[1]
  return typeof found === "string" ? found : found?.[0]
}

/**
 * Reads a received request back into an encoded input, the inverse of `toWire`, for the input schema to decode
 * (and refuse member by member): labels from the path, query members by their query names, header members, the
 * JSON body's members (every member it has, so unknown ones are refused by name). A body is read only when the
 * operation has body members (or a payload); a blank one counts as none. A body that is not a JSON object is a
 * `MalformedBody`.
 */
export const fromWire = (operation: OperationInfo, received: Received): Either.Either<unknown, MalformedBody> => {
  const input: Record<string, unknown> = {}
  if (operation.labels.length > 0) {
    const match = pathPattern(operation).exec(received.path)
    for (const [i, label] of operation.labels.entries()) {
      const text = match?.[i + 1]
      if (text === undefined) continue
      const decoded = Either.try({
        try: () => decodeURIComponent(text),
        catch: () => new MalformedBody({ reason: "malformed path label" })
      })
      if (Either.isLeft(decoded)) return decoded
      input[label.member] = decoded.right
    }
  }
  for (const binding of operation.query) {
    const value = received.query[binding.name]
    if (value !== undefined) {
      input[binding.member] = queryMember(binding.type, typeof value === "string" ? [value] : value)
    }
  }
  for (const binding of operation.headers) {
    const value = headerValue(received.headers, binding.name)
    if (value !== undefined) input[binding.member] = value
  }
  const payload = operation.payload
  if (payload === undefined && operation.body.length === 0) return Either.right(input)
  return Either.map(parseBody(received.body), (json) =>
    json === undefined
      ? input
      : payload === undefined
      ? { ...input, ...json }
      : { ...input, [payload]: json })
}

/** The query of a URL's search part (`a=1&b=2&b=3`), a repeated parameter as a list. */
export const parseQuery = (search: string): Query => {
  const out: Record<string, string | ReadonlyArray<string>> = {}
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = out[name]
    out[name] = seen === undefined ? value : typeof seen === "string" ? [seen, value] : [...seen, value]
  }
  return out
}
