/**
 * Pagination as the AWS CLI does it, for every operation with a paginator in the table: every page by default,
 * `--page-size` (the paginator's limit member on each request), `--max-items` (stop after that many items, and
 * print a `NextToken` to go on from), `--starting-token` (go on from such a token, even one cut mid-page).
 *
 * The token is botocore's: base64 of the JSON `{"nextToken": TOKEN, "boto_truncate_amount": N}`, written as
 * Python's `json.dumps` writes it. `nextToken` is the service token of the page to fetch (`null` for the first
 * page) and `boto_truncate_amount` how many of that page's items were already printed (absent when the cut
 * fell on a page boundary), so a token from either CLI works in the other.
 */
import { Options } from "@effect/cli"
import * as Errors from "@social-messaging/domain/Errors"
import type * as Operations from "@social-messaging/domain/Operations"
import { Effect, Either, Encoding, Option, Predicate, Schema } from "effect"
import { InputError } from "./CliError.js"

/** `--starting-token`, `--page-size`, `--max-items`. */
export interface Flags {
  readonly startingToken: Option.Option<string>
  readonly pageSize: Option.Option<number>
  readonly maxItems: Option.Option<number>
}

/** The pagination flags of a pageable command. */
export const options: Options.Options<Flags> = Options.all({
  startingToken: Options.text("starting-token").pipe(
    Options.withPseudoName("TOKEN"),
    Options.withDescription("Go on from where an earlier --max-items stopped: the NextToken it printed."),
    Options.optional
  ),
  pageSize: Options.integer("page-size").pipe(
    Options.withPseudoName("N"),
    Options.withDescription("Items per request (the service's page size); every page is still fetched."),
    Options.optional
  ),
  maxItems: Options.integer("max-items").pipe(
    Options.withPseudoName("N"),
    Options.withDescription(
      "Print at most this many items in all; when more exist, a NextToken is printed for --starting-token."
    ),
    Options.optional
  )
})

// =============================================================================
// The resume token
// =============================================================================

/** Where a listing goes on: the service token of the page to fetch, and how many of its items to skip. */
export interface Position {
  readonly token: string | undefined
  readonly skip: number
}

// Python's json.dumps: ", " and ": " separators, non-ASCII as \uXXXX (ensure_ascii).
const pythonJson = (entries: ReadonlyArray<readonly [string, unknown]>): string =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(", ")}}`.replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/** The AWS CLI's `NextToken` for a position (`skip` 0 on a page boundary). */
export const encodeToken = (pagination: Operations.Pagination, position: Position): string =>
  Encoding.encodeBase64(
    pythonJson([
      [pagination.inputToken, position.token ?? null],
      ...(position.skip > 0 ? [["boto_truncate_amount", position.skip] as const] : [])
    ])
  )

const JsonText = Schema.parseJson()

/** Reads a `--starting-token`; anything but botocore's form is an `InputError`. */
export const decodeToken = (pagination: Operations.Pagination, text: string): Effect.Effect<Position, InputError> => {
  const bad = new InputError({
    detail: "--starting-token: not a token this CLI or the AWS CLI printed (base64 JSON with " +
      `${pagination.inputToken} and boto_truncate_amount)`
  })
  return Either.match(Encoding.decodeBase64String(text.trim()), {
    onLeft: () => Effect.fail(bad),
    onRight: (json) =>
      Schema.decodeUnknown(JsonText)(json).pipe(
        Effect.mapError(() => bad),
        Effect.flatMap((document) => {
          if (!Predicate.isRecord(document)) return Effect.fail(bad)
          const token = document[pagination.inputToken]
          const skip = document["boto_truncate_amount"] ?? 0
          const keys = Object.keys(document).filter((k) => k !== pagination.inputToken && k !== "boto_truncate_amount")
          return keys.length === 0 && (token === null || typeof token === "string") && token !== "" &&
              typeof skip === "number" && Number.isInteger(skip) && skip >= 0
            ? Effect.succeed({ token: token ?? undefined, skip })
            : Effect.fail(bad)
        })
      )
  })
}

// =============================================================================
// Following the pages
// =============================================================================

/** What a listing gathered: the first page (its other members), every item, and where to go on from. */
export interface Collected {
  readonly first: Readonly<Record<string, unknown>>
  readonly items: ReadonlyArray<unknown>
  readonly resume: Option.Option<Position>
}

const pageItems = (page: Readonly<Record<string, unknown>>, key: string): ReadonlyArray<unknown> => {
  const items = page[key]
  return Array.isArray(items) ? items : []
}

/**
 * Fetches pages from `start` until there are none or `maxItems` items are gathered, as botocore's paginator
 * does: no page is fetched once there are enough items; a cut inside a page resumes inside it. A page that
 * hands back the token it was asked with would loop forever: that fails as `MalformedResponse`.
 */
export const collect = <E>(
  operation: string,
  pagination: Operations.Pagination,
  fetch: (token: string | undefined) => Effect.Effect<unknown, E>,
  options: { readonly start: Position; readonly maxItems: number | undefined }
): Effect.Effect<Collected, E | Errors.MalformedResponse> =>
  Effect.gen(function*() {
    const { maxItems } = options
    let token = options.start.token
    let skip = options.start.skip
    let first: Readonly<Record<string, unknown>> | undefined
    const items: Array<unknown> = []
    for (;;) {
      const answer = yield* fetch(token)
      const page = Predicate.isRecord(answer) ? answer : {}
      first ??= page
      const fresh = pageItems(page, pagination.resultKey).slice(skip)
      const next = page[pagination.outputToken]
      const nextToken = typeof next === "string" && next !== "" ? next : undefined
      if (maxItems !== undefined && items.length + fresh.length > maxItems) {
        const keep = maxItems - items.length
        items.push(...fresh.slice(0, keep))
        return { first, items, resume: Option.some({ token, skip: skip + keep }) }
      }
      items.push(...fresh)
      if (nextToken === undefined) return { first, items, resume: Option.none() }
      if (nextToken === token) {
        return yield* new Errors.MalformedResponse({
          operation,
          status: 200,
          bodyExcerpt: "",
          detail: "the page returned the nextToken it was requested with"
        })
      }
      if (maxItems !== undefined && items.length === maxItems) {
        return { first, items, resume: Option.some({ token: nextToken, skip: 0 }) }
      }
      token = nextToken
      skip = 0
    }
  })
