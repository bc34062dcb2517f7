/**
 * Derives `packages/domain/test/fixtures/model-facts.json` from the saved model files: the facts of every
 * shape of the association domain (the nine operations' inputs, outputs and errors, and every shape they
 * reach, plus every error shape of the model), without documentation text.
 *
 *   npx tsx packages/domain/scripts/model-facts.ts            # write the fixture
 *   npx tsx packages/domain/scripts/model-facts.ts --check    # exit 1 if the fixture is stale
 *   npx tsx packages/domain/scripts/model-facts.ts --reference DIR
 *
 * Sources: the Smithy JSON is the source of constraints. botocore's newer service-2.json adds members the
 * Smithy JSON lacks; they are merged in at botocore's position. botocore rewrites patterns (strips `^`/`$`,
 * wraps unanchored ones in `.*…*`) and adds `min: 0` to max-only lengths; both rules are checked here on
 * every shape the two files share before they are inverted for botocore-only shapes.
 */
import { Schema } from "effect"
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

// =============================================================================
// Inputs
// =============================================================================

/** The association domain, as the issue names it. */
const OPERATIONS = [
  "AssociateWhatsAppBusinessAccount",
  "DisassociateWhatsAppBusinessAccount",
  "GetLinkedWhatsAppBusinessAccount",
  "ListLinkedWhatsAppBusinessAccounts",
  "GetLinkedWhatsAppBusinessAccountPhoneNumber",
  "PutWhatsAppBusinessAccountEventDestinations",
  "TagResource",
  "UntagResource",
  "ListTagsForResource"
] as const

const NS = "com.amazonaws.socialmessaging#"
const SMITHY_FILE = "socialmessaging-2024-01-01.smithy.json"
const BOTOCORE_FILE = "botocore-socialmessaging-2024-01-01.service-2.json"

const scriptDir = fileURLToPath(new URL(".", import.meta.url))
const repoRoot = resolve(scriptDir, "../../..")
const fixturePath = join(repoRoot, "packages/domain/test/fixtures/model-facts.json")

const args = process.argv.slice(2)
const referenceFlag = args.indexOf("--reference")
const referenceDir = referenceFlag >= 0 && args[referenceFlag + 1] !== undefined
  ? resolve(args[referenceFlag + 1] ?? "")
  : resolve(repoRoot, "../shared/reference")

// =============================================================================
// The parts of the two model formats read here
// =============================================================================

const Traits = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Ref = Schema.Struct({ target: Schema.String })
const SmithyMember = Schema.Struct({ target: Schema.String, traits: Schema.optional(Traits) })
const SmithyShape = Schema.Struct({
  type: Schema.String,
  members: Schema.optional(Schema.Record({ key: Schema.String, value: SmithyMember })),
  member: Schema.optional(SmithyMember),
  key: Schema.optional(SmithyMember),
  value: Schema.optional(SmithyMember),
  input: Schema.optional(Ref),
  output: Schema.optional(Ref),
  errors: Schema.optional(Schema.Array(Ref)),
  traits: Schema.optional(Traits)
})
type SmithyShape = typeof SmithyShape.Type
const SmithyModel = Schema.Struct({ shapes: Schema.Record({ key: Schema.String, value: SmithyShape }) })

const BotoRef = Schema.Struct({ shape: Schema.String })
const BotoShape = Schema.Struct({
  type: Schema.String,
  members: Schema.optional(Schema.Record({ key: Schema.String, value: BotoRef })),
  member: Schema.optional(BotoRef),
  key: Schema.optional(BotoRef),
  value: Schema.optional(BotoRef),
  required: Schema.optional(Schema.Array(Schema.String)),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  pattern: Schema.optional(Schema.String),
  sensitive: Schema.optional(Schema.Boolean),
  enum: Schema.optional(Schema.Array(Schema.String))
})
type BotoShape = typeof BotoShape.Type
const BotoModel = Schema.Struct({ shapes: Schema.Record({ key: Schema.String, value: BotoShape }) })

// Trait values
const LengthTrait = Schema.Struct({ min: Schema.optional(Schema.Number), max: Schema.optional(Schema.Number) })
const HttpTrait = Schema.Struct({ method: Schema.String, uri: Schema.String, code: Schema.Number })
const ErrorTrait = Schema.Literal("client", "server")
const RetryableTrait = Schema.Struct({ throttling: Schema.optional(Schema.Boolean) })

// =============================================================================
// Facts (what the fixture holds)
// =============================================================================

interface Bounds {
  readonly min?: number
  readonly max?: number
}

/** Constraint facts of a value: the target shape's traits with the member's own traits applied over them. */
interface ValueFacts {
  readonly type: string
  readonly length?: Bounds
  readonly pattern?: string
  readonly range?: Bounds
  readonly listLength?: Bounds
  readonly enum?: ReadonlyArray<string>
  readonly sensitive?: true
  readonly timestamp?: "epoch-seconds"
  /** list item / map key and value targets */
  readonly member?: string
  readonly key?: string
  readonly value?: string
  /** botocore-only shapes: botocore's (rewritten) pattern, and where `pattern` came from */
  readonly botocorePattern?: string
  readonly patternSource?: "smithy" | "botocore, un-rewritten"
}

interface MemberFacts extends ValueFacts {
  readonly name: string
  readonly target: string
  readonly required: boolean
  readonly httpQuery?: string
  /** "botocore" for members the Smithy JSON lacks */
  readonly source: "smithy" | "botocore"
}

interface ShapeFacts extends Partial<ValueFacts> {
  readonly type: string
  /** where the shape is reachable from: an operation input, output, or error */
  readonly usage: ReadonlyArray<"input" | "output" | "error">
  readonly members?: ReadonlyArray<MemberFacts>
  readonly error?: {
    readonly fault: "client" | "server"
    readonly httpStatus: number
    readonly retryable: boolean
    readonly throttling: boolean
  }
}

interface OperationFacts {
  readonly name: string
  readonly method: string
  readonly uri: string
  readonly code: number
  readonly input: string
  readonly output: string
  /** the operation's own errors, in model order (the service-wide ones are in `serviceErrors`) */
  readonly errors: ReadonlyArray<string>
  readonly readonly: boolean
  readonly idempotent: boolean
}

// =============================================================================
// Derivation
// =============================================================================

const fail = (message: string): never => {
  throw new Error(`model-facts: ${message}`)
}

const short = (id: string): string => id.startsWith(NS) ? id.slice(NS.length) : id
const isPrelude = (id: string): boolean => id.startsWith("smithy.api#")

const readJson = (file: string): { readonly text: string; readonly sha256: string } => {
  const text = readFileSync(join(referenceDir, file), "utf8")
  return { text, sha256: createHash("sha256").update(text).digest("hex") }
}

const smithyFile = readJson(SMITHY_FILE)
const botocoreFile = readJson(BOTOCORE_FILE)
const smithy = Schema.decodeUnknownSync(Schema.parseJson(SmithyModel))(smithyFile.text)
const botocore = Schema.decodeUnknownSync(Schema.parseJson(BotoModel))(botocoreFile.text)

const smithyShape = (id: string): SmithyShape => smithy.shapes[id] ?? fail(`no Smithy shape ${id}`)
const traitOf = <A, I>(traits: typeof Traits.Type | undefined, name: string, schema: Schema.Schema<A, I>) =>
  traits !== undefined && name in traits
    ? Schema.decodeUnknownSync(schema)(traits[name])
    : undefined
const hasTrait = (traits: typeof Traits.Type | undefined, name: string): boolean =>
  traits !== undefined && name in traits

const bounds = (b: { readonly min?: number | undefined; readonly max?: number | undefined } | undefined) =>
  b === undefined ? undefined : {
    ...(b.min === undefined ? {} : { min: b.min }),
    ...(b.max === undefined ? {} : { max: b.max })
  }

const preludeType = (id: string): string =>
  id === "smithy.api#String"
    ? "string"
    : id === "smithy.api#Integer"
    ? "integer"
    : id === "smithy.api#Boolean"
    ? "boolean"
    : fail(`unexpected prelude target ${id}`)

/** Facts of a Smithy shape, with `over` (member) traits applied on top of the shape's own. */
const smithyValueFacts = (id: string, over?: typeof Traits.Type): ValueFacts => {
  const shape = isPrelude(id) ? undefined : smithyShape(id)
  const type = shape === undefined ? preludeType(id) : shape.type
  const traits = { ...shape?.traits, ...over }
  const length = bounds(traitOf(traits, "smithy.api#length", LengthTrait))
  const range = bounds(traitOf(traits, "smithy.api#range", LengthTrait))
  const pattern = traitOf(traits, "smithy.api#pattern", Schema.String)
  return {
    type,
    ...(length === undefined ? {} : type === "list" ? { listLength: length } : { length }),
    ...(pattern === undefined ? {} : { pattern }),
    ...(range === undefined ? {} : { range }),
    ...(type === "enum" && shape?.members !== undefined
      ? {
        enum: Object.values(shape.members).map((m) =>
          traitOf(m.traits, "smithy.api#enumValue", Schema.String) ?? fail(`enum ${id} without enumValue`)
        )
      }
      : {}),
    ...(hasTrait(traits, "smithy.api#sensitive") ? { sensitive: true } : {}),
    // restJson1 default for a timestamp without @timestampFormat (none in this model has one)
    ...(type === "timestamp"
      ? hasTrait(traits, "smithy.api#timestampFormat")
        ? fail(`${id}: @timestampFormat not handled`)
        : { timestamp: "epoch-seconds" }
      : {}),
    ...(shape?.member === undefined ? {} : { member: short(shape.member.target) }),
    ...(shape?.key === undefined ? {} : { key: short(shape.key.target) }),
    ...(shape?.value === undefined ? {} : { value: short(shape.value.target) })
  }
}

// -----------------------------------------------------------------------------
// botocore's representation rules, checked on every shape both files have
// -----------------------------------------------------------------------------

/** Smithy pattern → botocore pattern, as botocore renders it. */
const botocorePatternOf = (p: string): string =>
  p.startsWith("^") && p.endsWith("$") && !/^\(?\^.*\$\)?\|/.test(p) ? p.slice(1, -1) : `.*${p}.*`

/** The inverse, for botocore-only shapes: an unwrapped botocore pattern was an anchored Smithy one. */
const smithyPatternOf = (bp: string): string =>
  bp.startsWith(".*") ? fail(`cannot un-rewrite botocore pattern ${bp}`) : `^${bp}$`

for (const [id, shape] of Object.entries(smithy.shapes)) {
  const name = short(id)
  const pattern = traitOf(shape.traits, "smithy.api#pattern", Schema.String)
  const boto = botocore.shapes[name]
  if (pattern !== undefined && boto !== undefined) {
    const rendered = boto.pattern ?? fail(`botocore has no pattern on ${name}`)
    if (rendered !== botocorePatternOf(pattern)) {
      fail(`botocore pattern rule broken on ${name}: ${pattern} → ${rendered}`)
    }
    if (!rendered.startsWith(".*") && smithyPatternOf(rendered) !== pattern) {
      fail(`botocore pattern rule not invertible on ${name}`)
    }
  }
  const length = traitOf(shape.traits, "smithy.api#length", LengthTrait)
  if (length !== undefined && boto !== undefined) {
    const expectedMin = length.min ?? 0 // botocore adds "min": 0 to max-only lengths
    if (boto.min !== expectedMin || boto.max !== length.max) fail(`botocore length rule broken on ${name}`)
  }
}

const botoShape = (name: string): BotoShape => botocore.shapes[name] ?? fail(`no botocore shape ${name}`)

/** Facts of a botocore-only shape, translated back to Smithy's terms. */
const botocoreValueFacts = (name: string): ValueFacts => {
  const shape = botoShape(name)
  if (shape.type !== "string") fail(`botocore-only shape ${name} of type ${shape.type} not handled`)
  const length = bounds({ ...(shape.min === 0 ? {} : { min: shape.min }), max: shape.max })
  return {
    type: shape.type,
    ...(length === undefined || Object.keys(length).length === 0 ? {} : { length }),
    ...(shape.pattern === undefined
      ? {}
      : {
        pattern: smithyPatternOf(shape.pattern),
        botocorePattern: shape.pattern,
        patternSource: "botocore, un-rewritten"
      }),
    ...(shape.sensitive === true ? { sensitive: true } : {}),
    ...(shape.enum === undefined ? {} : { enum: shape.enum })
  }
}

/** Effective facts of a botocore member, to compare with the Smithy member it mirrors. */
const botocoreMemberFacts = (name: string) => {
  const shape = botoShape(name)
  return {
    length: shape.type === "string" && (shape.min !== undefined || shape.max !== undefined)
      ? bounds({ ...(shape.min === 0 ? {} : { min: shape.min }), max: shape.max })
      : undefined,
    sensitive: shape.sensitive === true,
    enum: shape.enum
  }
}

// -----------------------------------------------------------------------------
// Walk the domain
// -----------------------------------------------------------------------------

const shapes = new Map<string, ShapeFacts>()
const usage = new Map<string, Set<"input" | "output" | "error">>()
const botocoreOnly = new Set<string>()

const structureMembers = (name: string): ReadonlyArray<MemberFacts> => {
  const shape = smithyShape(NS + name)
  const smithyMembers = Object.entries(shape.members ?? {})
  const boto = botoShape(name)
  const botoNames = Object.keys(boto.members ?? {})
  // botocore's order, which must keep Smithy's members in Smithy's order
  const inSmithy = botoNames.filter((n) => smithyMembers.some(([m]) => m === n))
  if (inSmithy.join() !== smithyMembers.map(([m]) => m).join()) {
    fail(`${name}: botocore members ${botoNames.join()} disagree with Smithy's`)
  }
  return botoNames.map((memberName): MemberFacts => {
    const smithyMember = smithyMembers.find(([m]) => m === memberName)?.[1]
    const botoTarget = boto.members?.[memberName]?.shape ?? fail(`${name}.${memberName}`)
    const required = (boto.required ?? []).includes(memberName)
    if (smithyMember === undefined) {
      // botocore-only member: its target is a Smithy shape if the Smithy JSON has one
      const known = smithy.shapes[NS + botoTarget] !== undefined
      if (!known) botocoreOnly.add(botoTarget)
      return {
        name: memberName,
        target: botoTarget,
        required,
        ...(known ? smithyValueFacts(NS + botoTarget) : botocoreValueFacts(botoTarget)),
        source: "botocore"
      }
    }
    const facts = smithyValueFacts(smithyMember.target, smithyMember.traits)
    const smithyRequired = hasTrait(smithyMember.traits, "smithy.api#required")
    if (smithyRequired !== required) fail(`${name}.${memberName}: required differs in botocore`)
    const b = botocoreMemberFacts(botoTarget)
    if (
      JSON.stringify(b.length) !== JSON.stringify(facts.type === "string" ? facts.length : undefined) ||
      b.sensitive !== (facts.sensitive === true) || JSON.stringify(b.enum) !== JSON.stringify(facts.enum)
    ) fail(`${name}.${memberName}: botocore facts differ`)
    const httpQuery = traitOf(smithyMember.traits, "smithy.api#httpQuery", Schema.String)
    return {
      name: memberName,
      target: short(smithyMember.target),
      required,
      ...facts,
      ...(httpQuery === undefined ? {} : { httpQuery }),
      source: "smithy"
    }
  })
}

const visit = (name: string, use: "input" | "output" | "error"): void => {
  if (isPrelude(name)) return
  const uses = usage.get(name) ?? new Set()
  const seen = usage.has(name) && uses.has(use)
  uses.add(use)
  usage.set(name, uses)
  if (seen) return
  if (botocoreOnly.has(name)) {
    shapes.set(name, { ...botocoreValueFacts(name), usage: [] })
    return
  }
  const shape = smithyShape(NS + name)
  if (shape.type === "structure") {
    const members = structureMembers(name)
    const errorFault = traitOf(shape.traits, "smithy.api#error", ErrorTrait)
    const retryable = traitOf(shape.traits, "smithy.api#retryable", RetryableTrait)
    shapes.set(name, {
      type: "structure",
      usage: [],
      members,
      ...(errorFault === undefined ? {} : {
        error: {
          fault: errorFault,
          httpStatus: traitOf(shape.traits, "smithy.api#httpError", Schema.Number) ?? fail(`${name}: no httpError`),
          retryable: retryable !== undefined,
          throttling: retryable?.throttling === true
        }
      })
    })
    for (const m of members) visit(m.target, use)
  } else {
    const facts = smithyValueFacts(NS + name)
    shapes.set(name, { ...facts, usage: [] })
    if (facts.member !== undefined) visit(facts.member, use)
    if (facts.key !== undefined) visit(facts.key, use)
    if (facts.value !== undefined) visit(facts.value, use)
  }
}

const service = Object.values(smithy.shapes).find((s) => s.type === "service") ?? fail("no service shape")
const serviceErrors = (service.errors ?? []).map((e) => short(e.target))

const operations: ReadonlyArray<OperationFacts> = OPERATIONS.map((name) => {
  const op = smithyShape(NS + name)
  const http = traitOf(op.traits, "smithy.api#http", HttpTrait) ?? fail(`${name}: no @http`)
  const input = short(op.input?.target ?? fail(`${name}: no input`))
  const output = short(op.output?.target ?? fail(`${name}: no output`))
  const errors = (op.errors ?? []).map((e) => short(e.target))
  visit(input, "input")
  visit(output, "output")
  for (const e of errors) visit(e, "error")
  return {
    name,
    method: http.method,
    uri: http.uri,
    code: http.code,
    input,
    output,
    errors,
    readonly: hasTrait(op.traits, "smithy.api#readonly"),
    idempotent: hasTrait(op.traits, "smithy.api#idempotent")
  }
})
for (const e of serviceErrors) visit(e, "error")
// Every error shape of the model (AccessDeniedByMetaException belongs to the template operations, but the
// domain defines it too, so its classification is a fact the tests need).
for (const [id, shape] of Object.entries(smithy.shapes)) {
  if (shape.type === "structure" && hasTrait(shape.traits, "smithy.api#error")) visit(short(id), "error")
}

const order: ReadonlyArray<"input" | "output" | "error"> = ["input", "output", "error"]
const sortedShapes = Object.fromEntries(
  [...shapes.entries()]
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([name, facts]) => [name, { ...facts, usage: order.filter((u) => usage.get(name)?.has(u)) }])
)

const facts = {
  $comment: "Generated by packages/domain/scripts/model-facts.ts from the saved model files. Facts only; do not edit.",
  sources: {
    smithy: { file: SMITHY_FILE, sha256: smithyFile.sha256 },
    botocore: { file: BOTOCORE_FILE, sha256: botocoreFile.sha256 }
  },
  serviceErrors,
  operations,
  shapes: sortedShapes
}

const text = `${JSON.stringify(facts, null, 2)}\n`
const memberCount = Object.values(sortedShapes).reduce((n, s) => n + (s.members?.length ?? 0), 0)
const summary = `${
  Object.keys(sortedShapes).length
} shapes, ${memberCount} structure members, ${operations.length} operations`

if (args.includes("--check")) {
  const current = readFileSync(fixturePath, "utf8")
  if (current !== text) {
    const fix = "run npx tsx packages/domain/scripts/model-facts.ts"
    process.stderr.write(`${relative(repoRoot, fixturePath)} is stale: ${fix}\n`)
    process.exit(1)
  }
  process.stdout.write(`${relative(repoRoot, fixturePath)} is up to date (${summary})\n`)
} else {
  writeFileSync(fixturePath, text)
  process.stdout.write(`wrote ${relative(repoRoot, fixturePath)} (${summary})\n`)
}
