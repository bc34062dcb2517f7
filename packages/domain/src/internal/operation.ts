/**
 * What an operation is, as data: the types of the generated operation table (`generated/Operations.ts`) and
 * `entry`, which the table calls once per operation to add what is derived from its schemas (the lenient output
 * schema, client error correction, the input schema without service-token constraints), lazily.
 */
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ErrorName } from "../generated/Errors.js"
import { withoutModelConstraints, withoutServiceTokenConstraints } from "./constraints.js"
import { type Corrector, corrector } from "./correction.js"

/** An input member sent in the query string, under `name`. */
export interface QueryBinding {
  readonly member: string
  readonly name: string
  /** how the value is written: as is, `true`/`false`, decimal, ISO 8601, or one parameter per item */
  readonly type: "string" | "boolean" | "integer" | "timestamp" | "list"
}

/** An input member sent in the path, in place of `{name}` (`{name+}` when greedy). */
export interface LabelBinding {
  readonly member: string
  readonly name: string
  readonly greedy: boolean
}

/** An input member sent as the header `name`. */
export interface HeaderBinding {
  readonly member: string
  readonly name: string
}

/** botocore's paginator: the token members in and out, the page-size member, the member holding the items. */
export interface Pagination {
  readonly inputToken: string
  readonly outputToken: string
  readonly limitKey: string
  readonly resultKey: string
}

/** What every operation has apart from its typed schemas: name, restJson1 binding, errors, traits. */
export interface OperationInfo<Name extends string = string, E extends ErrorName = ErrorName> {
  readonly name: Name
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD"
  /** the model's requestUri (labels as `{name}`) */
  readonly path: string
  readonly responseCode: number
  readonly labels: ReadonlyArray<LabelBinding>
  readonly query: ReadonlyArray<QueryBinding>
  readonly headers: ReadonlyArray<HeaderBinding>
  /** the member that is the whole HTTP payload, if any (then `body` is empty) */
  readonly payload: string | undefined
  /** input members sent as top-level members of the JSON body, in model order; none means no body */
  readonly body: ReadonlyArray<string>
  /** the model's input shape as generated */
  readonly modelInput: Schema.Schema.AnyNoContext
  /** the operation's own errors in name order, then the service-wide ones */
  readonly errors: ReadonlyArray<E>
  /** botocore's `readonly`: the call changes nothing, so it may always be resent */
  readonly readonly: boolean
  /** botocore's `idempotent`: sending it twice has the effect of sending it once */
  readonly idempotent: boolean
  /**
   * For a call that is neither: how a caller learns whether AWS acted on a request whose outcome is unknown
   * (the client never resends such a call on its own). From the generator's overrides.
   */
  readonly howToFindOut: string
  readonly pagination: Pagination | undefined
}

/** What the generated table gives for one operation: its binding, its schemas and the AWS errors `E` it declares. */
export interface OperationSpec<Name extends string, I, IE, O, OE, E extends ErrorName> extends OperationInfo<Name, E> {
  /** what the client validates and encodes with (the model's input, or a refinement in overrides.inputs) */
  readonly input: Schema.Schema<I, IE>
  readonly output: Schema.Schema<O, OE>
}

/** One operation, with what is derived from its schemas. */
export interface OperationEntry<Name extends string, I, IE, O, OE, E extends ErrorName>
  extends OperationSpec<Name, I, IE, O, OE, E>
{
  /** `output` without the model's constraint traits: what answers are decoded with. */
  readonly lenientOutput: Schema.Schema<O, OE>
  /** Client error correction of an answer's JSON, before `lenientOutput` decodes it. */
  readonly correctOutput: Corrector
  /** `input` without the constraints of service-issued tokens: what inputs are validated with. */
  readonly wireInput: Schema.Schema<I, IE>
  /**
   * `wireInput`'s encoder, compiled once per operation: every violation, unknown members are errors (as
   * `Operations.validationOptions`). Synchronous: the input schemas have no asynchronous parts.
   */
  readonly encodeWireInput: (input: I) => Either.Either<IE, ParseResult.ParseError>
  /** `lenientOutput`'s decoder, compiled once per operation: every violation, excess members ignored. */
  readonly decodeLenientOutput: (json: unknown) => Either.Either<O, ParseResult.ParseError>
}

/** Any operation, its schemas untyped: for code that treats every operation alike (tests, tables, servers). */
export interface AnyOperationEntry extends OperationInfo<string, ErrorName> {
  readonly input: Schema.Schema.AnyNoContext
  readonly output: Schema.Schema.AnyNoContext
  readonly lenientOutput: Schema.Schema.AnyNoContext
  readonly correctOutput: Corrector
  readonly wireInput: Schema.Schema.AnyNoContext
}

// The options of `Operations.validationOptions` (inputs) and of the restJson1 decoder (outputs).
const inputOptions = { errors: "all", onExcessProperty: "error" } as const
const outputOptions = { errors: "all", onExcessProperty: "ignore" } as const

/**
 * One operation of the table. The derived schemas are built on first use: no AST work at import (cold start),
 * one schema (and so one cached parser) per operation.
 */
export const entry = <const Name extends string, I, IE, O, OE, const E extends ErrorName>(
  spec: OperationSpec<Name, I, IE, O, OE, E>
): OperationEntry<Name, I, IE, O, OE, E> => {
  let lenient: Schema.Schema<O, OE> | undefined
  let correct: Corrector | undefined
  let wire: Schema.Schema<I, IE> | undefined
  let encode: ((input: I) => Either.Either<IE, ParseResult.ParseError>) | undefined
  let decode: ((json: unknown) => Either.Either<O, ParseResult.ParseError>) | undefined
  const lenientOutput = () => lenient ??= Schema.make<O, OE, never>(withoutModelConstraints(spec.output.ast))
  const wireInput = () => wire ??= Schema.make<I, IE, never>(withoutServiceTokenConstraints(spec.input.ast))
  return {
    ...spec,
    get lenientOutput() {
      return lenientOutput()
    },
    get correctOutput() {
      return correct ??= corrector(spec.output.ast)
    },
    get wireInput() {
      return wireInput()
    },
    get encodeWireInput() {
      return encode ??= Schema.encodeEither(wireInput(), inputOptions)
    },
    get decodeLenientOutput() {
      return decode ??= Schema.decodeUnknownEither(lenientOutput(), outputOptions)
    }
  }
}
