#!/usr/bin/env node
// The `social-messaging` bin, committed so that `npm ci` can link it before anything is built.
// It runs the build's `dist/bin.js` (built by `npm run build -w @social-messaging/cli`, which the root
// `prepare` script runs during `npm ci`): the esbuild bundle `dist/cli.cjs` with the V8 code cache the
// build produced for it (`dist/cli.cache`, see scripts/code-cache.cjs). Without a build it runs the
// TypeScript sources through tsx instead: slower to start, but a fresh checkout still works.
//
// `--help` and `--version` (alone, or after a command name) print the texts the build rendered from the
// same bundle (dist/help.json) without loading the CLI: they are what a new user runs first and most.
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const bundle = new URL("../dist/bin.js", import.meta.url)
const args = process.argv.slice(2)
const last = args[args.length - 1]
if ((last === "--help" || last === "-h" || (last === "--version" && args.length === 1)) && args.length <= 3) {
  const key = [...args.slice(0, -1), last === "-h" ? "--help" : last].join(" ")
  let texts
  try {
    texts = JSON.parse(readFileSync(new URL("../dist/help.json", import.meta.url), "utf8"))
  } catch {
    texts = undefined
  }
  const text = texts?.[key]
  if (typeof text === "string") {
    process.stdout.write(text)
    process.exit(0)
  }
}
if (existsSync(bundle)) {
  // What dist/bin.js does, without loading it as one more ES module (a few ms of every start).
  const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url))
  createRequire(import.meta.url)(dist("code-cache.cjs")).run(dist("cli.cjs"), dist("cli.cache"))
} else {
  // Imported here only: node:child_process (and node:net under it) costs a call ~13 ms to load.
  const { spawnSync } = await import("node:child_process")
  const source = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
  const result = spawnSync(
    process.execPath,
    ["--conditions=@social-messaging/source", "--import", import.meta.resolve("tsx"), source, ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  process.exitCode = result.status ?? 255
}
