/**
 * Tags and the tagging operations: TagResource, UntagResource, ListTagsForResource.
 */
import * as Schema from "effect/Schema"
import { Arn } from "./Ids.js"
import { length, optional } from "./internal/constraints.js"

/** A key/value tag: model `Tag` (key 1–128, value at most 256 code points). */
export const Tag = Schema.Struct({
  key: Schema.String.pipe(length(1, 128)),
  value: optional(Schema.String.pipe(length(undefined, 256)))
}).annotations({ identifier: "Tag" })
export type Tag = typeof Tag.Type

/** Model `TagList`. */
export const TagList = Schema.Array(Tag).annotations({ identifier: "TagList" })
export type TagList = typeof TagList.Type

/** Input of TagResource (`POST /v1/tags/tag-resource`, JSON body). */
export const TagResourceInput = Schema.Struct({
  resourceArn: Arn,
  tags: TagList
}).annotations({ identifier: "TagResourceInput" })
export type TagResourceInput = typeof TagResourceInput.Type

/** Output of TagResource: `statusCode` is a body field, not the HTTP status. */
export const TagResourceOutput = Schema.Struct({
  statusCode: optional(Schema.Int)
}).annotations({ identifier: "TagResourceOutput" })
export type TagResourceOutput = typeof TagResourceOutput.Type

/** Input of UntagResource (`POST /v1/tags/untag-resource`, JSON body). */
export const UntagResourceInput = Schema.Struct({
  resourceArn: Arn,
  tagKeys: Schema.Array(Schema.String)
}).annotations({ identifier: "UntagResourceInput" })
export type UntagResourceInput = typeof UntagResourceInput.Type

/** Output of UntagResource. */
export const UntagResourceOutput = Schema.Struct({
  statusCode: optional(Schema.Int)
}).annotations({ identifier: "UntagResourceOutput" })
export type UntagResourceOutput = typeof UntagResourceOutput.Type

/** Input of ListTagsForResource (`GET /v1/tags/list?resourceArn=…`). */
export const ListTagsForResourceInput = Schema.Struct({
  resourceArn: Arn
}).annotations({ identifier: "ListTagsForResourceInput" })
export type ListTagsForResourceInput = typeof ListTagsForResourceInput.Type

/** Output of ListTagsForResource. */
export const ListTagsForResourceOutput = Schema.Struct({
  statusCode: optional(Schema.Int),
  tags: optional(TagList)
}).annotations({ identifier: "ListTagsForResourceOutput" })
export type ListTagsForResourceOutput = typeof ListTagsForResourceOutput.Type
