/**
 * Turning the command line into an operation's wire-form input: `--cli-input-json` (JSON text,
 * `file://path` or `-` for stdin), the typed flags laid over it (they win, as in the AWS CLI), the
 * AWS-CLI-like shorthand for tags and event destinations, and `--generate-cli-skeleton`.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as LinkedAccounts from "@social-messaging/domain/LinkedAccounts"
import type { SchemaAST } from "effect"
import { Effect, Option, ParseResult, Predicate, Schema } from "effect"
import { InputError } from "./CliError.js"
import { CliEnvironment } from "./Environment.js"

// =============================================================================
// Documents: text, file://path, or - (stdin)
// =============================================================================

/** Where a value came from: the command line itself, a file, or standard input. */
export type Origin = "argv" | "file" | "stdin"

/** Reads an AWS-CLI style parameter value: `file://path`, `-` (standard input), or the text itself. */
export const readValue = (
  flag: string,
  value: string
): Effect.Effect<
  { readonly text: string; readonly origin: Origin },
  InputError,
  FileSystem.FileSystem | CliEnvironment
> =>
  value === "-"
    ? Effect.map(Effect.flatMap(CliEnvironment, (env) => env.readStdin), (text) => ({ text, origin: "stdin" as const }))
    : value.startsWith("file://")
    ? Effect.map(readFile(flag, value.slice("file://".length)), (text) => ({ text, origin: "file" as const }))
    : Effect.succeed({ text: value, origin: "argv" as const })

/** Reads a file as UTF-8 (a path, or `-` for standard input). */
export const readFile = (
  flag: string,
  path: string
): Effect.Effect<string, InputError, FileSystem.FileSystem | CliEnvironment> =>
  path === "-"
    ? Effect.flatMap(CliEnvironment, (env) => env.readStdin)
    : Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
      Effect.mapError((error) => new InputError({ detail: `${flag}: cannot read ${path}: ${error.message}` }))
    )

const JsonDocument = Schema.parseJson()

/** Parses a JSON object (the shape of every operation's input). */
export const parseJsonObject = (flag: string, text: string): Effect.Effect<Record<string, unknown>, InputError> =>
  Schema.decodeUnknown(JsonDocument)(text).pipe(
    // Only the position: the parser's message quotes the text around it, which may hold a secret.
    Effect.mapError((error) => {
      const position = ParseResult.TreeFormatter.formatErrorSync(error).match(/position (\d+)/)?.[1]
      return new InputError({
        detail: `${flag}: not valid JSON${position === undefined ? "" : ` (at position ${position})`}`
      })
    }),
    Effect.filterOrFail(
      Predicate.isRecord,
      () => new InputError({ detail: `${flag}: expected a JSON object of the operation's input members` })
    )
  )

/** `--cli-input-json`: the document, or `{}` when not given; `origin` tells whether it sat in argv. */
export const readCliInputJson = (
  value: Option.Option<string>
): Effect.Effect<
  { readonly document: Readonly<Record<string, unknown>>; readonly origin: Option.Option<Origin> },
  InputError,
  FileSystem.FileSystem | CliEnvironment
> =>
  Option.match(value, {
    onNone: () => Effect.succeed({ document: {}, origin: Option.none<Origin>() }),
    onSome: (raw) =>
      Effect.flatMap(readValue("--cli-input-json", raw), ({ origin, text }) =>
        Effect.map(
          parseJsonObject("--cli-input-json", text),
          (document) => ({ document, origin: Option.some(origin) })
        ))
  })

/** Lays the members given by flags over the document (top-level members, as the AWS CLI does). */
export const overlay = (
  document: Readonly<Record<string, unknown>>,
  members: ReadonlyArray<readonly [string, Option.Option<unknown>]>
): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...document }
  for (const [name, value] of members) {
    if (Option.isSome(value)) out[name] = value.value
  }
  return out
}

// =============================================================================
// Shorthand
// =============================================================================

const splitPairs = (text: string): ReadonlyArray<readonly [string, string]> | undefined => {
  const pairs: Array<readonly [string, string]> = []
  for (const part of text.split(",")) {
    const eq = part.indexOf("=")
    if (eq <= 0) return undefined
    pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()])
  }
  return pairs
}

const looksLikeJson = (text: string) => /^\s*[[{]/.test(text)

/** A JSON value given inline (`--tags '[{"key":"a"}]'`). */
const inlineJson = (flag: string, text: string): Effect.Effect<unknown, InputError> =>
  Schema.decodeUnknown(JsonDocument)(text).pipe(
    Effect.mapError(() => new InputError({ detail: `${flag}: not valid JSON: ${text.slice(0, 80)}` }))
  )

/**
 * A repeatable list flag: each value a JSON list (or one JSON object), or the flag's own shorthand read by
 * `shorthand`; the items of all values in order.
 */
const listFlag = (
  flag: string,
  values: ReadonlyArray<string>,
  shorthand: (text: string) => Effect.Effect<ReadonlyArray<unknown>, InputError>
): Effect.Effect<ReadonlyArray<unknown>, InputError> =>
  Effect.map(
    Effect.forEach(values, (text) =>
      looksLikeJson(text)
        ? Effect.map(inlineJson(flag, text), (json) => (Array.isArray(json) ? json : [json]))
        : shorthand(text)),
    (lists) => lists.flat()
  )

/** `splitPairs`, or an error saying what was `expected`. */
const pairsOf = (
  flag: string,
  text: string,
  expected: string
): Effect.Effect<ReadonlyArray<readonly [string, string]>, InputError> => {
  const pairs = splitPairs(text)
  return pairs === undefined
    ? Effect.fail(new InputError({ detail: `${flag}: expected ${expected}, got "${text}"` }))
    : Effect.succeed(pairs)
}

/**
 * `name=value` pairs as one object with the given members (names case-insensitive); `what` names a member in
 * the error for any other name.
 */
const memberRecord = (
  flag: string,
  pairs: ReadonlyArray<readonly [string, string]>,
  members: ReadonlyArray<string>,
  what: string
): Effect.Effect<ReadonlyArray<unknown>, InputError> => {
  const record: Record<string, string> = {}
  for (const [name, value] of pairs) {
    const member = members.find((m) => m.toLowerCase() === name.toLowerCase())
    if (member === undefined) {
      return Effect.fail(
        new InputError({ detail: `${flag}: unknown ${what} "${name}" (expected ${members.join(", ")})` })
      )
    }
    record[member] = value
  }
  return Effect.succeed([record])
}

/**
 * `--tags`: each value is `key=K,value=V` (the AWS CLI shorthand, member names case-insensitive),
 * `K=V` (short form; several separated by commas), or a JSON list of `{"key","value"}`.
 */
export const parseTags = (
  flag: string,
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<unknown>, InputError> => {
  const tagsOf = (pairs: ReadonlyArray<readonly [string, string]>) =>
    pairs.some(([name]) => name.toLowerCase() === "key")
      ? memberRecord(flag, pairs, ["key", "value"], "tag member")
      : Effect.succeed(pairs.map(([key, value]) => ({ key, value })))
  return listFlag(flag, values, (text) => Effect.flatMap(pairsOf(flag, text, "key=K,value=V or K=V"), tagsOf))
}

/** `--tag-keys k1,k2` (repeatable), or a JSON list. */
export const parseTagKeys = (
  flag: string,
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<unknown>, InputError> =>
  listFlag(
    flag,
    values,
    (text) => Effect.succeed(text.split(",").map((key) => key.trim()).filter((key) => key !== ""))
  )

/** `--event-destinations eventDestinationArn=ARN,roleArn=ARN` (repeatable), or a JSON list. */
export const parseEventDestinations = (
  flag: string,
  values: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<unknown>, InputError> =>
  // ARNs contain no commas or '=' before their resource part, so the split is safe for them.
  listFlag(flag, values, (text) =>
    Effect.flatMap(
      pairsOf(flag, text, "eventDestinationArn=ARN[,roleArn=ARN]"),
      (pairs) => memberRecord(flag, pairs, ["eventDestinationArn", "roleArn"], "member")
    ))

// =============================================================================
// Data localization regions
// =============================================================================

/** `--data-localization-region`: the region for every number not named, and regions by phone number id. */
export interface Regions {
  readonly all: Option.Option<LinkedAccounts.IsoCountryCode>
  readonly byId: ReadonlyMap<string, LinkedAccounts.IsoCountryCode>
}

/** Whether a text is a country code as the model's `IsoCountryCode` has it: two capital letters. */
export const isCountryCode = Schema.is(LinkedAccounts.IsoCountryCode)

/**
 * `--data-localization-region`: `CC` for every number, `ID=CC` pairs (comma-separated; the flag repeats), or
 * both (the pairs win). A code that is not two capital letters, a pair naming a number not in `ids` (those
 * being registered), or a number given twice is an `InputError` naming the number.
 */
export const parseRegions = (
  flag: string,
  values: ReadonlyArray<string>,
  ids: ReadonlyArray<string>
): Effect.Effect<Regions, InputError> =>
  Effect.gen(function*() {
    let all = Option.none<LinkedAccounts.IsoCountryCode>()
    const byId = new Map<string, LinkedAccounts.IsoCountryCode>()
    const parts = values.flatMap((value) => value.split(",")).map((part) => part.trim()).filter((part) => part !== "")
    for (const part of parts) {
      const eq = part.indexOf("=")
      const id = eq === -1 ? undefined : part.slice(0, eq).trim()
      const code = part.slice(eq + 1).trim()
      if (id === "") return yield* new InputError({ detail: `${flag}: "${part}" names no phone number before "="` })
      if (!isCountryCode(code)) {
        return yield* new InputError({
          detail: `${flag}: "${code}" for ${id ?? "every number"} is not a two-letter country code in capitals ` +
            "(such as DE or IN)"
        })
      }
      if (id === undefined) {
        if (Option.isSome(all)) {
          return yield* new InputError({
            detail: `${flag}: two regions for every number (${all.value}, ${code}); name the numbers with ID=CC`
          })
        }
        all = Option.some(code)
      } else if (!ids.includes(id)) {
        return yield* new InputError({
          detail: `${flag}: ${id} is not one of the phone numbers being registered (${ids.join(", ")})`
        })
      } else if (byId.has(id)) {
        return yield* new InputError({ detail: `${flag}: ${id} is given two regions` })
      } else {
        byId.set(id, code)
      }
    }
    return { all, byId }
  })

// =============================================================================
// --generate-cli-skeleton
// =============================================================================

/** A template of a schema's encoded form: every member present, with an empty value of its type. */
export const skeleton = (schema: Schema.Schema.Any): unknown => skeletonOf(schema.ast)

const skeletonOf = (ast: SchemaAST.AST): unknown => {
  switch (ast._tag) {
    case "TypeLiteral": {
      const out: Record<string, unknown> = {}
      for (const signature of ast.indexSignatures) out["KeyName"] = skeletonOf(signature.type)
      for (const property of ast.propertySignatures) out[String(property.name)] = skeletonOf(property.type)
      return out
    }
    case "StringKeyword":
    case "TemplateLiteral":
      return ""
    case "NumberKeyword":
      return 0
    case "BooleanKeyword":
      return true
    case "Literal":
      return ast.literal
    case "TupleType": {
      const rest = ast.rest[0]
      return rest === undefined ? ast.elements.map((element) => skeletonOf(element.type)) : [skeletonOf(rest.type)]
    }
    case "Union": {
      const member = ast.types.find((type) => type._tag !== "UndefinedKeyword" && type._tag !== "NeverKeyword")
      return member === undefined ? null : skeletonOf(member)
    }
    case "Refinement":
      return skeletonOf(ast.from)
    case "Transformation":
      return skeletonOf(ast.from)
    case "Suspend":
      return skeletonOf(ast.f())
    default:
      return null
  }
}
