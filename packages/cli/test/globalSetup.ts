/**
 * Builds the bundle the spawned-process tests run (`dist/bin.js`), unless it is newer than every source
 * it is built from (the CLI's, the workspace packages' and the build script).
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const cli = fileURLToPath(new URL("..", import.meta.url))
const packages = join(cli, "..")

const newest = (dir: string): number => {
  if (!existsSync(dir)) return 0
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

export default function setup(): void {
  const bundle = join(cli, "dist", "bin.js")
  const sources = Math.max(
    ...["domain", "http-client", "sandbox", "cli"].map((name) => newest(join(packages, name, "src"))),
    newest(join(cli, "scripts"))
  )
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return
  const result = spawnSync(process.execPath, [join(cli, "scripts", "build.mjs")], { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`building the CLI bundle failed:\n${result.stderr}`)
}
