#!/usr/bin/env node
// The `social-messaging` bin, committed so that `npm ci` can link it before anything is built.
// It runs the esbuild bundle `dist/bin.js` (built by `npm run build -w @social-messaging/cli`, which the
// root `prepare` script runs during `npm ci`). Without a bundle it runs the TypeScript sources through
// tsx instead: slower to start, but a fresh checkout still works.
//
// `--help` and `--version` (alone, or after a command name) print the texts the build rendered from the
// same bundle (dist/help.json) without loading the CLI: they are what a new user runs first and most.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import * as Module from "node:module"
import { fileURLToPath } from "node:url"

// Node 22.1+ keeps the compiled bundle in its on-disk compile cache, so later runs skip most of the
// compilation (Node 20 has no such cache for ES modules: the call is then a no-op).
Module.enableCompileCache?.()

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
  await import(bundle.href)
} else {
  const source = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
  const result = spawnSync(
    process.execPath,
    ["--conditions=@social-messaging/source", "--import", import.meta.resolve("tsx"), source, ...process.argv.slice(2)],
    { stdio: "inherit" }
  )
  process.exitCode = result.status ?? 255
}
