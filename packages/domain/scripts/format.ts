/**
 * Formats generated TypeScript the way `npm run check` demands of every file: dprint's TypeScript plugin with
 * the repository's dprint.json (the configuration the `@effect/dprint` lint rule applies), so a generated file
 * is byte-identical to what `npm run fmt` would make of it.
 */
import { createFromBuffer } from "@dprint/formatter"
import { getPath } from "@dprint/typescript"
import { readFileSync } from "node:fs"

const config: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../../../dprint.json", import.meta.url), "utf8")
)

let formatter: ReturnType<typeof createFromBuffer> | undefined

/** The text as dprint formats it; `filePath` only tells the plugin the language (its extension). */
export const format = (filePath: string, fileText: string): string => {
  formatter ??= createFromBuffer(readFileSync(getPath()))
  return formatter.formatText({ filePath, fileText, overrideConfig: config })
}
