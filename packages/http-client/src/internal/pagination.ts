/**
 * Pagination as AWS's paginators describe it (botocore `paginators-1.json`): send the page's token back until
 * a page has none, as a `Stream` pulled page by page.
 */
import * as Errors from "@social-messaging/domain/Errors"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** The token member a page request carries: none for the first page. */
export type PageToken = { readonly nextToken?: string }

/**
 * Every page of a list call, following `nextToken` (pages fetched as the stream is pulled) until a page has
 * none or an empty one; a token goes back exactly as AWS gave it. A page that hands back the token it was
 * asked with would loop forever: that fails as a `MalformedResponse`.
 */
export const pages = <O extends { readonly nextToken?: string | undefined }, E>(
  operation: Errors.OperationName,
  fetch: (token: PageToken) => Effect.Effect<O, E>
): Stream.Stream<O, E | Errors.MalformedResponse> =>
  Stream.paginateEffect(
    Option.none<string>(),
    (token) =>
      fetch(Option.match(token, { onNone: () => ({}), onSome: (nextToken) => ({ nextToken }) })).pipe(
        Effect.filterOrFail(
          (page) => page.nextToken === undefined || !Option.contains(token, page.nextToken),
          () =>
            new Errors.MalformedResponse({
              operation,
              status: 200,
              bodyExcerpt: "",
              detail: "the page returned the nextToken it was requested with"
            })
        ),
        Effect.map((page) =>
          [page, Option.map(Option.filter(Option.fromNullable(page.nextToken), (t) => t !== ""), Option.some)] as const
        )
      )
  )

/** The items of every page, in order (`select` picks a page's list; absent counts as empty). */
export const items = <O, A, E>(
  self: Stream.Stream<O, E>,
  select: (page: O) => ReadonlyArray<A> | undefined
): Stream.Stream<A, E> => Stream.flatMap(self, (page) => Stream.fromIterable(select(page) ?? []))
