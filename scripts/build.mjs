// Builds what the packages' `exports` promise: ES modules under build/esm and declarations with declaration
// maps under build/dts, for every workspace package (`tsc -b tsconfig.build.json`, incremental), then the
// CLI's esbuild bundle (dist/, its bin). `--no-bundle` builds the libraries only.
//
// tsc -b never deletes the outputs of a removed source file, and `npm pack` would ship them: outputs with no
// source left are removed here, so an incremental build packs the same files as a clean one.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, rmSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const packages = ["domain", "http-client", "sandbox", "cli"]

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const files = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) =>
      join(e.parentPath, e.name)
    )
    : []

const started = performance.now()
run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.build.json"])

for (const name of packages) {
  const dir = join(root, "packages", name)
  const sources = new Set(files(join(dir, "src")).map((f) => relative(join(dir, "src"), f).replace(/\.ts$/, "")))
  for (const out of ["esm", "dts"]) {
    const base = join(dir, "build", out)
    for (const file of files(base)) {
      const stem = relative(base, file).replace(/\.(js|d\.ts)(\.map)?$/, "")
      if (!sources.has(stem)) rmSync(file)
    }
  }
}
const millis = Math.round(performance.now() - started)
console.error(`built build/esm and build/dts of ${packages.length} packages in ${millis} ms`)

if (!process.argv.includes("--no-bundle")) run("npm", ["run", "build", "-w", "@social-messaging/cli"])
