/**
 * The `SocialMessaging` service: one method per association operation of AWS End User Messaging
 * Social, each `(input) => Effect<Output, that operation's errors>` with no requirements.
 *
 * Provide it with `layer`/`layerConfig` (real AWS over an `HttpClient`), `SocialMessagingNode.layer`
 * (Node's HTTP client included), or the sandbox's in-process layer in tests.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* SocialMessaging
 *   const { linkedAccounts } = yield* client.listLinkedWhatsAppBusinessAccounts({})
 *   return linkedAccounts ?? []
 * })
 * ```
 */
import type * as Errors from "@social-messaging/domain/Errors"
import { MalformedResponse } from "@social-messaging/domain/Errors"
import type * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import * as Operations from "@social-messaging/domain/Operations"
import type * as Tagging from "@social-messaging/domain/Tagging"
import type * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

// =============================================================================
// The service
// =============================================================================

/** The operations of the association domain. */
export interface Service {
  /** AssociateWhatsAppBusinessAccount (`POST /v1/whatsapp/signup`): step 1 (signup callback) or step 2 (setup finalization). */
  readonly associateWhatsAppBusinessAccount: (
    input: WhatsAppSignup.AssociateWhatsAppBusinessAccountRequest
  ) => Effect.Effect<
    WhatsAppSignup.AssociateWhatsAppBusinessAccountOutput,
    Errors.AssociateWhatsAppBusinessAccountError
  >
  /** DisassociateWhatsAppBusinessAccount (`DELETE /v1/whatsapp/waba/disassociate`): unlinks a WABA. */
  readonly disassociateWhatsAppBusinessAccount: (
    input: LinkedAccounts.DisassociateWhatsAppBusinessAccountInput
  ) => Effect.Effect<
    LinkedAccounts.DisassociateWhatsAppBusinessAccountOutput,
    Errors.DisassociateWhatsAppBusinessAccountError
  >
  /** GetLinkedWhatsAppBusinessAccount (`GET /v1/whatsapp/waba/details`): a linked WABA with its phone numbers. */
  readonly getLinkedWhatsAppBusinessAccount: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountInput
  ) => Effect.Effect<
    LinkedAccounts.GetLinkedWhatsAppBusinessAccountOutput,
    Errors.GetLinkedWhatsAppBusinessAccountError
  >
  /** ListLinkedWhatsAppBusinessAccounts (`GET /v1/whatsapp/waba/list`): one page of linked WABAs. */
  readonly listLinkedWhatsAppBusinessAccounts: (
    input: LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput
  ) => Effect.Effect<
    LinkedAccounts.ListLinkedWhatsAppBusinessAccountsOutput,
    Errors.ListLinkedWhatsAppBusinessAccountsError
  >
  /** Every linked WABA, following `nextToken` page by page (pages fetched as the stream is pulled). */
  readonly listLinkedWhatsAppBusinessAccountsStream: (
    input?: { readonly maxResults?: number }
  ) => Stream.Stream<
    LinkedAccounts.LinkedWhatsAppBusinessAccountSummary,
    Errors.ListLinkedWhatsAppBusinessAccountsError
  >
  /** GetLinkedWhatsAppBusinessAccountPhoneNumber (`GET /v1/whatsapp/waba/phone/details`). */
  readonly getLinkedWhatsAppBusinessAccountPhoneNumber: (
    input: LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberInput
  ) => Effect.Effect<
    LinkedAccounts.GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
    Errors.GetLinkedWhatsAppBusinessAccountPhoneNumberError
  >
  /** PutWhatsAppBusinessAccountEventDestinations (`PUT /v1/whatsapp/waba/eventdestinations`). */
  readonly putWhatsAppBusinessAccountEventDestinations: (
    input: LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsInput
  ) => Effect.Effect<
    LinkedAccounts.PutWhatsAppBusinessAccountEventDestinationsOutput,
    Errors.PutWhatsAppBusinessAccountEventDestinationsError
  >
  /** TagResource (`POST /v1/tags/tag-resource`): adds or overwrites tags on a WABA or phone number ARN. */
  readonly tagResource: (
    input: Tagging.TagResourceInput
  ) => Effect.Effect<Tagging.TagResourceOutput, Errors.TagResourceError>
  /** UntagResource (`POST /v1/tags/untag-resource`): removes tags by key. */
  readonly untagResource: (
    input: Tagging.UntagResourceInput
  ) => Effect.Effect<Tagging.UntagResourceOutput, Errors.UntagResourceError>
  /** ListTagsForResource (`GET /v1/tags/list`): the tags of a resource. */
  readonly listTagsForResource: (
    input: Tagging.ListTagsForResourceInput
  ) => Effect.Effect<Tagging.ListTagsForResourceOutput, Errors.ListTagsForResourceError>
}

/**
 * The service tag.
 *
 * @example
 * ```ts
 * const account = SocialMessaging.pipe(Effect.flatMap((c) => c.getLinkedWhatsAppBusinessAccount({ id })))
 * ```
 */
export class SocialMessaging extends Context.Tag("@social-messaging/http-client/SocialMessaging")<
  SocialMessaging,
  Service
>() {}

// =============================================================================
// Building a service from one generic call
// =============================================================================

/** Runs one operation: validate, send (or simulate), decode. Transports implement this once. */
export type Call = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  input: I
) => Effect.Effect<O, Errors.AwsErrorOf<K> | Errors.ClientError>

/**
 * Follows `nextToken` through every page of a list call, as a stream of the page items. A page that
 * hands back the token it was asked with would loop forever: that fails as a `MalformedResponse`.
 */
export const paginate = (
  list: Service["listLinkedWhatsAppBusinessAccounts"],
  input: { readonly maxResults?: number } = {}
): Stream.Stream<LinkedAccounts.LinkedWhatsAppBusinessAccountSummary, Errors.ListLinkedWhatsAppBusinessAccountsError> => {
  return Stream.paginateChunkEffect(Option.none<string>(), (token) =>
    list({
      ...(input.maxResults === undefined ? {} : { maxResults: input.maxResults }),
      ...Option.match(token, { onNone: () => ({}), onSome: (nextToken) => ({ nextToken }) })
    }).pipe(
      Effect.filterOrFail(
        (page) => page.nextToken === undefined || !Option.contains(token, page.nextToken),
        () =>
          new MalformedResponse({
            operation: Operations.ListLinkedWhatsAppBusinessAccounts.name,
            status: 200,
            bodyExcerpt: "",
            detail: "the page returned the nextToken it was requested with"
          })
      ),
      Effect.map((page) =>
        [
          Chunk.fromIterable(page.linkedAccounts ?? []),
          Option.map(Option.fromNullable(page.nextToken), Option.some)
        ] as const
      )
    ))
}

/** The service over a `Call`: what `make` and the sandbox's in-process layer both use. */
export const fromCall = (call: Call): Service => {
  const listLinkedWhatsAppBusinessAccounts = (input: LinkedAccounts.ListLinkedWhatsAppBusinessAccountsInput) =>
    call(Operations.ListLinkedWhatsAppBusinessAccounts, input)
  return {
    associateWhatsAppBusinessAccount: (input) => call(Operations.AssociateWhatsAppBusinessAccount, input),
    disassociateWhatsAppBusinessAccount: (input) => call(Operations.DisassociateWhatsAppBusinessAccount, input),
    getLinkedWhatsAppBusinessAccount: (input) => call(Operations.GetLinkedWhatsAppBusinessAccount, input),
    listLinkedWhatsAppBusinessAccounts,
    listLinkedWhatsAppBusinessAccountsStream: (input) => paginate(listLinkedWhatsAppBusinessAccounts, input),
    getLinkedWhatsAppBusinessAccountPhoneNumber: (input) =>
      call(Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber, input),
    putWhatsAppBusinessAccountEventDestinations: (input) =>
      call(Operations.PutWhatsAppBusinessAccountEventDestinations, input),
    tagResource: (input) => call(Operations.TagResource, input),
    untagResource: (input) => call(Operations.UntagResource, input),
    listTagsForResource: (input) => call(Operations.ListTagsForResource, input)
  }
}
