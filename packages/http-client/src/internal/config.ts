/** `Config` helpers shared by the modules that read the AWS standard variables. */
import * as Config from "effect/Config"
import * as Option from "effect/Option"

/** An optional variable, trimmed; empty or blank counts as unset (as in the AWS SDKs). */
export const optionalString = (name: string): Config.Config<Option.Option<string>> =>
  Config.option(Config.string(name)).pipe(
    Config.map(Option.map((value) => value.trim())),
    Config.map(Option.filter((value) => value !== ""))
  )
