/**
 * Tags: TagResource, UntagResource and ListTagsForResource on the API's taggable resources, the ARNs of
 * linked WABAs (`…:waba/…`) and of their registered phone numbers (`…:phone-number-id/…`), the only
 * resources the model gives ARNs.
 *
 * Operations that do not declare ResourceNotFound answer `InvalidParametersException` for an unknown ARN.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import type * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Effect from "effect/Effect"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { type Context, findLinked, findPhoneNumber, invalid, type Methods, type State } from "./State.js"

/** Tags a resource may carry (the usual AWS limit). */
export const maxTagsPerResource = 50

const mergeTags = (
  existing: ReadonlyArray<Shapes.Tag>,
  added: ReadonlyArray<Shapes.Tag>
): ReadonlyArray<Shapes.Tag> => {
  const byKey = new Map(existing.map((tag) => [tag.key, tag]))
  for (const tag of added) byKey.set(tag.key, tag)
  return [...byKey.values()]
}

/** Rules AWS applies to tags beyond the model's lengths; answers the merged tags. */
export const checkTags = (
  where: string,
  existing: ReadonlyArray<Shapes.Tag>,
  added: ReadonlyArray<Shapes.Tag>
): Effect.Effect<ReadonlyArray<Shapes.Tag>, Errors.InvalidParametersException> => {
  const reserved = added.find((tag) => tag.key.toLowerCase().startsWith("aws:"))
  if (reserved !== undefined) {
    return Effect.fail(invalid(`${where}: tag keys starting with 'aws:' are reserved for AWS use`))
  }
  const merged = mergeTags(existing, added)
  return merged.length > maxTagsPerResource
    ? Effect.fail(invalid(`${where}: a resource can have at most ${maxTagsPerResource} tags`))
    : Effect.succeed(merged)
}

/** `tags` with the tags of `arn` replaced (an empty list removes the entry). */
export const withTags = (
  tags: ReadonlyMap<string, ReadonlyArray<Shapes.Tag>>,
  arn: string,
  value: ReadonlyArray<Shapes.Tag>
): ReadonlyMap<string, ReadonlyArray<Shapes.Tag>> => {
  const next = new Map(tags)
  if (value.length === 0) next.delete(arn)
  else next.set(arn, value)
  return next
}

const taggable = (state: State, arn: string): Effect.Effect<string, Errors.InvalidParametersException> =>
  findLinked(state, arn)?.arn === arn || findPhoneNumber(state, arn)?.phoneNumber.arn === arn
    ? Effect.succeed(arn)
    : Effect.fail(invalid(`The resource ${arn} was not found in this account.`))

/** The tag operations. */
export const make = ({ ref }: Context): Methods<"TagResource" | "UntagResource" | "ListTagsForResource"> => ({
  tagResource: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const arn = yield* taggable(state, input.resourceArn)
        const merged = yield* checkTags("tags", state.tags.get(arn) ?? [], input.tags)
        return [{ statusCode: 200 }, { ...state, tags: withTags(state.tags, arn, merged) }] as const
      })),

  // Unknown keys are ignored, as AWS does.
  untagResource: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.map(taggable(state, input.resourceArn), (arn) => {
        const remove = new Set(input.tagKeys)
        const kept = (state.tags.get(arn) ?? []).filter((tag) => !remove.has(tag.key))
        return [{ statusCode: 200 }, { ...state, tags: withTags(state.tags, arn, kept) }] as const
      })),

  listTagsForResource: (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.map(taggable(state, input.resourceArn), (arn) => ({
        statusCode: 200,
        tags: state.tags.get(arn) ?? []
      })))
})
