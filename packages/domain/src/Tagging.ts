/**
 * Tags and the tagging operations: TagResource, UntagResource, ListTagsForResource.
 *
 * The schemas are generated from AWS's model (`generated/Shapes.ts`, `npm run generate`); this module names the
 * ones of its concern.
 */
export {
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  Tag,
  TagList,
  TagResourceInput,
  TagResourceOutput,
  UntagResourceInput,
  UntagResourceOutput
} from "./generated/Shapes.js"
