/**
 * The project's generator: reads botocore's model of the service (the newest, committed under
 * packages/domain/model/) and its paginators, applies the hand decisions of scripts/overrides.ts, and writes
 * packages/domain/src/generated/{Shapes,Errors,Operations}.ts, the service's methods
 * (packages/http-client/src/generated/Service.ts) and the sandbox's pairing of operations and engine methods
 * (packages/sandbox/src/generated/Dispatch.ts).
 *
 *   npm run generate                                  # write the files
 *   npm run generate -- --check                       # exit 1 if the committed files are stale
 *   npm run generate -- --model FILE --paginators FILE
 *
 * `generate` is pure (model in, file texts out), so the drift test runs it in memory.
 */
import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { load, type Loaded, lowerBound, type Member, modelDir, type Shape, smithyPattern } from "./botocore-model.js"
import { format } from "./format.js"
import { overrides } from "./overrides.js"

// =============================================================================
// Output
// =============================================================================

/** One generated file, its path relative to the repository root. */
export interface GeneratedFile {
  readonly path: string
  readonly text: string
}

export const OUTPUT_DIR = "packages/domain/src/generated"
const WIDTH = 120

const fail = (message: string): never => {
  throw new Error(`generate: ${message}`)
}

// =============================================================================
// Text helpers (the output follows the project's dprint style: 2 spaces, width 120, no semicolons)
// =============================================================================

const indent = (text: string, by = "  "): string =>
  text.split("\n").map((line) => line === "" ? line : by + line).join("\n")

/** `callee(a, b)` on one line when it fits after `used` columns, else one argument per line. */
const call = (used: number, callee: string, args: ReadonlyArray<string>, suffix = ""): string => {
  const single = `${callee}(${args.join(", ")})${suffix}`
  if (args.length === 0 || (!single.includes("\n") && used + single.length <= WIDTH)) return single
  return `${callee}(\n${args.map((a) => indent(a)).join(",\n")}\n)${suffix}`
}

const str = (s: string): string => JSON.stringify(s)

/**
 * A string literal that keeps to the line width: split at spaces into `"…" +` lines (indented by two more
 * than `indentation`) when `used` characters already stand before it on its line.
 */
const strWrapped = (s: string, used: number, indentation: number): string => {
  if (used + str(s).length <= WIDTH) return str(s)
  const words = s.split(/(?<= )/)
  const lines: Array<string> = []
  let line = ""
  const limit = (first: boolean) => (first ? WIDTH - used : WIDTH - indentation - 2) - 4
  for (const word of words) {
    if (line !== "" && str(line + word).length > limit(lines.length === 0)) {
      lines.push(line)
      line = ""
    }
    line += word
  }
  lines.push(line)
  return lines.map(str).join(` +\n${" ".repeat(indentation + 2)}`)
}

const isIdentifier = (s: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)
const key = (s: string): string => isIdentifier(s) ? s : str(s)

const entities: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'", nbsp: " " }

/** The first sentence of botocore's HTML documentation, as plain text. */
const firstSentence = (html: string | undefined): string | undefined => {
  if (html === undefined) return undefined
  const text = html
    .replace(/<[^>]*>/g, " ")
    .replace(
      /&(#\d+|[a-z]+);/g,
      (m, e: string) => e.startsWith("#") ? String.fromCharCode(Number(e.slice(1))) : entities[e] ?? m
    )
    .replace(/\s+/g, " ")
    .trim()
  if (text === "") return undefined
  const end = text.search(/[.!?](\s|$)/)
  return (end < 0 ? text : text.slice(0, end + 1)).replace(/\*\//g, "*\\/")
}

/** Words wrapped into lines of at most `width` columns. */
const wrap = (text: string, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  if (line !== "") lines.push(line)
  return lines
}

/** A `//` comment wrapped to the width after `used` columns. */
const lineComment = (text: string, used = 0): string => wrap(text, WIDTH - used - 3).map((l) => `// ${l}`).join("\n")

/** A JSDoc comment, on one line when it fits, else wrapped. */
const jsdoc = (text: string, used = 0): string => {
  if (used + text.length + 7 <= WIDTH) return `/** ${text} */`
  return `/**\n${wrap(text, WIDTH - used - 3).map((l) => ` * ${l}`).join("\n")}\n */`
}

// =============================================================================
// The model, analysed
// =============================================================================

type Usage = "input" | "output" | "error"

interface Analysis {
  readonly loaded: Loaded
  readonly shapes: Readonly<Record<string, Shape>>
  readonly usage: ReadonlyMap<string, ReadonlySet<Usage>>
  readonly openEnums: ReadonlySet<string>
  /** shapes reached from outputs that contain an open enum (so their output form differs) */
  readonly lenient: ReadonlySet<string>
  /** string shapes that are the keys of maps */
  readonly mapKeys: ReadonlySet<string>
}

const targets = (shape: Shape): ReadonlyArray<string> => [
  ...(shape.member === undefined ? [] : [shape.member.shape]),
  ...(shape.key === undefined ? [] : [shape.key.shape]),
  ...(shape.value === undefined ? [] : [shape.value.shape]),
  ...Object.values(shape.members ?? {}).map((m) => m.shape)
]

const analyse = (loaded: Loaded): Analysis => {
  const { shapes } = loaded.model
  const shapeOf = (name: string): Shape => shapes[name] ?? fail(`no shape ${name}`)
  const usage = new Map<string, Set<Usage>>()
  const walk = (name: string, use: Usage, path: ReadonlyArray<string>): void => {
    if (path.includes(name)) fail(`recursive shapes not handled: ${[...path, name].join(" → ")}`)
    const uses = usage.get(name) ?? new Set<Usage>()
    usage.set(name, uses)
    uses.add(use)
    for (const target of targets(shapeOf(name))) walk(target, use, [...path, name])
  }
  for (const op of Object.values(loaded.model.operations)) {
    walk(op.input.shape, "input", [])
    walk(op.output.shape, "output", [])
    for (const e of op.errors) walk(e.shape, "error", [])
  }
  for (const name of Object.keys(shapes)) if (!usage.has(name)) fail(`shape ${name} is used by no operation`)

  for (const name of overrides.closedOnOutput) {
    if (shapeOf(name).enum === undefined) fail(`closedOnOutput: ${name} is not an enum`)
  }
  const openEnums = new Set(
    Object.keys(shapes).filter((name) =>
      shapes[name]?.enum !== undefined && usage.get(name)?.has("output") === true &&
      !overrides.closedOnOutput.includes(name)
    )
  )
  const containsOpen = (name: string): boolean => openEnums.has(name) || targets(shapeOf(name)).some(containsOpen)
  const lenient = new Set(
    Object.keys(shapes).filter((name) => usage.get(name)?.has("output") === true && containsOpen(name))
  )
  const mapKeys = new Set(
    Object.values(shapes).flatMap((shape) => shape.type === "map" && shape.key !== undefined ? [shape.key.shape] : [])
  )
  return { loaded, shapes, usage, openEnums, lenient, mapKeys }
}

// =============================================================================
// Shapes.ts
// =============================================================================

/** One exported declaration: its name, code and the declarations it refers to. */
interface Declaration {
  readonly name: string
  readonly code: string
  readonly deps: ReadonlyArray<string>
}

/** The export an input-side (or error-side) reference to `name` uses. */
const inputRef = (name: string): string => name
/** The export an output-side reference to `name` uses: its open form where it has one. */
const outputRef = (a: Analysis, name: string): string =>
  a.lenient.has(name) && (a.openEnums.has(name) || a.usage.get(name)?.has("input") === true) ? `${name}Output` : name

const shapeKind = (shape: Shape): string => shape.enum !== undefined ? "enum" : shape.type

const constraintSummary = (name: string, shape: Shape): string => {
  const parts: Array<string> = []
  const min = shape.type === "integer" || shape.type === "long" ? shape.min : lowerBound(shape.min)
  if (min !== undefined || shape.max !== undefined) {
    const unit = shape.type === "string"
      ? " code points"
      : shape.type === "list"
      ? " items"
      : shape.type === "map"
      ? " entries"
      : shape.type === "blob"
      ? " bytes"
      : ""
    parts.push(min === undefined ? `at most ${shape.max}${unit}` : `${min}..${shape.max ?? "∞"}${unit}`)
  }
  if (shape.sensitive === true || overrides.extraSecrets.includes(name)) parts.push("sensitive")
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`
}

const shapeDoc = (name: string, shape: Shape, suffix = ""): string => {
  const sentence = firstSentence(shape.documentation)
  const head = `Model ${shapeKind(shape)} \`${name}\`${constraintSummary(name, shape)}${suffix}`
  return jsdoc(sentence === undefined ? `${head}.` : `${head}: ${sentence}`)
}

/** Breaks a trailing `.annotations({ … })` over lines when the statement's last line is too long. */
const fitLastLine = (statement: string): string => {
  const lines = statement.split("\n")
  const last = lines[lines.length - 1] ?? ""
  const match = /^(.*)\.annotations\(\{ (.*) \}\)$/.exec(last)
  if (last.length <= WIDTH || match === null) return statement
  return [...lines.slice(0, -1), `${match[1]}.annotations({`, `  ${match[2]}`, "})"].join("\n")
}

/**
 * A shape's declaration. Its Schema is built inside a function called at once and marked pure, so that a bundler
 * drops every shape a program never reaches (with the packages' `"sideEffects": []`): a program calling one
 * operation carries that operation's schemas, not the model's (a plain `Schema.Struct(...)` call could have side
 * effects for all a bundler knows). esbuild's output is what the tests check.
 */
const exportConst = (name: string, doc: string, expression: (used: number) => string): string => {
  const head = `export const ${name} = /* @__PURE__ */ (() =>\n  `
  const alias = `export type ${name} = typeof ${name}.Type`
  const type = alias.length <= WIDTH ? alias : `export type ${name} =\n  typeof ${name}.Type`
  const body = indent(fitLastLine(expression(2)))
  return `${doc}\n${head}${body.trimStart()}\n)()\n${type}`
}

const identifierSuffix = (name: string): string => `.annotations({ identifier: ${str(name)} })`

const stringDeclaration = (name: string, shape: Shape, mapKey = false): Declaration => {
  if (shape.enum !== undefined) {
    const values = `${name}Values`
    const list = `[${shape.enum.map(str).join(", ")}] as const`
    const valuesCode = `export const ${values} = ${list}`.length <= WIDTH
      ? `export const ${values} = ${list}`
      : `export const ${values} = [\n${shape.enum.map((v) => `  ${str(v)}`).join(",\n")}\n] as const`
    return {
      name,
      deps: [],
      code: `/** The values of model enum \`${name}\`. */\n${valuesCode}\n` +
        exportConst(
          name,
          shapeDoc(name, shape, ", closed: what inputs must be"),
          (used) => call(used, "Schema.Literal", [`...${values}`], identifierSuffix(name))
        )
    }
  }
  const serviceIssued = overrides.serviceIssued.includes(name)
  const secret = shape.sensitive === true || overrides.extraSecrets.includes(name)
  const brand = overrides.brands.includes(name)
  const arbitrary = overrides.arbitraries[name]
  if (secret && (brand || arbitrary !== undefined)) fail(`${name}: a secret with a brand or arbitrary is not handled`)
  const steps: Array<string> = []
  const min = lowerBound(shape.min)
  if (min !== undefined || shape.max !== undefined) {
    // A service-issued token keeps its length as a model fact, marked so the client does not enforce it on input.
    steps.push(
      `length(${min ?? "undefined"}, ${shape.max ?? "undefined"}${serviceIssued ? ", { serviceToken: true }" : ""})`
    )
  }
  if (serviceIssued && shape.pattern !== undefined) fail(`${name}: a pattern on a service-issued token is not handled`)
  if (shape.pattern !== undefined) steps.push(`pattern(${str(smithyPattern(shape.pattern))})`)
  // A map key drawn as `__proto__` cannot survive a plain object (in Schema's decoding as anywhere), so test values
  // never use it.
  const base = secret
    ? "SecretString"
    : mapKey && arbitrary === undefined
    ? "MapKeyString"
    : "Schema.String"
  const note = serviceIssued
    ? `; service-issued: inputs send it back exactly as received, so its length is not enforced on input`
    : ""
  const expression = (used: number): string => {
    if (secret) {
      const inner = steps.length === 0 ? base : call(used + 7, `${base}.pipe`, steps)
      return call(used, "secret", [inner], identifierSuffix(name))
    }
    if (arbitrary !== undefined) {
      const constrained = steps.length === 0 ? base : `${base}.pipe(${steps.join(", ")})`
      const annotated = `${constrained}.annotations({\n  arbitrary: () => (fc) => fc.stringMatching(new RegExp(${
        str(arbitrary)
      }))\n})`
      return brand
        ? `${annotated}.pipe(Schema.brand(${str(name)}))${identifierSuffix(name)}`
        : `${annotated}${identifierSuffix(name)}`
    }
    const all = brand ? [...steps, `Schema.brand(${str(name)})`] : steps
    return all.length === 0
      ? `${base}${identifierSuffix(name)}`
      : call(used, `${base}.pipe`, all, identifierSuffix(name))
  }
  return { name, deps: [], code: exportConst(name, shapeDoc(name, shape, note), expression) }
}

const memberDoc = (member: Member, name: string): string | undefined => {
  const sentence = firstSentence(member.documentation)
  const binding = member.location === "querystring"
    ? `Sent as the query parameter \`${member.locationName ?? name}\`.`
    : member.location !== undefined
    ? `Bound to ${member.location} \`${member.locationName ?? name}\`.`
    : undefined
  const text = [sentence, binding].filter((t) => t !== undefined).join(" ")
  return text === "" ? undefined : text
}

/** A structure's `Schema.Struct` (wrapped in `redacted` when the shape is sensitive) and its references. */
const structureExpression = (
  name: string,
  shape: Shape,
  ref: (target: string) => string,
  identifier: string
): { readonly code: string; readonly deps: ReadonlyArray<string> } => {
  const members = Object.entries(shape.members ?? {})
  const required = new Set(shape.required ?? [])
  for (const r of required) if (shape.members?.[r] === undefined) fail(`${name}: required ${r} is not a member`)
  const fields = members.map(([memberName, member]) => {
    const doc = memberDoc(member, memberName)
    const value = required.has(memberName) ? ref(member.shape) : `optional(${ref(member.shape)})`
    return `${doc === undefined ? "" : `${jsdoc(doc, 4)}\n`}${key(memberName)}: ${value}`
  })
  const struct = fields.length === 0 ? "Schema.Struct({})" : `Schema.Struct({\n${indent(fields.join(",\n"))}\n})`
  return {
    deps: members.map(([, m]) => ref(m.shape)),
    code: `${shape.sensitive === true ? `redacted(${struct})` : struct}${identifierSuffix(identifier)}`
  }
}

/** The declaration of shape `name` as `exportName`, with its references resolved by `ref`. */
const shapeDeclaration = (
  a: Analysis,
  name: string,
  exportName: string,
  ref: (target: string) => string,
  docSuffix: string
): Declaration => {
  const shape = a.shapes[name] ?? fail(`no shape ${name}`)
  const doc = shapeDoc(name, shape, docSuffix)
  const simple = (expression: string): Declaration => ({
    name: exportName,
    deps: [],
    code: exportConst(exportName, doc, () => expression)
  })
  const range = (): ReadonlyArray<string> =>
    shape.min !== undefined || shape.max !== undefined
      ? [`range(${shape.min ?? "undefined"}, ${shape.max ?? "undefined"})`]
      : []
  const sized = (fn: string): ReadonlyArray<string> => {
    const min = lowerBound(shape.min)
    return min !== undefined || shape.max !== undefined
      ? [`${fn}(${min ?? "undefined"}, ${shape.max ?? "undefined"})`]
      : []
  }
  /** `base.pipe(steps)` + suffix, the pipe broken over lines when the one-liner would not fit. */
  const fitted = (used: number, base: string, steps: ReadonlyArray<string>, suffix: string): string => {
    const single = `${piped(base, steps)}${suffix}`
    if (steps.length === 0 || base.includes("\n") || used + single.length <= WIDTH) return single
    return call(used, `${base}.pipe`, steps, suffix)
  }
  const piped = (base: string, steps: ReadonlyArray<string>): string =>
    steps.length === 0 ? base : `${base}.pipe(${steps.join(", ")})`
  switch (shape.type) {
    case "string":
      return stringDeclaration(name, shape, a.mapKeys.has(name))
    case "boolean":
      return simple(`Schema.Boolean${identifierSuffix(name)}`)
    case "integer":
    case "long":
      // botocore `long` is a JSON integer too; a JS number holds it exactly up to 2^53.
      return simple(`${piped("Schema.Int", range())}${identifierSuffix(name)}`)
    case "float":
    case "double":
      return simple(`${piped("Schema.Number", range())}${identifierSuffix(name)}`)
    case "timestamp":
      if (shape.timestampFormat !== undefined) fail(`${name}: timestampFormat ${shape.timestampFormat} not handled`)
      return simple(`EpochSeconds${identifierSuffix(name)}`)
    case "blob": {
      const bytes = piped("Blob", sized("bytes"))
      return simple(`${shape.sensitive === true ? `redacted(${bytes})` : bytes}${identifierSuffix(name)}`)
    }
    case "list": {
      const member = ref(shape.member?.shape ?? fail(`${name}: list without member`))
      return {
        name: exportName,
        deps: [member],
        code: exportConst(
          exportName,
          doc,
          (used) => fitted(used, `Schema.Array(${member})`, sized("items"), identifierSuffix(exportName))
        )
      }
    }
    case "map": {
      const k = ref(shape.key?.shape ?? fail(`${name}: map without key`))
      const v = ref(shape.value?.shape ?? fail(`${name}: map without value`))
      return {
        name: exportName,
        deps: [k, v],
        code: exportConst(
          exportName,
          doc,
          (used) => {
            const record = `Schema.Record({ key: ${k}, value: ${v} })`
            const base = used + record.length + 40 <= WIDTH
              ? record
              : `Schema.Record({\n  key: ${k},\n  value: ${v}\n})`
            return fitted(used, base, sized("entries"), identifierSuffix(exportName))
          }
        )
      }
    }
    case "structure": {
      const { code, deps } = structureExpression(name, shape, ref, exportName)
      return { name: exportName, deps, code: exportConst(exportName, doc, () => code) }
    }
  }
}

const openEnumDeclaration = (name: string): Declaration => {
  const exportName = `${name}Output`
  const doc = jsdoc(
    `Model enum \`${name}\` as read from AWS: a value AWS adds later decodes as \`Unknown${name}\` (a branded ` +
      `string) instead of failing the whole answer.`
  )
  return {
    name: exportName,
    deps: [name],
    code: exportConst(exportName, doc, (used) =>
      call(
        used,
        "Schema.Union",
        [name, `Schema.String.pipe(Schema.brand(${str(`Unknown${name}`)}))`],
        identifierSuffix(exportName)
      ))
  }
}

const declarations = (a: Analysis): ReadonlyArray<Declaration> => {
  const out: Array<Declaration> = []
  for (const name of Object.keys(a.shapes).sort()) {
    const uses = a.usage.get(name) ?? new Set<Usage>()
    const outputOnly = uses.has("output") && !uses.has("input")
    // An output-only shape is built from the open forms directly; one used both ways gets an `…Output` twin.
    out.push(shapeDeclaration(a, name, name, outputOnly ? (t) => outputRef(a, t) : inputRef, ""))
    if (a.openEnums.has(name)) out.push(openEnumDeclaration(name))
    else if (a.lenient.has(name) && uses.has("input")) {
      out.push(
        shapeDeclaration(a, name, `${name}Output`, (t) => outputRef(a, t), ", as read from AWS (its enums open)")
      )
    }
  }
  const names = new Set(out.map((d) => d.name))
  for (const d of out) {
    if (d.name !== d.name.trim() || !isIdentifier(d.name)) fail(`bad export name ${d.name}`)
    for (const dep of d.deps) if (!names.has(dep)) fail(`${d.name} refers to unknown ${dep}`)
  }
  if (names.size !== out.length) fail("two declarations share a name")
  for (const name of Object.keys(a.shapes)) {
    if (a.shapes[`${name}Values`] !== undefined && a.shapes[name]?.enum !== undefined) {
      fail(`${name}Values is a model shape too`)
    }
  }
  return out
}

/** Dependencies first (the order of a `const` file), ties in name order: stable across runs. */
const topological = (decls: ReadonlyArray<Declaration>): ReadonlyArray<Declaration> => {
  const byName = new Map(decls.map((d) => [d.name, d]))
  const done = new Set<string>()
  const sorted: Array<Declaration> = []
  const visit = (d: Declaration, path: ReadonlyArray<string>): void => {
    if (done.has(d.name)) return
    if (path.includes(d.name)) fail(`cycle: ${[...path, d.name].join(" → ")}`)
    for (const dep of [...d.deps].sort()) visit(byName.get(dep) ?? fail(dep), [...path, d.name])
    done.add(d.name)
    sorted.push(d)
  }
  for (const d of decls) visit(d, [])
  return sorted
}

const HELPERS = [
  "length",
  "pattern",
  "items",
  "optional",
  "secret",
  "SecretString",
  "MapKeyString",
  "range",
  "entries",
  "bytes"
]

const header = (loaded: Loaded, also: string = ""): string =>
  `// Generated by packages/domain/scripts/generate.ts from ${loaded.modelFile}${also}. Do not edit.\n` +
  `// Model sha256 ${loaded.modelSha256}.\n` +
  "// Hand decisions live in packages/domain/scripts/overrides.ts; regenerate with `npm run generate`."

const shapesFile = (a: Analysis): string => {
  const decls = topological(declarations(a))
  for (const helper of [...HELPERS, "Blob", "EpochSeconds", "redacted", "Schema"]) {
    if (decls.some((d) => d.name === helper)) fail(`a model shape is named like the helper ${helper}`)
  }
  const used = (id: string) => decls.some((d) => new RegExp(`\\b${id}\\(`).test(d.code) || d.code.includes(`${id}.`))
  const constraintImports = ["items", "length", "optional", "pattern", "secret", "SecretString"].filter((h) =>
    h === "SecretString" ? decls.some((d) => d.code.includes("SecretString")) : used(h)
  )
  const shapeImports = ["Blob", "bytes", "entries", "EpochSeconds", "MapKeyString", "range", "redacted"].filter((h) =>
    decls.some((d) => new RegExp(`\\b${h}\\b`).test(d.code))
  )
  return [
    header(a.loaded),
    "",
    "/**",
    ` * Every shape of the model as a Schema (${
      Object.keys(a.shapes).length
    } shapes), named as the model names it, with`,
    " * its constraint traits (lengths in code points, patterns, ranges, list and map sizes), enums closed on input",
    " * and open on output (`…Output`), timestamps as `DateTime.Utc`, blobs as bytes (base64 on the wire) and",
    " * `sensitive` values `Redacted`.",
    " */",
    "import * as Schema from \"effect/Schema\"",
    `import { ${constraintImports.join(", ")} } from "../internal/constraints.js"`,
    `import { ${shapeImports.join(", ")} } from "../internal/shapes.js"`,
    "",
    decls.map((d) => d.code).join("\n\n"),
    "",
    secretMemberNamesDeclaration(a),
    ""
  ].join("\n")
}

/**
 * The names of members whose value is secret wherever they occur (their shape is `sensitive`, or a secret by
 * override), less the names that are plain members elsewhere: what scrubbing text by name needs, as data, so that
 * it does not pull every shape into a program (`Redaction.secretMembers`; a test checks it against the schemas).
 */
const secretMemberNamesDeclaration = (a: Analysis): string => {
  const secret = new Set<string>()
  const plain = new Set<string>()
  for (const shape of Object.values(a.shapes)) {
    for (const [memberName, member] of Object.entries(shape.members ?? {})) {
      const target = a.shapes[member.shape] ?? fail(`no shape ${member.shape}`)
      const isSecret = target.sensitive === true || overrides.extraSecrets.includes(member.shape)
      ;(isSecret ? secret : plain).add(memberName)
    }
  }
  const names = [...secret].filter((name) => !plain.has(name)).sort()
  return [
    "/**",
    " * The member names that hold a secret wherever they occur in the model (their shape is `sensitive`, or a",
    " * secret by override: Meta's access token), less the names that are plain members elsewhere.",
    " */",
    `export const secretMemberNames: ReadonlyArray<string> = [${names.map(str).join(", ")}]`
  ].join("\n")
}

// =============================================================================
// Errors.ts
// =============================================================================

const errorNamesOf = (a: Analysis): ReadonlyArray<string> =>
  Object.keys(a.shapes).filter((name) => a.shapes[name]?.exception === true).sort()

const errorsFile = (a: Analysis): string => {
  const names = errorNamesOf(a)
  for (const list of [overrides.serviceErrors, overrides.neverRetried, overrides.throttling]) {
    for (const name of list) if (!names.includes(name)) fail(`overrides name ${name}, not an error of the model`)
  }
  const entries = names.map((name) => {
    const shape = a.shapes[name] ?? fail(name)
    const error = shape.error ?? fail(`${name}: no error trait`)
    const fault = shape.fault === true ? "server" : error.senderFault === true ? "client" : fail(`${name}: no fault`)
    if (Object.keys(shape.members ?? {}).join() !== "message") fail(`${name}: members other than message`)
    const retryable = shape.retryable !== undefined && !overrides.neverRetried.includes(name)
    const throttling = shape.retryable?.throttling === true ||
      overrides.throttling.includes(name)
    const doc = firstSentence(shape.documentation) ?? name
    return `${
      jsdoc(`${doc} HTTP ${error.httpStatusCode}, ${fault} fault.`, 2)
    }\n${name}: { httpStatus: ${error.httpStatusCode}, fault: ${
      str(fault)
    }, retryable: ${retryable}, throttling: ${throttling} }`
  })
  return [
    header(a.loaded),
    "",
    "/**",
    " * The model's error shapes as data: HTTP status, fault (`senderFault` → client, `fault` → server), retryable",
    " * (`retryable` in the model, minus `overrides.neverRetried`) and throttling (the model's flag or",
    " * `overrides.throttling`). Every error's only member is `message`; each is a `Schema.TaggedError` class below,",
    " * tagged with its AWS exception name.",
    " */",
    "import * as Schema from \"effect/Schema\"",
    "",
    "/** How an AWS error of this service is classified. */",
    "export interface ErrorShape {",
    "  readonly httpStatus: number",
    "  readonly fault: \"client\" | \"server\"",
    "  readonly retryable: boolean",
    "  readonly throttling: boolean",
    "}",
    "",
    "/** Every error shape of the model, by its AWS exception name. */",
    "export const errorShapes = {",
    indent(entries.join(",\n")),
    "} as const satisfies Readonly<Record<string, ErrorShape>>",
    "",
    "/** The AWS exception names of this service. */",
    "export type ErrorName = keyof typeof errorShapes",
    "",
    "/** The exception names, in name order. */",
    `export const errorNames = [\n${
      names.map((n) => `  ${str(n)}`).join(",\n")
    }\n] as const satisfies ReadonlyArray<ErrorName>`,
    "",
    "/** Errors every operation may return (the Smithy service shape's list; botocore copies them into each). */",
    `export const serviceErrors = [\n${
      overrides.serviceErrors.map((n) => `  ${str(n)}`).join(",\n")
    }\n] as const satisfies ReadonlyArray<ErrorName>`,
    "",
    "// =============================================================================",
    "// The error classes",
    "// =============================================================================",
    "",
    "/** Members every AWS error carries: the model's `message` plus the `x-amzn-requestid` of the answer. */",
    "const fields = { message: Schema.optional(Schema.String), requestId: Schema.optional(Schema.String) }",
    "",
    names.map((name) => {
      const shape = a.shapes[name] ?? fail(name)
      const error = shape.error ?? fail(name)
      const doc = firstSentence(shape.documentation) ?? name
      return [
        jsdoc(`${doc} HTTP ${error.httpStatusCode}; \`classification\` says how it is retried.`),
        `export class ${name} extends Schema.TaggedError<${name}>()(`,
        `  "${name}",`,
        "  fields",
        ") {",
        "  get classification(): ErrorShape {",
        "    return errorShapes[this._tag]",
        "  }",
        "}"
      ].join("\n")
    }).join("\n\n"),
    "",
    "/** Any AWS-defined error of this service. */",
    `export type AwsError =\n${names.map((n) => `  | ${n}`).join("\n")}`,
    "",
    "/** The error classes, in name order (for `Schema.Union`). */",
    `export const errorClasses = [\n${names.map((n) => `  ${n}`).join(",\n")}\n] as const`,
    "",
    "/** Builds the AWS error named `K` (one typed constructor per name). */",
    "export const makeAwsError: {",
    "  readonly [K in ErrorName]: (",
    "    fields: { readonly message?: string; readonly requestId?: string }",
    "  ) => Extract<AwsError, { readonly _tag: K }>",
    "} = {",
    indent(names.map((n) => `${n}: (fields) => new ${n}(fields)`).join(",\n")),
    "}",
    ""
  ].join("\n")
}

// =============================================================================
// Operations.ts
// =============================================================================

type QueryType = "string" | "boolean" | "integer" | "timestamp" | "list"

const queryType = (a: Analysis, target: string): QueryType => {
  const shape = a.shapes[target] ?? fail(target)
  switch (shape.type) {
    case "string":
      return "string"
    case "boolean":
      return "boolean"
    case "integer":
    case "long":
      return "integer"
    case "timestamp":
      return "timestamp"
    case "list":
      return "list"
    default:
      return fail(`query member of type ${shape.type} not handled`)
  }
}

const operationEntry = (a: Analysis, name: string): string => {
  const op = a.loaded.model.operations[name] ?? fail(name)
  if (op.name !== name) fail(`${name}: named ${op.name} inside`)
  const method = op.http.method
  if (!["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"].includes(method)) fail(`${name}: method ${method}`)
  const uri = op.http.requestUri
  if (uri.includes("?")) fail(`${name}: literal query in requestUri ${uri} not handled`)
  const input = a.shapes[op.input.shape] ?? fail(op.input.shape)
  const output = a.shapes[op.output.shape] ?? fail(op.output.shape)
  const labels: Array<string> = []
  const query: Array<string> = []
  const headers: Array<string> = []
  const body: Array<string> = []
  let payload: string | undefined
  for (const [memberName, member] of Object.entries(input.members ?? {})) {
    const wire = member.locationName ?? memberName
    switch (member.location) {
      case "querystring":
        query.push(`{ member: ${str(memberName)}, name: ${str(wire)}, type: ${str(queryType(a, member.shape))} }`)
        break
      case "uri": {
        const greedy = uri.includes(`{${wire}+}`)
        if (!greedy && !uri.includes(`{${wire}}`)) fail(`${name}.${memberName}: label ${wire} not in ${uri}`)
        labels.push(`{ member: ${str(memberName)}, name: ${str(wire)}, greedy: ${greedy} }`)
        break
      }
      case "header":
        headers.push(`{ member: ${str(memberName)}, name: ${str(wire)} }`)
        break
      case undefined:
        if (input.payload === memberName) payload = memberName
        else body.push(memberName)
        break
      default:
        fail(`${name}.${memberName}: location ${member.location} not handled`)
    }
  }
  const uriLabels = [...uri.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1])
  if (uriLabels.length !== labels.length) fail(`${name}: labels of ${uri} not all bound`)
  for (const [memberName, member] of Object.entries(output.members ?? {})) {
    if (member.location !== undefined) fail(`${name} output ${memberName}: location ${member.location} not handled`)
  }
  if (output.payload !== undefined) fail(`${name}: output payload not handled`)
  const errors = op.errors.map((e) => e.shape)
  const known = errorNamesOf(a)
  for (const e of errors) if (!known.includes(e)) fail(`${name}: error ${e} is not an exception shape`)
  for (const e of overrides.serviceErrors) if (!errors.includes(e)) fail(`${name}: lacks service error ${e}`)
  const own = errors.filter((e) => !overrides.serviceErrors.includes(e)).sort()
  const allErrors = [...own, ...overrides.serviceErrors]
  const paginator = a.loaded.paginators.pagination[name]
  if (paginator !== undefined) {
    const inMembers = Object.keys(input.members ?? {})
    const outMembers = Object.keys(output.members ?? {})
    if (!inMembers.includes(paginator.input_token)) fail(`${name}: no input token ${paginator.input_token}`)
    if (!inMembers.includes(paginator.limit_key)) fail(`${name}: no limit key ${paginator.limit_key}`)
    if (!outMembers.includes(paginator.output_token)) fail(`${name}: no output token ${paginator.output_token}`)
    if (!outMembers.includes(paginator.result_key)) fail(`${name}: no result key ${paginator.result_key}`)
  }
  const override = overrides.inputs[name]
  const list = (items: ReadonlyArray<string>, field: string): string => {
    const single = `${field}: [${items.join(", ")}]`
    return items.length === 0 || single.length + 2 <= WIDTH
      ? single
      : `${field}: [\n${items.map((i) => `  ${i}`).join(",\n")}\n]`
  }
  const fields = [
    `name: ${str(name)}`,
    `method: ${str(method)}`,
    `path: ${str(uri)}`,
    `responseCode: ${op.http.responseCode}`,
    list(labels, "labels"),
    list(query, "query"),
    list(headers, "headers"),
    `payload: ${payload === undefined ? "undefined" : str(payload)}`,
    list(body.map(str), "body"),
    override === undefined
      ? `input: Shapes.${op.input.shape}`
      : `${lineComment(override.why, 2)}\ninput: ${override.module}.${override.export}`,
    `modelInput: Shapes.${op.input.shape}`,
    `output: Shapes.${op.output.shape}`,
    list(allErrors.map(str), "errors"),
    `readonly: ${op.readonly === true}`,
    `idempotent: ${op.idempotent === true}`,
    op.readonly === true || op.idempotent === true
      ? "howToFindOut: \"The call is safe to repeat.\""
      : `howToFindOut: ${strWrapped(overrides.outcomeChecks[name] ?? overrides.defaultOutcomeCheck, 16, 2)}`,
    paginator === undefined
      ? "pagination: undefined"
      : `pagination: {\n  inputToken: ${str(paginator.input_token)},\n  outputToken: ${
        str(paginator.output_token)
      },\n  limitKey: ${str(paginator.limit_key)},\n  resultKey: ${str(paginator.result_key)}\n}`
  ]
  const doc = firstSentence(op.documentation)
  const route = `\`${method} ${uri}\``
  return `${
    jsdoc(`${name}: ${route}.${doc === undefined ? "" : ` ${doc}`}`)
  }\nexport const ${name} = /* @__PURE__ */ entry({\n${indent(fields.join(",\n"))}\n})`
}

const operationsFile = (a: Analysis): string => {
  const names = Object.keys(a.loaded.model.operations).sort()
  for (const name of Object.keys(overrides.inputs)) if (!names.includes(name)) fail(`overrides.inputs: no ${name}`)
  for (const name of Object.keys(overrides.outcomeChecks)) {
    const op = a.loaded.model.operations[name] ?? fail(`overrides.outcomeChecks: no ${name}`)
    if (op.readonly === true || op.idempotent === true) fail(`overrides.outcomeChecks: ${name} is safe to repeat`)
  }
  for (const name of Object.keys(a.loaded.paginators.pagination)) {
    if (!names.includes(name)) fail(`paginator for unknown operation ${name}`)
  }
  const modules = [...new Set(Object.values(overrides.inputs).map((o) => o.module))].sort()
  return [
    header(a.loaded, ` and ${a.loaded.paginatorsFile}`),
    "",
    "/**",
    ` * The ${names.length} operations of the model as data: restJson1 binding (method, path, labels, query, headers,`,
    " * payload and body members), input and output schemas, declared errors, `readonly` / `idempotent`, pagination.",
    " */",
    ...modules.map((m) => `import * as ${m} from "../${m}.js"`),
    "import { type AnyOperationEntry, entry } from \"../internal/operation.js\"",
    "import * as Shapes from \"./Shapes.js\"",
    "",
    "export type {",
    "  AnyOperationEntry,",
    "  HeaderBinding,",
    "  LabelBinding,",
    "  OperationEntry,",
    "  OperationInfo,",
    "  Pagination,",
    "  QueryBinding",
    "} from \"../internal/operation.js\"",
    "",
    names.map((name) => operationEntry(a, name)).join("\n\n"),
    "",
    `/** All ${names.length} operations, by AWS name. */`,
    "export const operations = {",
    indent(names.join(",\n")),
    "} as const",
    "",
    "/** The AWS names of the operations. */",
    "export type OperationName = keyof typeof operations",
    "",
    "/** The AWS names of the operations, in name order. */",
    "export const operationNames = [",
    indent(names.map(str).join(",\n")),
    "] as const satisfies ReadonlyArray<OperationName>",
    "",
    "/** Every operation, in name order, as `AnyOperationEntry`. */",
    "export const allOperations: ReadonlyArray<AnyOperationEntry> = /* @__PURE__ */ Object.values(operations)",
    ""
  ].join("\n")
}

// =============================================================================
// The service's methods (packages/http-client)
// =============================================================================

/** Where the service's generated methods go. */
export const SERVICE_FILE = "packages/http-client/src/generated/Service.ts"

const camel = (name: string): string => `${name.charAt(0).toLowerCase()}${name.slice(1)}`

const serviceFile = (a: Analysis): string => {
  const names = Object.keys(a.loaded.model.operations).sort()
  const pageable = names.filter((name) => a.loaded.paginators.pagination[name] !== undefined)
  const methodLines = names.map((name) => {
    const line = `  ${camel(name)}: (input) => call(Operations.${name}, input)`
    return line.length + 1 <= WIDTH ? line : `  ${camel(name)}: (input) =>\n    call(Operations.${name}, input)`
  })
  const streamDecls = pageable.map((name) => {
    const p = a.loaded.paginators.pagination[name] ?? fail(name)
    const op = a.loaded.model.operations[name] ?? fail(name)
    const input = a.shapes[op.input.shape] ?? fail(op.input.shape)
    const required = (input.required ?? []).filter((m) => m !== p.input_token)
    const optionalMark = required.length === 0 ? "?" : ""
    return [
      indent(jsdoc(`${name}: every \`${p.result_key}\` item of every page (fetched as the stream is pulled).`, 2)),
      `  readonly ${camel(name)}Stream: (`,
      `    input${optionalMark}: Omit<Input<"${name}">, "${p.input_token}">`,
      `  ) => Stream.Stream<`,
      `    Item<"${name}", "${p.result_key}">,`,
      `    Errors.ErrorOf<"${name}">`,
      `  >`
    ].join("\n")
  })
  const streamImpls = pageable.map((name) => {
    const p = a.loaded.paginators.pagination[name] ?? fail(name)
    const op = a.loaded.model.operations[name] ?? fail(name)
    const input = a.shapes[op.input.shape] ?? fail(op.input.shape)
    const required = (input.required ?? []).filter((m) => m !== p.input_token)
    const param = required.length === 0 ? "(input = {})" : "(input)"
    return [
      `  ${camel(name)}Stream: ${param} =>`,
      `    items(`,
      `      pages("${name}", (token) =>`,
      `        methods.${camel(name)}({ ...input, ...token })),`,
      `      (page) => page.${p.result_key}`,
      `    )`
    ].join("\n")
  })
  return [
    header(a.loaded, ` and ${a.loaded.paginatorsFile}`),
    "",
    "/**",
    ` * The service's ${names.length} methods, one per operation of the table (\`Operations\`), and a stream per pageable`,
    " * operation. `SocialMessaging.fromCall` builds the service from them.",
    " */",
    "import type * as Errors from \"@social-messaging/domain/Errors\"",
    "import * as Operations from \"@social-messaging/domain/Operations\"",
    "import type * as Effect from \"effect/Effect\"",
    "import type * as Schema from \"effect/Schema\"",
    "import type * as Stream from \"effect/Stream\"",
    "import { items, pages } from \"../internal/pagination.js\"",
    "import type { Call, Methods } from \"../SocialMessaging.js\"",
    "",
    "/** The typed input of operation `K`. */",
    "type Input<K extends Operations.OperationName> = Schema.Schema.Type<(typeof Operations.operations)[K][\"input\"]>",
    "",
    "/** The items a page of operation `K` holds in `R`. */",
    "type Item<K extends Operations.OperationName, R extends string> =",
    "  Schema.Schema.Type<(typeof Operations.operations)[K][\"output\"]> extends",
    "    { readonly [P in R]?: ReadonlyArray<infer A> | undefined } ? A : never",
    "",
    "/** The streams of the pageable operations. */",
    "export interface Streams {",
    streamDecls.join("\n"),
    "}",
    "",
    "/** One method per operation: validate, send, decode (`call` does it). */",
    "export const methods = (call: Call): Methods => ({",
    methodLines.join(",\n"),
    "})",
    "",
    "/** The streams over the methods. */",
    "export const streams = (methods: Methods): Streams => ({",
    streamImpls.join(",\n"),
    "})",
    "",
    "/** Builds an `A` of one operation from the operation and the service's method for it. */",
    "export type Pairing<A> = <I, IE, O, OE, K extends Errors.AwsErrorName, E extends Errors.SocialMessagingError>(",
    "  operation: Operations.Operation<I, IE, O, OE, K>,",
    "  method: (input: I) => Effect.Effect<O, E>",
    ") => A",
    "",
    "/**",
    " * One `A` per operation of `service`, by AWS name: for a caller that picks the operation at run time (the",
    " * CLI), each method reached with its own operation's types, checked by the compiler.",
    " */",
    "export const byName = <A>(service: Methods, pair: Pairing<A>): { readonly [K in Operations.OperationName]: A } => ({",
    names.map((name) => {
      const line = `  ${name}: pair(Operations.${name}, service.${camel(name)})`
      return line.length + 1 <= WIDTH
        ? line
        : `  ${name}: pair(\n    Operations.${name},\n    service.${camel(name)}\n  )`
    }).join(",\n"),
    "})",
    ""
  ].join("\n")
}

// =============================================================================
// The endpoint rule set (packages/http-client)
// =============================================================================

/** Where the service's endpoint rules go, and the committed copy of the model's rule set they come from. */
export const ENDPOINTS_FILE = "packages/http-client/src/generated/EndpointRuleSet.ts"
export const RULE_SET_FILE = "socialmessaging-2024-01-01.endpoint-rule-set-1.json"

const endpointsFile = (a: Analysis): string => {
  const text = readFileSync(join(modelDir, RULE_SET_FILE), "utf8")
  const ruleSet: unknown = JSON.parse(text)
  return [
    header(a.loaded, ` and ${RULE_SET_FILE}`),
    `// Rule set sha256 ${createHash("sha256").update(text).digest("hex")}.`,
    "",
    "/**",
    " * The endpoint rule set of AWS End User Messaging Social (`smithy.rules#endpointRuleSet`), as the model",
    " * has it (botocore's `endpoint-rule-set-1.json`, the Smithy trait): evaluated by `@smithy/util-endpoints`",
    " * `resolveEndpoint` in `Endpoint`. A TypeScript constant, not a JSON import: the same under tsc, vitest",
    " * and esbuild.",
    " */",
    "import type { RuleSetObject } from \"@smithy/util-endpoints\"",
    "",
    "/** The service's endpoint rules. */",
    `export const ruleSet: RuleSetObject = ${JSON.stringify(ruleSet, null, 2)}`,
    ""
  ].join("\n")
}

// =============================================================================
// The engine's methods paired with their operations (packages/sandbox)
// =============================================================================

/** Where the sandbox's generated pairing of operations and engine methods goes. */
export const SANDBOX_FILE = "packages/sandbox/src/generated/Dispatch.ts"

const sandboxFile = (a: Analysis): string => {
  const names = Object.keys(a.loaded.model.operations).sort()
  const entry = (key: string, name: string, f: string): string => {
    const line = `  ${key}: ${f}(Operations.${name}, engine.${camel(name)})`
    return line.length + 1 <= WIDTH ? line : `  ${key}: ${f}(\n    Operations.${name},\n    engine.${camel(name)}\n  )`
  }
  return [
    header(a.loaded),
    "",
    "/**",
    ` * The engine's ${names.length} methods, each paired with its operation of the table (\`Operations\`), by AWS name:`,
    " * what the server and the in-process layer dispatch on. The compiler checks each pair: the method's input,",
    " * output and errors are the operation's.",
    " */",
    "import type * as Errors from \"@social-messaging/domain/Errors\"",
    "import * as Operations from \"@social-messaging/domain/Operations\"",
    "import type * as Effect from \"effect/Effect\"",
    "import type { Methods as EngineMethods } from \"../engine/State.js\"",
    "",
    "/** Builds an `A` of one operation from the operation and the engine's method for it. */",
    "export type Pairing<A> = <I, IE, O, OE, K extends Errors.AwsErrorName>(",
    "  operation: Operations.Operation<I, IE, O, OE, K>,",
    "  run: (input: I) => Effect.Effect<O, Errors.AwsErrorOf<K>>",
    ") => A",
    "",
    "/** One `A` per operation, by AWS name. */",
    "export const byName = <A>(",
    "  engine: EngineMethods<Operations.OperationName>,",
    "  pair: Pairing<A>",
    "): { readonly [K in Operations.OperationName]: A } => ({",
    names.map((name) => entry(name, name, "pair")).join(",\n"),
    "})",
    ""
  ].join("\n")
}

// =============================================================================
// Entry points
// =============================================================================

/** Every generated file for the model `loaded`: pure, so the drift test can run it in memory. */
export const generate = (loaded: Loaded): ReadonlyArray<GeneratedFile> => {
  for (const name of [...overrides.brands, ...Object.keys(overrides.arbitraries), ...overrides.serviceIssued]) {
    if (loaded.model.shapes[name]?.type !== "string") fail(`overrides name ${name}, not a string shape of the model`)
  }
  for (const name of overrides.extraSecrets) {
    if (loaded.model.shapes[name] === undefined) fail(`overrides.extraSecrets: no shape ${name}`)
  }
  const a = analyse(loaded)
  // The emitters keep to the house style themselves; dprint settles the rest (where to break a long union,
  // say), so the committed files pass the same format check as hand-written ones.
  return [
    { path: `${OUTPUT_DIR}/Shapes.ts`, text: shapesFile(a) },
    { path: `${OUTPUT_DIR}/Errors.ts`, text: errorsFile(a) },
    { path: `${OUTPUT_DIR}/Operations.ts`, text: operationsFile(a) },
    { path: SERVICE_FILE, text: serviceFile(a) },
    { path: ENDPOINTS_FILE, text: endpointsFile(a) },
    { path: SANDBOX_FILE, text: sandboxFile(a) }
  ].map((file) => ({ path: file.path, text: format(file.path, file.text) }))
}

export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..")

const main = (args: ReadonlyArray<string>): void => {
  const started = performance.now()
  const option = (flag: string): string | undefined => {
    const i = args.indexOf(flag)
    return i >= 0 ? args[i + 1] : undefined
  }
  const modelPath = option("--model")
  const paginatorsPath = option("--paginators")
  const files = generate(load(
    modelPath === undefined ? undefined : resolve(modelPath),
    paginatorsPath === undefined ? undefined : resolve(paginatorsPath)
  ))
  const check = args.includes("--check")
  const stale: Array<string> = []
  for (const file of files) {
    const path = join(repoRoot, file.path)
    if (check) {
      let current: string | undefined
      try {
        current = readFileSync(path, "utf8")
      } catch {
        current = undefined
      }
      if (current !== file.text) stale.push(file.path)
    } else {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, file.text)
    }
  }
  const ms = Math.round(performance.now() - started)
  const lines = files.reduce((n, f) => n + f.text.split("\n").length - 1, 0)
  if (check && stale.length > 0) {
    process.stderr.write(`stale: ${stale.join(", ")} (run npm run generate)\n`)
    process.exit(1)
  }
  process.stdout.write(
    `${check ? "checked" : "wrote"} ${files.map((f) => relative(repoRoot, join(repoRoot, f.path))).join(", ")} ` +
      `(${lines} lines) in ${ms} ms\n`
  )
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2))
}
