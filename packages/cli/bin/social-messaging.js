#!/usr/bin/env node
// The `social-messaging` bin, committed so that `npm ci` can link it before anything is built.
// It runs the esbuild bundle `dist/bin.js` (built by `npm run build -w @social-messaging/cli`, which the
// root `prepare` script runs during `npm ci`). Without a bundle it runs the TypeScript sources through
// tsx instead: slower to start, but a fresh checkout still works.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"

const bundle = new URL("../dist/bin.js", import.meta.url)
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
