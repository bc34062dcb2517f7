// Bundles the CLI with esbuild: dist/bin.js (the bin) and dist/demo.js (`npm start`), ESM for Node,
// minified, code-split so that each command loads only what it needs (the sandbox server, the HTTP stack,
// the guided association and the message builders are chunks of their own). Then it renders what
// `--help` and `--version` print into dist/help.json (scripts/render-help.ts, run once from the same
// bundle), which the launcher prints without loading the CLI. Workspace packages are bundled from their TypeScript sources through the
// `@social-messaging/source` export condition. The AWS SDK credential chain stays external: it is
// imported lazily, only when no environment credentials are set.
import * as esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const outdir = `${root}dist`
rmSync(outdir, { recursive: true, force: true })
const started = performance.now()
await esbuild.build({
  absWorkingDir: root,
  entryPoints: { bin: "src/bin.ts", demo: "scripts/demo.ts", "render-help": "scripts/render-help.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // Listing conditions drops esbuild's default `module`: named again so ESM builds (tree-shakable) are used.
  conditions: ["@social-messaging/source", "module"],
  external: ["@aws-sdk/credential-provider-node"],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import{createRequire as __cjsRequire}from\"node:module\";const require=__cjsRequire(import.meta.url);"
  },
  legalComments: "none",
  logLevel: "warning"
})
const rendered = spawnSync(process.execPath, [`${outdir}/render-help.js`, `${outdir}/help.json`], {
  encoding: "utf8",
  env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }
})
if (rendered.status !== 0) throw new Error(`rendering the help texts failed:\n${rendered.stderr}`)
rmSync(`${outdir}/render-help.js`)
console.error(`built ${outdir} in ${Math.round(performance.now() - started)} ms`)
