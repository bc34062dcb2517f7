/**
 * Printing results: the operation's output in the API's member names (its Schema encoding), with every
 * secret replaced by `<redacted>` and timestamps in ISO 8601 (as the AWS CLI prints them, rather than the
 * wire's epoch seconds), as JSON (default), a table, or the AWS CLI's tab-separated text.
 */
import { Console, DateTime, Effect, Predicate, Redacted, Schema } from "effect"

/** `--output`. */
export const formats = ["json", "table", "text"] as const
export type Format = (typeof formats)[number]

/** What a secret is printed as, in every format. */
export const redactedText = "<redacted>"

// =============================================================================
// Redaction
// =============================================================================

/**
 * Walks the typed value and its encoding side by side (member names are the same on both sides in this
 * API) and replaces, in the encoding, every value that is `Redacted` in the typed value, and every
 * timestamp (`DateTime`) by its ISO 8601 form.
 */
const redactAlong = (typed: unknown, encoded: unknown): unknown => {
  if (Redacted.isRedacted(typed)) return redactedText
  if (DateTime.isDateTime(typed)) return DateTime.formatIso(typed)
  if (Array.isArray(encoded)) {
    return encoded.map((item: unknown, i) => redactAlong(Array.isArray(typed) ? typed[i] : undefined, item))
  }
  if (Predicate.isRecord(encoded)) {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(encoded)) {
      out[key] = redactAlong(Predicate.isRecord(typed) ? typed[key] : undefined, value)
    }
    return out
  }
  return encoded
}

/** A typed value in its wire form (the API's member names and encodings), secrets redacted. */
export const display = <A, I>(schema: Schema.Schema<A, I>, value: A): Effect.Effect<unknown> =>
  Schema.encode(schema)(value).pipe(
    Effect.map((encoded) => redactAlong(value, encoded)),
    // The value was decoded by the same schema (or built and validated by the client): encoding cannot fail.
    Effect.orDie
  )

// =============================================================================
// Rendering
// =============================================================================

const isScalar = (u: unknown): u is string | number | boolean | null =>
  u === null || typeof u === "string" || typeof u === "number" || typeof u === "boolean"

const scalarText = (u: string | number | boolean | null): string => (u === null ? "None" : String(u))

/** JSON with the AWS CLI's 4-space indentation. */
export const renderJson = (document: unknown): string => JSON.stringify(document, null, 4)

/**
 * The AWS CLI's `text` format: the scalars of an object on one tab-separated line, prefixed by the
 * upper-cased member name it sits under; nested objects and lists follow on their own lines.
 */
export const renderText = (document: unknown): string => {
  const lines: Array<string> = []
  const walk = (value: unknown, name: string | undefined): void => {
    if (isScalar(value)) {
      lines.push(name === undefined ? scalarText(value) : `${name}\t${scalarText(value)}`)
    } else if (Array.isArray(value)) {
      if (value.every(isScalar)) {
        if (value.length > 0) lines.push([...(name === undefined ? [] : [name]), ...value.map(scalarText)].join("\t"))
      } else {
        for (const item of value) walk(item, name)
      }
    } else if (Predicate.isRecord(value)) {
      const keys = Object.keys(value).sort()
      const scalars = keys.flatMap((key) => {
        const member = value[key]
        return isScalar(member) ? [scalarText(member)] : []
      })
      if (scalars.length > 0) lines.push([...(name === undefined ? [] : [name]), ...scalars].join("\t"))
      for (const key of keys) {
        const member = value[key]
        if (!isScalar(member)) walk(member, key.toUpperCase())
      }
    }
  }
  walk(document, undefined)
  return lines.join("\n")
}

/** A box of rows, the first one a header when `header`. */
export const box = (rows: ReadonlyArray<ReadonlyArray<string>>, header: boolean): Array<string> => {
  const widths: Array<number> = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`
  const line = (row: ReadonlyArray<string>) => `|${widths.map((w, i) => ` ${(row[i] ?? "").padEnd(w)} `).join("|")}|`
  const out = [rule]
  rows.forEach((row, i) => {
    out.push(line(row))
    if (header && i === 0) out.push(rule)
  })
  out.push(rule)
  return out
}

/**
 * A table per object: a key/value box for its scalar members, a column box for lists of flat objects,
 * and one titled section per nested object, titled with its path (`account.phoneNumbers`).
 */
export const renderTable = (document: unknown, title: string): string => {
  const sections: Array<string> = []
  const section = (path: string, rows: ReadonlyArray<ReadonlyArray<string>>, header: boolean) => {
    sections.push([...(path === "" ? [] : [path]), ...box(rows, header)].join("\n"))
  }
  const walk = (value: unknown, path: string): void => {
    if (isScalar(value)) {
      section(path, [[scalarText(value)]], false)
    } else if (Array.isArray(value)) {
      if (value.length === 0) return
      if (value.every(isScalar)) {
        section(path, value.map((item) => [scalarText(item)]), false)
        return
      }
      const records = value.filter(Predicate.isRecord)
      const columns = [
        ...new Set(records.flatMap((record) => Object.keys(record).filter((key) => isScalar(record[key]))))
      ]
      if (columns.length > 0) {
        section(path, [
          columns,
          ...records.map((record) =>
            columns.map((column) => {
              const cell = record[column]
              return isScalar(cell) ? scalarText(cell) : ""
            })
          )
        ], true)
      }
      records.forEach((record, i) => {
        for (const [key, member] of Object.entries(record)) {
          if (!isScalar(member)) walk(member, `${path}[${i}].${key}`)
        }
      })
    } else if (Predicate.isRecord(value)) {
      const entries = Object.entries(value)
      const scalars = entries.flatMap(([key, member]) => (isScalar(member) ? [[key, scalarText(member)]] : []))
      const listsOfScalars = entries.flatMap(([key, member]) =>
        Array.isArray(member) && member.length > 0 && member.every(isScalar)
          ? [[key, member.map(scalarText).join(", ")]]
          : []
      )
      const rows = [...scalars, ...listsOfScalars]
      if (rows.length > 0) section(path, rows, false)
      for (const [key, member] of entries) {
        if (!isScalar(member) && !(Array.isArray(member) && member.every(isScalar))) {
          walk(member, path === "" ? key : `${path}.${key}`)
        }
      }
    }
  }
  walk(document, "")
  return [title, ...(sections.length === 0 ? ["(no members)"] : sections)].join("\n")
}

/** Renders a wire-form document in the chosen format. */
export const render = (format: Format, document: unknown, title: string): string =>
  format === "json" ? renderJson(document) : format === "text" ? renderText(document) : renderTable(document, title)

/** Prints an operation's typed output on standard output, in the chosen format, secrets redacted. */
export const printOutput = <A, I>(format: Format, schema: Schema.Schema<A, I>, value: A, title: string) =>
  Effect.flatMap(display(schema, value), (document) => Console.log(render(format, document, title)))

/** Prints a wire-form document (already redacted) on standard output. */
export const printDocument = (format: Format, document: unknown, title: string) =>
  Console.log(render(format, document, title))

/** A line for the operator on standard error (progress, warnings): never part of the result. */
export const note = (text: string) => Console.error(text)
