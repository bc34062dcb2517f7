/**
 * Message templates: create (a custom definition, or from Meta's template library), list (paged), get,
 * update, delete (one language or all), and Meta's review.
 *
 * Following Meta's WhatsApp Business Management API:
 * - A definition is Meta's template JSON (`name`, `language`, `category`, `components`, optional
 *   `parameter_format`); the name is lower-case letters, digits and underscores; the category is UTILITY,
 *   MARKETING or AUTHENTICATION; a BODY component is required (at most 1024 characters; HEADER text and
 *   FOOTER at most 60); one template per name and language.
 * - A new or edited template is `PENDING` until Meta's review ends (`templateReviewDelay`, 30 s of `Clock`
 *   time by default), then `APPROVED`, or `REJECTED` when its name starts with
 *   `Fixtures.rejectedTemplatePrefix` (`rejected_`: the sandbox's stand-in for content Meta refuses).
 *   Library templates are pre-approved: `APPROVED` at once.
 * - Only an APPROVED, REJECTED or PAUSED template can be edited; an approved one keeps its category and
 *   may be edited once per 24 hours. Editing components or category sends it back to review.
 * - Delete by `metaTemplateId` removes one language; `deleteAllLanguages` removes every language of the
 *   name; a name alone removes it when it has one language, and is refused when it has several.
 *
 * A definition or component blob that is not the JSON described here is a `ValidationException` naming
 * the member; rules about the account's templates (duplicates, unknown languages, review state) are
 * `InvalidParametersException`; an unknown WABA or template is `ResourceNotFoundException`. Meta's
 * availability for the WABA (`Service.setMetaStatus`) gives `DependencyException` or
 * `AccessDeniedByMetaException`.
 */
import * as Shapes from "@social-messaging/domain/generated/Shapes"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Fixtures from "../Fixtures.js"
import { decimalDigits } from "../internal/random.js"
import {
  type Context,
  describeIssues,
  invalid,
  metaAccess,
  type Method,
  type Methods,
  notFound,
  page,
  readJson,
  requireWaba,
  type State,
  type Template,
  validation
} from "./State.js"

type Operation =
  | "CreateWhatsAppMessageTemplate"
  | "CreateWhatsAppMessageTemplateFromLibrary"
  | "ListWhatsAppMessageTemplates"
  | "GetWhatsAppMessageTemplate"
  | "UpdateWhatsAppMessageTemplate"
  | "DeleteWhatsAppMessageTemplate"
  | "ListWhatsAppTemplateLibrary"

/** The language codes Meta supports for templates. */
export const languages: ReadonlySet<string> = new Set([
  "af",
  "sq",
  "ar",
  "az",
  "bn",
  "bg",
  "ca",
  "zh_CN",
  "zh_HK",
  "zh_TW",
  "hr",
  "cs",
  "da",
  "nl",
  "en",
  "en_GB",
  "en_US",
  "et",
  "fil",
  "fi",
  "fr",
  "ka",
  "de",
  "el",
  "gu",
  "ha",
  "he",
  "hi",
  "hu",
  "id",
  "ga",
  "it",
  "ja",
  "kn",
  "kk",
  "rw_RW",
  "ko",
  "ky_KG",
  "lo",
  "lv",
  "lt",
  "mk",
  "ms",
  "ml",
  "mr",
  "nb",
  "fa",
  "pl",
  "pt_BR",
  "pt_PT",
  "pa",
  "ro",
  "ru",
  "sr",
  "sk",
  "sl",
  "es",
  "es_AR",
  "es_ES",
  "es_MX",
  "sw",
  "sv",
  "ta",
  "te",
  "th",
  "tr",
  "uk",
  "ur",
  "uz",
  "vi",
  "zu"
]) // dprint-ignore

/** Meta's template categories. */
export const categories: ReadonlySet<string> = new Set(["UTILITY", "MARKETING", "AUTHENTICATION"])

const optional = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const TemplateName = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9_]{1,512}$/, { message: () => "expected lower-case letters, digits and underscores" })
)

const Component = Schema.Struct(
  { type: Schema.String.pipe(Schema.minLength(1)), text: optional(Schema.String) },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

const Components = Schema.Array(Component)

/** Meta's template JSON, as CreateWhatsAppMessageTemplate's `templateDefinition` carries it. */
const Definition = Schema.Struct({
  name: TemplateName,
  language: Schema.String.pipe(Schema.minLength(1)),
  category: Schema.String.pipe(Schema.minLength(1)),
  parameter_format: optional(Schema.String),
  components: Components
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))

const codePoints = (s: string): number => [...s].length

/** Meta's rules on components: one BODY (but for AUTHENTICATION), each kind at most once, text lengths. */
const checkComponents = (category: string, components: typeof Components.Type): string | undefined => {
  const seen = new Set<string>()
  for (const [i, component] of components.entries()) {
    const type = component.type.toUpperCase()
    if (!["HEADER", "BODY", "FOOTER", "BUTTONS"].includes(type)) {
      return `components[${i}].type: expected HEADER, BODY, FOOTER or BUTTONS, got ${JSON.stringify(component.type)}`
    }
    if (seen.has(type)) return `components: at most one ${type} component`
    seen.add(type)
    const limit = type === "BODY" ? 1024 : type === "BUTTONS" ? Infinity : 60
    if (component.text !== undefined && codePoints(component.text) > limit) {
      return `components[${i}].text: a ${type} has at most ${limit} characters`
    }
  }
  return category !== "AUTHENTICATION" && !seen.has("BODY") ? "components: a BODY component is required" : undefined
}

const parameterFormat = (value: string | undefined): Either.Either<string, string> => {
  const format = (value ?? "POSITIONAL").toUpperCase()
  return format === "POSITIONAL" || format === "NAMED"
    ? Either.right(format)
    : Either.left(`parameter_format: expected NAMED or POSITIONAL, got ${JSON.stringify(value)}`)
}

/** A template's status at `now`: a `PENDING` one whose review has ended has its outcome. */
export const statusAt = (template: Template, now: number): Template =>
  template.status === "PENDING" && template.reviewedAtMillis !== undefined && now >= template.reviewedAtMillis
    ? {
      ...template,
      status: template.outcome,
      reviewedAtMillis: undefined,
      rejectedReason: template.outcome === "REJECTED" ? "INVALID_FORMAT" : undefined
    }
    : template

/** Templates of a WABA as Meta holds them when it is linked (`Fixtures.MetaWaba.templates`). */
export const fromFixtures = (
  waba: Shapes.LinkedWhatsAppBusinessAccountId,
  fixtures: ReadonlyArray<Fixtures.MetaTemplateFixture> | undefined,
  firstSequence: number
): Effect.Effect<ReadonlyArray<Template>> =>
  Effect.forEach(
    (fixtures ?? [Fixtures.helloWorld]).entries(),
    ([i, fixture]) =>
      Effect.map(decimalDigits(15), (id): Template => ({
        waba,
        metaTemplateId: Shapes.MetaTemplateId.make(id),
        name: fixture.name,
        language: fixture.language,
        category: fixture.category,
        status: fixture.status,
        reviewedAtMillis: undefined,
        outcome: fixture.status === "REJECTED" ? "REJECTED" : "APPROVED",
        rejectedReason: fixture.rejectedReason,
        parameterFormat: "POSITIONAL",
        components: fixture.components,
        ctaUrlLinkTrackingOptedOut: false,
        editedAtMillis: undefined,
        sequence: firstSequence + i
      }))
  )

/** Meta's JSON of a template (what GetWhatsAppMessageTemplate's `template` holds). */
const metaJson = (t: Template): string =>
  JSON.stringify({
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    id: t.metaTemplateId,
    parameter_format: t.parameterFormat,
    components: t.components,
    ...(t.rejectedReason === undefined ? {} : { rejected_reason: t.rejectedReason }),
    ...(t.ctaUrlLinkTrackingOptedOut ? { cta_url_link_tracking_opted_out: true } : {})
  })

const summary = (t: Template): Shapes.TemplateSummary => ({
  templateName: t.name,
  metaTemplateId: t.metaTemplateId,
  templateStatus: t.status,
  templateQualityScore: "UNKNOWN",
  templateLanguage: t.language,
  templateCategory: t.category
})

/** The library as Meta lists it (ListWhatsAppTemplateLibrary). */
const libraryDefinition = (l: Fixtures.LibraryTemplateFixture): Shapes.MetaLibraryTemplateDefinition => ({
  templateName: l.templateName,
  templateLanguage: l.templateLanguage,
  templateCategory: l.templateCategory,
  templateTopic: l.templateTopic,
  templateUseCase: l.templateUseCase,
  templateIndustry: l.templateIndustry,
  ...(l.templateHeader === undefined ? {} : { templateHeader: l.templateHeader }),
  templateBody: l.templateBody,
  templateButtons: l.templateButtons.map((b) => ({
    type: b.type,
    text: b.text,
    ...(b.url === undefined ? {} : { url: b.url })
  })),
  templateId: Shapes.MetaTemplateId.make(l.templateId),
  templateBodyExampleParams: l.templateBodyExampleParams
})

const libraryFilters: Readonly<Record<string, (l: Fixtures.LibraryTemplateFixture, value: string) => boolean>> = {
  searchKey: (l, v) =>
    l.templateName.includes(v.toLowerCase()) || l.templateBody.toLowerCase().includes(v.toLowerCase()),
  topic: (l, v) => l.templateTopic === v.toUpperCase(),
  usecase: (l, v) => l.templateUseCase === v.toUpperCase(),
  industry: (l, v) => l.templateIndustry.includes(v.toUpperCase()),
  language: (l, v) => l.templateLanguage === v
}

/** What the create operations answer of a new template. */
const createdAnswer = (created: Template) => ({
  metaTemplateId: created.metaTemplateId,
  templateStatus: created.status,
  category: created.category
})

const library = Fixtures.libraryTemplates.map((l, i) => ({ ...l, sequence: i + 1 }))

/** The WABA's templates as of now, with Meta reachable for it. */
const current = (state: State, id: string) =>
  Effect.gen(function*() {
    const waba = yield* requireWaba(state, id)
    yield* metaAccess(waba)
    const now = yield* Clock.currentTimeMillis
    return { waba, now, templates: state.templates.filter((t) => t.waba === waba.id).map((t) => statusAt(t, now)) }
  })

/** The template named by `metaTemplateId`, or by name (and language when it has several). */
const pick = (
  templates: ReadonlyArray<Template>,
  input: { readonly metaTemplateId?: string; readonly templateName?: string; readonly templateLanguageCode?: string }
) => {
  if (input.metaTemplateId !== undefined) {
    const found = templates.find((t) => t.metaTemplateId === input.metaTemplateId)
    return found === undefined
      ? Effect.fail(notFound(`Template ${input.metaTemplateId} was not found.`))
      : Effect.succeed(found)
  }
  if (input.templateName === undefined) {
    return Effect.fail(invalid("Give metaTemplateId, or templateName (and templateLanguageCode)."))
  }
  const named = templates.filter((t) =>
    t.name === input.templateName &&
    (input.templateLanguageCode === undefined || t.language === input.templateLanguageCode)
  )
  const [only] = named
  return only === undefined
    ? Effect.fail(
      notFound(
        `Template ${input.templateName}${
          input.templateLanguageCode === undefined ? "" : ` (${input.templateLanguageCode})`
        } was not found.`
      )
    )
    : named.length > 1
    ? Effect.fail(
      invalid(
        `Template ${input.templateName} exists in ${
          named.map((t) => t.language).join(", ")
        }: give templateLanguageCode.`
      )
    )
    : Effect.succeed(only)
}

const add = (state: State, template: Omit<Template, "sequence" | "metaTemplateId">) =>
  Effect.gen(function*() {
    if (!languages.has(template.language)) {
      return yield* invalid(`(#100) language ${template.language} is not a language Meta supports for templates.`)
    }
    if (!categories.has(template.category)) {
      return yield* invalid(`(#100) category ${template.category} is not UTILITY, MARKETING or AUTHENTICATION.`)
    }
    const duplicate = state.templates.some((t) =>
      t.waba === template.waba && t.name === template.name && t.language === template.language
    )
    if (duplicate) {
      return yield* invalid(
        `(#192) Content in this language already exists: template ${template.name} (${template.language}).`
      )
    }
    const created: Template = {
      ...template,
      metaTemplateId: Shapes.MetaTemplateId.make(yield* decimalDigits(15)),
      sequence: state.nextSequence
    }
    return [created, {
      ...state,
      templates: [...state.templates, created],
      nextSequence: state.nextSequence + 1
    }] as const
  })

const replace = (state: State, template: Template): State => ({
  ...state,
  templates: state.templates.map((t) => t.metaTemplateId === template.metaTemplateId ? template : t)
})

const createWhatsAppMessageTemplate = ({ config, ref }: Context): Method<"CreateWhatsAppMessageTemplate"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const { now, waba } = yield* current(state, input.id)
      const json = readJson(input.templateDefinition)
      if (Either.isLeft(json)) return yield* validation(`templateDefinition: ${json.left}`)
      const definition = Schema.decodeUnknownEither(Definition, { errors: "all" })(json.right)
      if (Either.isLeft(definition)) {
        return yield* validation(`templateDefinition: ${describeIssues(definition.left)}`)
      }
      const { category, components, language, name } = definition.right
      const format = parameterFormat(definition.right.parameter_format)
      if (Either.isLeft(format)) return yield* validation(`templateDefinition.${format.left}`)
      const problem = checkComponents(category.toUpperCase(), components)
      if (problem !== undefined) return yield* validation(`templateDefinition.${problem}`)
      const [created, next] = yield* add(state, {
        waba: waba.id,
        name,
        language,
        category: category.toUpperCase(),
        status: "PENDING",
        reviewedAtMillis: now + Duration.toMillis(config.templateReviewDelay),
        outcome: name.startsWith(Fixtures.rejectedTemplatePrefix) ? "REJECTED" : "APPROVED",
        rejectedReason: undefined,
        parameterFormat: format.right,
        components,
        ctaUrlLinkTrackingOptedOut: false,
        editedAtMillis: undefined
      })
      return [createdAnswer(created), next] as const
    }))

const createWhatsAppMessageTemplateFromLibrary =
  ({ ref }: Context): Method<"CreateWhatsAppMessageTemplateFromLibrary"> => (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const { waba } = yield* current(state, input.id)
        const wanted = input.metaLibraryTemplate
        const source = library.find((l) => l.templateName === wanted.libraryTemplateName)
        if (source === undefined) {
          return yield* invalid(`${wanted.libraryTemplateName} is not a template of Meta's template library.`)
        }
        if (wanted.templateCategory !== source.templateCategory) {
          return yield* invalid(
            `Library template ${source.templateName} is ${source.templateCategory}, not ${wanted.templateCategory}.`
          )
        }
        if (!Schema.is(TemplateName)(wanted.templateName)) {
          return yield* invalid("templateName: expected lower-case letters, digits and underscores.")
        }
        const urlButton = source.templateButtons.find((b) => b.type === "URL")
        const urlInput = wanted.libraryTemplateButtonInputs?.find((b) => b.type === "URL")
        if (urlButton !== undefined && urlInput?.url === undefined) {
          return yield* invalid(
            `Library template ${source.templateName} has a URL button: give its url in libraryTemplateButtonInputs.`
          )
        }
        const [created, next] = yield* add(state, {
          waba: waba.id,
          name: wanted.templateName,
          language: wanted.templateLanguage,
          category: source.templateCategory,
          // Library templates are pre-approved by Meta.
          status: "APPROVED",
          reviewedAtMillis: undefined,
          outcome: "APPROVED",
          rejectedReason: undefined,
          parameterFormat: "POSITIONAL",
          components: [
            { type: "BODY", text: source.templateBody, example: { body_text: [source.templateBodyExampleParams] } },
            ...(source.templateButtons.length === 0 ? [] : [{ type: "BUTTONS", buttons: source.templateButtons }])
          ],
          ctaUrlLinkTrackingOptedOut: false,
          editedAtMillis: undefined
        })
        return [createdAnswer(created), next] as const
      }))

const listWhatsAppMessageTemplates = (context: Context): Method<"ListWhatsAppMessageTemplates"> => {
  const { ref } = context
  return (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.gen(function*() {
        const { templates } = yield* current(state, input.id)
        const { items, nextToken } = yield* page(context, templates, input)
        return { templates: items.map(summary), ...nextToken }
      }))
}

const getWhatsAppMessageTemplate = ({ ref }: Context): Method<"GetWhatsAppMessageTemplate"> => (input) =>
  Effect.flatMap(SynchronizedRef.get(ref), (state) =>
    Effect.gen(function*() {
      const { templates } = yield* current(state, input.id)
      const template = yield* pick(templates, input)
      return { template: metaJson(template) }
    }))

const updateWhatsAppMessageTemplate = ({ config, ref }: Context): Method<"UpdateWhatsAppMessageTemplate"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const { now, templates } = yield* current(state, input.id)
      const template = yield* pick(templates, input)
      if (template.status === "PENDING") {
        return yield* invalid(`(#100) Template ${template.name} is in review; it can be edited once reviewed.`)
      }
      const category = input.templateCategory?.toUpperCase()
      if (category !== undefined && !categories.has(category)) {
        return yield* invalid(
          `(#100) category ${input.templateCategory} is not UTILITY, MARKETING or AUTHENTICATION.`
        )
      }
      const recategorised = category !== undefined && category !== template.category
      if (template.status === "APPROVED" && recategorised) {
        return yield* invalid(`(#100) The category of approved template ${template.name} cannot be changed.`)
      }
      let components = template.components
      if (input.templateComponents !== undefined) {
        const json = readJson(input.templateComponents)
        if (Either.isLeft(json)) return yield* validation(`templateComponents: ${json.left}`)
        const decoded = Schema.decodeUnknownEither(Components, { errors: "all" })(json.right)
        if (Either.isLeft(decoded)) return yield* validation(`templateComponents: ${describeIssues(decoded.left)}`)
        const problem = checkComponents(category ?? template.category, decoded.right)
        if (problem !== undefined) return yield* validation(`templateComponents: ${problem}`)
        components = decoded.right
      }
      const format = input.parameterFormat === undefined
        ? Either.right(template.parameterFormat)
        : parameterFormat(input.parameterFormat)
      if (Either.isLeft(format)) {
        return yield* validation(format.left.replace("parameter_format", "parameterFormat"))
      }
      const review = recategorised || input.templateComponents !== undefined || input.parameterFormat !== undefined
      if (
        review && template.status === "APPROVED" && template.editedAtMillis !== undefined &&
        now - template.editedAtMillis < Duration.toMillis(Duration.days(1))
      ) {
        return yield* invalid(`(#100) Approved template ${template.name} can be edited once per 24 hours.`)
      }
      const updated: Template = {
        ...template,
        category: category ?? template.category,
        components,
        parameterFormat: format.right,
        ctaUrlLinkTrackingOptedOut: input.ctaUrlLinkTrackingOptedOut ?? template.ctaUrlLinkTrackingOptedOut,
        ...(review
          ? {
            status: "PENDING",
            reviewedAtMillis: now + Duration.toMillis(config.templateReviewDelay),
            outcome: template.name.startsWith(Fixtures.rejectedTemplatePrefix) ? "REJECTED" : "APPROVED",
            rejectedReason: undefined,
            editedAtMillis: template.status === "APPROVED" ? now : template.editedAtMillis
          }
          : {})
      }
      return [{}, replace(state, updated)] as const
    }))

const deleteWhatsAppMessageTemplate = ({ ref }: Context): Method<"DeleteWhatsAppMessageTemplate"> => (input) =>
  SynchronizedRef.modifyEffect(ref, (state) =>
    Effect.gen(function*() {
      const { waba, templates } = yield* current(state, input.id)
      const named = templates.filter((t) => t.name === input.templateName)
      const deletedKey = (suffix: string) => `template:${waba.id}:${suffix}`
      const doomed = input.deleteAllLanguages === true
        ? named
        : input.metaTemplateId !== undefined
        ? named.filter((t) => t.metaTemplateId === input.metaTemplateId)
        : named
      if (doomed.length === 0) {
        const before = state.deleted.has(deletedKey(input.metaTemplateId ?? input.templateName))
        return before
          ? [{}, state] as const
          : yield* notFound(
            `Template ${input.templateName}${
              input.metaTemplateId === undefined ? "" : ` (${input.metaTemplateId})`
            } was not found.`
          )
      }
      if (input.deleteAllLanguages !== true && input.metaTemplateId === undefined && doomed.length > 1) {
        return yield* invalid(
          `Template ${input.templateName} exists in ${doomed.map((t) => t.language).join(", ")}: give ` +
            "metaTemplateId to delete one language, or deleteAllLanguages to delete them all."
        )
      }
      const ids = new Set<string>(doomed.map((t) => t.metaTemplateId))
      const deleted = new Set(state.deleted)
      for (const t of doomed) deleted.add(deletedKey(t.metaTemplateId))
      if (doomed.length === named.length) deleted.add(deletedKey(input.templateName))
      return [{}, {
        ...state,
        deleted,
        templates: state.templates.filter((t) => !ids.has(t.metaTemplateId))
      }] as const
    }))

const listWhatsAppTemplateLibrary = (context: Context): Method<"ListWhatsAppTemplateLibrary"> => {
  const { ref } = context
  return (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.gen(function*() {
        yield* current(state, input.id)
        const filters = Object.entries(input.filters ?? {})
        for (const [key] of filters) {
          if (!Predicate.hasProperty(libraryFilters, key)) {
            return yield* invalid(
              `filters: ${key} is not a filter (${Object.keys(libraryFilters).join(", ")}).`
            )
          }
        }
        const matching = library.filter((l) =>
          filters.every(([key, value]) => libraryFilters[key]?.(l, value) === true)
        )
        const { items, nextToken } = yield* page(context, matching, input)
        return { metaLibraryTemplates: items.map(libraryDefinition), ...nextToken }
      }))
}

/** The template operations. */
export const make = (context: Context): Methods<Operation> => ({
  createWhatsAppMessageTemplate: createWhatsAppMessageTemplate(context),
  createWhatsAppMessageTemplateFromLibrary: createWhatsAppMessageTemplateFromLibrary(context),
  listWhatsAppMessageTemplates: listWhatsAppMessageTemplates(context),
  getWhatsAppMessageTemplate: getWhatsAppMessageTemplate(context),
  updateWhatsAppMessageTemplate: updateWhatsAppMessageTemplate(context),
  deleteWhatsAppMessageTemplate: deleteWhatsAppMessageTemplate(context),
  listWhatsAppTemplateLibrary: listWhatsAppTemplateLibrary(context)
})
