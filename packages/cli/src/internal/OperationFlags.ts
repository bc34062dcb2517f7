/**
 * Typed flags for an operation's input members, derived from its schema (`Members`): text, integers,
 * `--x`/`--no-x` booleans, enums as choices, blobs from `fileb://PATH` (bytes), `file://PATH` (text) or the
 * text itself, timestamps, and lists, structures and maps as JSON or the AWS CLI's shorthand
 * (`key=K,value=V`; a list flag repeats). Each flag's value becomes the member's wire form, laid over
 * `--cli-input-json` by `Input.overlay`; the operation's schema validates the result.
 */
import { Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { Effect, Encoding, Option, ParseResult, Schema } from "effect"
import { InputError } from "./CliError.js"
import type { CliEnvironment } from "./Environment.js"
import * as Input from "./Input.js"
import * as Members from "./Members.js"

/** What the command line gave for one member, before it is read. */
export type Given =
  | { readonly _tag: "Absent" }
  | { readonly _tag: "Texts"; readonly values: ReadonlyArray<string> }
  | { readonly _tag: "Integer"; readonly value: number }
  | { readonly _tag: "Boolean"; readonly value: boolean }

/** The parsed flags of an operation, by member name. */
export type Parsed = Readonly<Record<string, Given>>

const absent: Given = { _tag: "Absent" }

const forms = (kind: Members.Kind): string => {
  switch (kind._tag) {
    case "Blob":
      return "fileb://PATH (the file's bytes), file://PATH (its text), or the text itself"
    case "Timestamp":
      return "ISO 8601 (2025-01-31T12:00:00Z) or epoch seconds"
    case "List":
      return Members.isScalar(kind.item)
        ? "V1,V2 (the flag repeats), or a JSON list"
        : kind.item._tag === "Structure"
        ? `${shorthandOf(kind.item.members)} (repeat the flag for more items), or a JSON list`
        : "a JSON list"
    case "Structure":
      return `${shorthandOf(kind.members)}, or JSON`
    case "Map":
      return "K=V[,K=V...], or a JSON object"
    case "Json":
      return "JSON"
    default:
      return ""
  }
}

const shorthandOf = (members: ReadonlyArray<Members.Member>): string => {
  const scalars = members.filter((m) => Members.isScalar(m.kind)).map((m) => `${m.name}=${placeholder(m.kind)}`)
  return scalars.length === 0 ? "JSON" : scalars.join(",")
}

const placeholder = (kind: Members.Kind): string =>
  kind._tag === "Integer" ? "N" : kind._tag === "Boolean" ? "true|false" : "V"

/** The help text of a member's flag. */
const describe = (member: Members.Member): string => {
  const how = forms(member.kind)
  return `Member ${member.name}${member.required ? " (required)" : ""}: ${Members.describeKind(member.kind)}` +
    `${how === "" ? "" : `; ${how}`}${member.secret ? "; secret, never printed" : ""}` +
    `${member.kind._tag === "String" ? "; file://PATH reads it from a file" : ""}.`
}

/** The flag of one member. */
export const option = (member: Members.Member): Options.Options<Given> => {
  const description = describe(member)
  const { flag, kind } = member
  switch (kind._tag) {
    case "Boolean":
      // Both absent leaves the member out; --x sends true, --no-x false.
      return Options.all({
        yes: Options.boolean(flag).pipe(Options.withDescription(description)),
        no: Options.boolean(`no-${flag}`).pipe(Options.withDescription(`Sends ${member.name} as false.`))
      }).pipe(
        Options.map(({ no, yes }): Given => (yes || no ? { _tag: "Boolean", value: yes } : absent))
      )
    case "Integer":
      return Options.integer(flag).pipe(
        Options.withPseudoName("N"),
        Options.withDescription(description),
        Options.optional,
        Options.map(Option.match({ onNone: () => absent, onSome: (value): Given => ({ _tag: "Integer", value }) }))
      )
    case "Enum":
      return Options.choice(flag, kind.values).pipe(
        Options.withDescription(description),
        Options.optional,
        Options.map(
          Option.match({ onNone: () => absent, onSome: (value): Given => ({ _tag: "Texts", values: [value] }) })
        )
      )
    case "List":
      return Options.text(flag).pipe(
        Options.withPseudoName(Members.isScalar(kind.item) ? "V" : "ITEM"),
        Options.withDescription(description),
        Options.repeated,
        Options.withDefault<ReadonlyArray<string>>([]),
        Options.map((values): Given => (values.length === 0 ? absent : { _tag: "Texts", values }))
      )
    default:
      return Options.text(flag).pipe(
        Options.withPseudoName(kind._tag === "Blob" ? "fileb://PATH" : kind._tag === "String" ? "TEXT" : "VALUE"),
        Options.withDescription(description),
        Options.optional,
        Options.map(
          Option.match({ onNone: () => absent, onSome: (value): Given => ({ _tag: "Texts", values: [value] }) })
        )
      )
  }
}

/** The flags of every member, by member name. */
export const options = (members: ReadonlyArray<Members.Member>): Options.Options<Parsed> =>
  Options.all(Object.fromEntries(members.map((member) => [member.name, option(member)])))

// =============================================================================
// Values → wire form
// =============================================================================

type Env = FileSystem.FileSystem | CliEnvironment

const JsonText = Schema.parseJson()

const looksLikeJson = (text: string) => /^\s*[[{"]/.test(text)

/** A JSON value; an error names the position only (the text may hold a secret). */
const parseJson = (flag: string, text: string): Effect.Effect<unknown, InputError> =>
  Schema.decodeUnknown(JsonText)(text).pipe(
    Effect.mapError((error) => {
      const position = ParseResult.TreeFormatter.formatErrorSync(error).match(/position (\d+)/)?.[1]
      return new InputError({
        detail: `${flag}: not valid JSON${position === undefined ? "" : ` (at position ${position})`}`
      })
    })
  )

/** `file://PATH` → the file's text; anything else as given. */
const readText = (flag: string, value: string): Effect.Effect<string, InputError, Env> =>
  value.startsWith("fileb://")
    ? Effect.fail(new InputError({ detail: `${flag}: fileb:// is for binary members; use file://PATH for text` }))
    : value.startsWith("file://")
    ? Input.readFile(flag, value.slice("file://".length))
    : Effect.succeed(value)

/** A blob's bytes: `fileb://PATH` the file's bytes, `file://PATH` its text, anything else the text itself. */
export const readBlob = (flag: string, value: string): Effect.Effect<Uint8Array, InputError, Env> => {
  if (value.startsWith("fileb://")) {
    const path = value.slice("fileb://".length)
    return Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(path)).pipe(
      Effect.mapError((error) => new InputError({ detail: `${flag}: cannot read ${path}: ${error.message}` }))
    )
  }
  return Effect.map(readText(flag, value), (text) => new TextEncoder().encode(text))
}

/** A scalar from text, in wire form (the schema checks it; only the JSON type is chosen here). */
const scalar = (flag: string, kind: Members.Kind, text: string): Effect.Effect<unknown, InputError> => {
  switch (kind._tag) {
    case "Integer": {
      const n = Number(text.trim())
      return text.trim() !== "" && Number.isInteger(n)
        ? Effect.succeed(n)
        : Effect.fail(new InputError({ detail: `${flag}: expected an integer, got "${text}"` }))
    }
    case "Boolean": {
      const lower = text.trim().toLowerCase()
      return lower === "true" || lower === "false"
        ? Effect.succeed(lower === "true")
        : Effect.fail(new InputError({ detail: `${flag}: expected true or false, got "${text}"` }))
    }
    case "Timestamp": {
      const trimmed = text.trim()
      const seconds = /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed) / 1000
      return Number.isFinite(seconds)
        ? Effect.succeed(seconds)
        : Effect.fail(new InputError({ detail: `${flag}: expected ISO 8601 or epoch seconds, got "${text}"` }))
    }
    case "Blob":
      return Effect.succeed(Encoding.encodeBase64(new TextEncoder().encode(text)))
    default:
      return Effect.succeed(text)
  }
}

/** `a=1,b=x,y`: pairs split at commas that start a new `name=`, so values may hold commas. */
export const splitPairs = (text: string): ReadonlyArray<readonly [string, string]> | undefined => {
  const pairs: Array<readonly [string, string]> = []
  for (const part of text.split(/,(?=\s*[A-Za-z0-9_.:/-]+=)/)) {
    const eq = part.indexOf("=")
    if (eq <= 0) return undefined
    pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()])
  }
  return pairs
}

const findMember = (members: ReadonlyArray<Members.Member>, name: string) =>
  members.find((m) => m.name === name) ??
    members.find((m) => m.name.toLowerCase() === name.toLowerCase() || m.flag === name.toLowerCase())

/** A structure from shorthand (`name=value,...`: scalar members; others as JSON values) or JSON. */
const structure = (
  flag: string,
  members: ReadonlyArray<Members.Member>,
  text: string
): Effect.Effect<unknown, InputError> => {
  if (looksLikeJson(text)) return parseJson(flag, text)
  const pairs = splitPairs(text)
  const names = members.map((m) => m.name).join(", ")
  if (pairs === undefined) {
    return Effect.fail(new InputError({ detail: `${flag}: expected ${shorthandOf(members)} or JSON, got "${text}"` }))
  }
  return Effect.map(
    Effect.forEach(pairs, ([name, value]) => {
      const member = findMember(members, name)
      if (member === undefined) {
        return Effect.fail(new InputError({ detail: `${flag}: unknown member "${name}" (expected ${names})` }))
      }
      const read = Members.isScalar(member.kind)
        ? scalar(`${flag} ${member.name}`, member.kind, value)
        : parseJson(flag, value)
      return Effect.map(read, (wire) => [member.name, wire] as const)
    }),
    (entries) => Object.fromEntries(entries)
  )
}

/** A list of `{ key, value }` (tags): its shorthand also takes `K=V[,K=V]`, one item per pair. */
const isKeyValue = (members: ReadonlyArray<Members.Member>) =>
  members.length === 2 && members.some((m) => m.name === "key") && members.some((m) => m.name === "value")

const listItems = (
  flag: string,
  item: Members.Kind,
  text: string
): Effect.Effect<ReadonlyArray<unknown>, InputError> => {
  if (looksLikeJson(text) && !(Members.isScalar(item) && text.trim().startsWith("\""))) {
    return Effect.map(parseJson(flag, text), (json) => (Array.isArray(json) ? json : [json]))
  }
  if (Members.isScalar(item)) {
    return Effect.forEach(
      text.split(",").map((v) => v.trim()).filter((v) => v !== ""),
      (v) => scalar(flag, item, v)
    )
  }
  if (item._tag === "Structure") {
    const pairs = splitPairs(text)
    const named = pairs?.some(([name]) => findMember(item.members, name) !== undefined) ?? false
    if (pairs !== undefined && isKeyValue(item.members) && !named) {
      return Effect.succeed(pairs.map(([key, value]) => ({ key, value })))
    }
    return Effect.map(structure(flag, item.members, text), (one) => [one])
  }
  if (item._tag === "Map") return Effect.map(map(flag, item.value, text), (one) => [one])
  return Effect.fail(new InputError({ detail: `${flag}: expected a JSON list` }))
}

const map = (flag: string, value: Members.Kind, text: string): Effect.Effect<unknown, InputError> => {
  if (looksLikeJson(text)) return parseJson(flag, text)
  const pairs = splitPairs(text)
  if (pairs === undefined) return Effect.fail(new InputError({ detail: `${flag}: expected K=V[,K=V...] or JSON` }))
  return Effect.map(
    Effect.forEach(
      pairs,
      ([k, v]) =>
        Effect.map(Members.isScalar(value) ? scalar(flag, value, v) : parseJson(flag, v), (wire) => [k, wire] as const)
    ),
    (entries) => Object.fromEntries(entries)
  )
}

/** One member's wire value from what its flag gave; `None` when the flag was not given. */
export const wireValue = (
  member: Members.Member,
  given: Given
): Effect.Effect<Option.Option<unknown>, InputError, Env> => {
  const flag = `--${member.flag}`
  const { kind } = member
  switch (given._tag) {
    case "Absent":
      return Effect.succeedNone
    case "Integer":
    case "Boolean":
      return Effect.succeedSome(given.value)
    case "Texts": {
      const [first = ""] = given.values
      switch (kind._tag) {
        case "List":
          return Effect.map(
            Effect.forEach(
              given.values,
              (value) => Effect.flatMap(readText(flag, value), (text) => listItems(flag, kind.item, text))
            ),
            (lists) => Option.some(lists.flat())
          )
        case "Blob":
          return Effect.map(readBlob(flag, first), (bytes) => Option.some(Encoding.encodeBase64(bytes)))
        case "Structure":
          return Effect.map(
            Effect.flatMap(readText(flag, first), (text) => structure(flag, kind.members, text)),
            Option.some
          )
        case "Map":
          return Effect.map(Effect.flatMap(readText(flag, first), (text) => map(flag, kind.value, text)), Option.some)
        case "Json":
          return Effect.map(Effect.flatMap(readText(flag, first), (text) => parseJson(flag, text)), Option.some)
        default:
          return Effect.map(Effect.flatMap(readText(flag, first), (text) => scalar(flag, kind, text)), Option.some)
      }
    }
  }
}

/** Every member's wire value from the parsed flags (members whose flag was not given are `None`). */
export const wireMembers = (
  members: ReadonlyArray<Members.Member>,
  parsed: Parsed
): Effect.Effect<ReadonlyArray<readonly [string, Option.Option<unknown>]>, InputError, Env> =>
  Effect.forEach(
    members,
    (member) => Effect.map(wireValue(member, parsed[member.name] ?? absent), (value) => [member.name, value] as const)
  )
