/** Flag constructors shared by the commands: optional and repeatable text flags with a placeholder. */
import { Options } from "@effect/cli"

/** `--name PLACEHOLDER`, optional. */
export const optionalText = (name: string, placeholder: string, description: string) =>
  Options.text(name).pipe(Options.withPseudoName(placeholder), Options.withDescription(description), Options.optional)

/** `--name PLACEHOLDER`, repeatable; none given is an empty list. */
export const repeatedText = (name: string, placeholder: string, description: string) =>
  Options.text(name).pipe(
    Options.withPseudoName(placeholder),
    Options.withDescription(description),
    Options.repeated,
    Options.withDefault<ReadonlyArray<string>>([])
  )
