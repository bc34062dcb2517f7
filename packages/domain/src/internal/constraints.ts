/**
 * Smithy constraint traits as Schema filters.
 *
 * Smithy's `@length` counts Unicode code points (scalar values), not UTF-16 units as `String.length`
 * does, and `@pattern` is an unanchored ECMA-262 expression. Each filter carries the constraint as a
 * `jsonSchema` annotation so `JSONSchema.make` and `Arbitrary.make` see it.
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as AstRewrite from "../AstRewrite.js"

/** Marks the filters that are smithy constraint traits (what a client must not enforce on outputs). */
export const ModelConstraintId: unique symbol = Symbol.for("@social-messaging/domain/ModelConstraint")

/**
 * Marks the constraint filters of tokens the service issues and the caller sends back (`nextToken`,
 * `associateInProgressToken`): the client sends them exactly as received, so it does not enforce them on
 * input either (the service is the authority on its own tokens). The schema keeps them, as model facts.
 */
export const ServiceTokenConstraintId: unique symbol = Symbol.for("@social-messaging/domain/ServiceTokenConstraint")

/** Options of a constraint filter. */
export interface ConstraintOptions {
  /** The constrained value is a token the service issued (see `ServiceTokenConstraintId`). */
  readonly serviceToken?: boolean | undefined
}

const marks = (options: ConstraintOptions | undefined) =>
  options?.serviceToken === true
    ? { [ModelConstraintId]: true, [ServiceTokenConstraintId]: true }
    : { [ModelConstraintId]: true }

/** Number of Unicode code points in `s` (what smithy's `@length` counts). */
export const codePointLength = (s: string): number => {
  let n = 0
  for (const _ of s) n++
  return n
}

const describeLength = (min: number | undefined, max: number | undefined): string =>
  min !== undefined && max !== undefined
    ? `between ${min} and ${max} characters`
    : min !== undefined
    ? `at least ${min} characters`
    : `at most ${max} characters`

/** smithy `@length(min, max)` on a string, in code points. */
export const length =
  (min: number | undefined, max: number | undefined, options?: ConstraintOptions) =>
  <A extends string, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter((s: A) => {
        const n = codePointLength(s)
        return (min === undefined || n >= min) && (max === undefined || n <= max)
          ? undefined
          : `expected a string ${describeLength(min, max)} long (Unicode code points), got ${n}`
      }, {
        ...marks(options),
        jsonSchema: {
          ...(min === undefined ? {} : { minLength: min }),
          ...(max === undefined ? {} : { maxLength: max })
        }
      })
    )

/** smithy `@pattern`: ECMA-262, unanchored (`RegExp.test` on the expression as the model gives it). */
export const pattern = (source: string) => {
  const regex = new RegExp(source)
  return <A extends string, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter((s: A) => regex.test(s) ? undefined : `expected a string matching ${source}`, {
        [ModelConstraintId]: true,
        jsonSchema: { pattern: source }
      })
    )
}

/** smithy `@length(min, max)` on a list, in items. */
export const items =
  (min: number | undefined, max: number | undefined) =>
  <A extends ReadonlyArray<unknown>, I, R>(self: Schema.Schema<A, I, R>) =>
    self.pipe(
      Schema.filter((a: A) =>
        (min === undefined || a.length >= min) && (max === undefined || a.length <= max)
          ? undefined
          : `expected ${describeLength(min, max).replace("characters", "items")}, got ${a.length}`, {
        [ModelConstraintId]: true,
        jsonSchema: { ...(min === undefined ? {} : { minItems: min }), ...(max === undefined ? {} : { maxItems: max }) }
      })
    )

/**
 * A secret: `Redacted` in the type, the plain string on the wire. Unlike `Schema.Redacted`, no failure
 * message ever shows the value (a PIN passed as a number or an unwrapped string stays hidden).
 */
export const secret = <I, R>(inner: Schema.Schema<string, I, R>) =>
  Schema.transform(
    inner,
    Schema.RedactedFromSelf(Schema.typeSchema(inner)).annotations({
      message: () => "expected a Redacted value (the value is not shown)"
    }),
    { strict: true, decode: (s) => Redacted.make(s), encode: (r) => Redacted.value(r) }
  )

/** A string whose type errors never echo the value (for secrets). */
export const SecretString = Schema.String.annotations({
  message: () => "expected a string (the value is not shown)"
})

/**
 * An optional member that is either absent or valid: `exact`, so a bad value reports its own failure
 * only (no "or undefined" alternative echoing the value), matching `exactOptionalPropertyTypes`.
 */
export const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/**
 * The same AST without the smithy constraint filters (lengths, patterns, list sizes), everything else kept:
 * types, required members, enums, brands, transformations. Smithy: "clients SHOULD NOT enforce constraints
 * on output" — the service is the authority on what it sends.
 */
export const withoutModelConstraints = (ast: SchemaAST.AST): SchemaAST.AST => withoutFilters(ast, ModelConstraintId)

/**
 * The same AST without the constraint filters of service-issued tokens: what the client validates inputs
 * with, so a `nextToken` or `associateInProgressToken` goes back exactly as AWS gave it.
 */
export const withoutServiceTokenConstraints = (ast: SchemaAST.AST): SchemaAST.AST =>
  withoutFilters(ast, ServiceTokenConstraintId)

/** The same AST without the refinements annotated with `id`, everything else kept. */
const withoutFilters = (ast: SchemaAST.AST, id: symbol): SchemaAST.AST =>
  AstRewrite.rewrite(ast, { dropRefinement: (refinement) => refinement.annotations[id] === true })
