/**
 * `send-whatsapp-message`'s builder flags, so the common messages need no hand-written Meta JSON: a text
 * (`--to +4915… --text "…"`) or an approved template (`--to … --template NAME --language en_US
 * --parameters …`), built and checked by the typed builders of `WhatsAppMessage`. `--message` (a blob:
 * `fileb://PATH`, `file://PATH` or the JSON itself) and `--cli-input-json` still take any message.
 */
import { Options } from "@effect/cli"
import * as Operations from "@social-messaging/domain/Operations"
import * as WhatsAppMessage from "@social-messaging/domain/WhatsAppMessage"
import type { ParseResult } from "effect"
import { Effect, Encoding, Option, Schema } from "effect"
import { InputError } from "./CliError.js"
import type * as OperationCommand from "./OperationCommand.js"

/** The Meta API version sent when the builders are used and `--meta-api-version` is not given. */
export const defaultMetaApiVersion = "v20.0"

/** The builder flags. */
export interface Flags {
  readonly to: Option.Option<string>
  readonly text: Option.Option<string>
  readonly previewUrl: boolean
  readonly template: Option.Option<string>
  readonly language: Option.Option<string>
  readonly parameters: ReadonlyArray<string>
  readonly namedParameters: ReadonlyArray<string>
  readonly replyTo: Option.Option<string>
}

const text = (name: string, placeholder: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(placeholder), Options.withDescription(description), Options.optional)

const options: Options.Options<Flags> = Options.all({
  to: text("to", "PHONE", "Builder: the recipient, a phone number with country code (+4915…) or a WhatsApp id."),
  text: text("text", "BODY", "Builder: a text message with this body (1-4096 characters)."),
  previewUrl: Options.boolean("preview-url").pipe(
    Options.withDescription("Builder: with --text, ask WhatsApp to preview the first URL in the body.")
  ),
  template: text("template", "NAME", "Builder: a template message, by the approved template's name."),
  language: text("language", "CODE", "Builder: the template's language code, e.g. en_US (required with --template)."),
  parameters: Options.text("parameters").pipe(
    Options.withPseudoName("VALUE"),
    Options.withDescription(
      "Builder: the template's body parameters in order: one text per flag (repeat it), or a JSON list of " +
        "parameter objects ({\"type\":\"text\",\"text\":\"…\"}, currency, date_time)."
    ),
    Options.repeated,
    Options.withDefault<ReadonlyArray<string>>([])
  ),
  namedParameters: Options.text("named-parameters").pipe(
    Options.withPseudoName("NAME=VALUE"),
    Options.withDescription(
      "Builder: body parameters of a template with named parameters ({{order_id}}): NAME=VALUE[,NAME=VALUE] " +
        "(the flag repeats), after any --parameters."
    ),
    Options.repeated,
    Options.withDefault<ReadonlyArray<string>>([])
  ),
  replyTo: text("reply-to", "MESSAGE_ID", "Builder: reply to this message (wamid.…).")
})

/** `--named-parameters order_id=A-1001,name=Ada`: text parameters with their `parameter_name`. */
const namedParameters = (values: ReadonlyArray<string>) =>
  Effect.forEach(values.flatMap((value) => value.split(/,(?=\s*[A-Za-z_][A-Za-z0-9_]*=)/)), (pair) => {
    const eq = pair.indexOf("=")
    const name = pair.slice(0, eq).trim()
    return eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
      ? Effect.fail(new InputError({ detail: `--named-parameters: expected NAME=VALUE, got "${pair}"` }))
      : Effect.succeed<WhatsAppMessage.BodyParameter>({ type: "text", parameter_name: name, text: pair.slice(eq + 1) })
  })

const JsonText = Schema.parseJson(Schema.Array(WhatsAppMessage.BodyParameter))

/** The body parameters: texts, or JSON lists of parameter objects. */
const bodyParameters = (values: ReadonlyArray<string>) =>
  Effect.map(
    Effect.forEach(values, (value): Effect.Effect<ReadonlyArray<string | WhatsAppMessage.BodyParameter>, InputError> =>
      value.trim().startsWith("[")
        ? Schema.decodeUnknown(JsonText)(value).pipe(
          Effect.mapError((error) =>
            new InputError({ detail: `--parameters: ${describe(error)}` })
          )
        )
        : Effect.succeed([value])),
    (lists) => lists.flat()
  )

const describe = (error: ParseResult.ParseError): string =>
  Operations.violations(error).map((v) => `${v.path === "" ? "message" : v.path}: ${v.message}`).join("; ")

/** The message the builder flags describe, or `None` when none was given. */
const build = (flags: Flags): Effect.Effect<Option.Option<WhatsAppMessage.Message>, InputError> =>
  Effect.gen(function*() {
    const used = [
      ["--text", Option.isSome(flags.text)],
      ["--template", Option.isSome(flags.template)],
      ["--language", Option.isSome(flags.language)],
      ["--parameters", flags.parameters.length > 0],
      ["--named-parameters", flags.namedParameters.length > 0],
      ["--preview-url", flags.previewUrl]
    ] as const
    const given = used.filter(([, on]) => on).map(([name]) => name)
    if (given.length === 0) {
      if (Option.isSome(flags.to) || Option.isSome(flags.replyTo)) {
        return yield* new InputError({ detail: "--to and --reply-to need --text or --template (or use --message)" })
      }
      return Option.none()
    }
    if (Option.isNone(flags.to)) return yield* new InputError({ detail: `${given.join(", ")}: --to is required` })
    const addressed = {
      to: flags.to.value,
      ...Option.match(flags.replyTo, { onNone: () => ({}), onSome: (replyTo) => ({ replyTo }) })
    }
    if (Option.isSome(flags.text)) {
      const others = given.filter((name) => name !== "--text" && name !== "--preview-url")
      if (others.length > 0) {
        return yield* new InputError({ detail: `--text cannot be combined with ${others.join(", ")}` })
      }
      return Option.some(
        WhatsAppMessage.text({
          ...addressed,
          body: flags.text.value,
          ...(flags.previewUrl ? { previewUrl: true } : {})
        })
      )
    }
    if (Option.isNone(flags.template)) {
      return yield* new InputError({ detail: `${given.join(", ")}: needs --template NAME (or --text)` })
    }
    if (flags.previewUrl) return yield* new InputError({ detail: "--preview-url goes with --text" })
    if (Option.isNone(flags.language)) return yield* new InputError({ detail: "--template: --language is required" })
    const body = [...yield* bodyParameters(flags.parameters), ...yield* namedParameters(flags.namedParameters)]
    return Option.some(WhatsAppMessage.template({
      ...addressed,
      name: flags.template.value,
      language: flags.language.value,
      ...(body.length === 0 ? {} : { body })
    }))
  })

/** `send-whatsapp-message`'s extension of the generated command. */
export const extension: OperationCommand.Extension<Flags> = {
  options,
  description: "Besides --message (fileb://PATH, file://PATH or the JSON), builds the common messages: " +
    "--to PHONE --text BODY, or --to PHONE --template NAME --language CODE [--parameters V]... " +
    "[--named-parameters NAME=V]... " +
    `(--meta-api-version defaults to ${defaultMetaApiVersion} with them).`,
  apply: (flags, document) =>
    Effect.flatMap(build(flags), (message) =>
      Option.match(message, {
        onNone: () => Effect.succeed(document),
        onSome: (built) =>
          document["message"] !== undefined
            ? Effect.fail(
              new InputError({
                detail: "--message (or message in --cli-input-json) cannot be combined with the builder flags"
              })
            )
            : WhatsAppMessage.encode(built).pipe(
              Effect.mapError((error) => new InputError({ detail: `the message: ${describe(error)}` })),
              Effect.map((bytes) => ({
                ...document,
                message: Encoding.encodeBase64(bytes),
                metaApiVersion: document["metaApiVersion"] ?? defaultMetaApiVersion
              }))
            )
      }))
}
