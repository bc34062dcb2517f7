// Bundles the CLI with esbuild, minified, workspace packages from their TypeScript sources (through the
// `@social-messaging/source` export condition):
//
// - dist/cli.cjs, the CLI: one CommonJS script, not an ES module: dist/bin.js (what the launcher runs)
//   compiles it through `vm.Script` (scripts/code-cache.cjs, copied to dist/code-cache.cjs), so that V8's
//   code cache can skip compiling it; Node 20 has no compile cache for ES modules. Each command still loads only what it needs: the sandbox server, the HTTP stack, the guided
//   association and the message builders are dynamic imports, which esbuild keeps as functions that run
//   their modules only when called. @effect/cli's file parsers (yaml, toml, ini: for config files, which the
//   CLI does not read) and effect's fast-check (for `Arbitrary`) are replaced by stubs that load them
//   (dist/parsers.cjs, dist/fast-check.cjs) when used (`lazyParsers`, `lazyFastCheck` below).
// - dist/cli.cache: V8's code cache for dist/cli.cjs, produced by running one AWS call
//   (`list-linked-whatsapp-business-accounts`, against a stand-in server on 127.0.0.1) through the same
//   loader, so that it holds the functions a call compiles. See scripts/code-cache.cjs for when V8 rejects it.
// - dist/help.json: what `--help` and `--version` print, rendered once from the same sources
//   (scripts/render-help.ts), which the launcher prints without loading the CLI.
// - dist/demo.js (`npm start`), an ES module with its chunks.
//
// The AWS SDK credential chain stays external: it is imported lazily, only when no environment
// credentials are set.
import * as esbuild from "esbuild"
import { spawn, spawnSync } from "node:child_process"
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const outdir = `${root}dist`
rmSync(outdir, { recursive: true, force: true })
const started = performance.now()

const common = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  // Listing conditions drops esbuild's default `module`: named again so ESM builds (tree-shakable) are used.
  conditions: ["@social-messaging/source", "module"],
  // The ES module builds of packages without an `exports` map, too (esbuild's default for Node is `main`, their
  // CommonJS build): @smithy/signature-v4's, @aws-sdk/util-endpoints' and others' CommonJS builds require
  // whole indexes of @smithy/core and @aws-sdk/core (the SDK's user-agent parser among them) that nothing
  // can shake off, and all of it runs at every start.
  mainFields: ["module", "main"],
  external: ["@aws-sdk/credential-provider-node"],
  legalComments: "none",
  logLevel: "warning"
}

/**
 * @effect/cli imports yaml, toml and ini at its top level for `Options.fileParse`/`Args.fileParse`, which
 * the CLI never uses: ~150 KB of code the bin would compile on every start. Each is replaced by a module
 * whose `parse` loads the real parser (bundled into dist/parsers.cjs) on its first call, with the same
 * result.
 */
const lazyParsers = {
  name: "lazy-parsers",
  setup(build) {
    build.onResolve(
      { filter: /^(yaml|toml|ini)$/ },
      (args) => args.importer.includes("@effect/cli") ? { path: args.path, namespace: "lazy-parser" } : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "lazy-parser" }, (args) => ({
      contents: `export const parse = (text) => require("./parsers.cjs").${args.path}.parse(text)`,
      loader: "js"
    }))
  }
}

/**
 * effect/Schema imports fast-check (through effect/FastCheck, for `Arbitrary`) at its top level, and the CLI
 * never makes an arbitrary: ~100 KB that every start would compile and run. fast-check is replaced by a
 * module whose exports, the same names, are the real ones (dist/fast-check.cjs) loaded on first access.
 */
const fastCheckNames = Object.keys(createRequire(import.meta.url)("fast-check")).filter((name) => name !== "default")
const lazyFastCheck = {
  name: "lazy-fast-check",
  setup(build) {
    build.onResolve(
      { filter: /^fast-check$/ },
      (args) => args.importer.includes("effect") ? { path: "fast-check", namespace: "lazy-fast-check" } : undefined
    )
    build.onLoad({ filter: /.*/, namespace: "lazy-fast-check" }, () => ({
      contents: [
        `const names = ${JSON.stringify(fastCheckNames)}`,
        `let real`,
        `const load = () => (real ??= require("./fast-check.cjs"))`,
        `module.exports = new Proxy({}, {`,
        `  ownKeys: () => names,`,
        `  getOwnPropertyDescriptor: (_, name) =>`,
        `    names.includes(name) ? { value: undefined, writable: true, enumerable: true, configurable: true } : undefined,`,
        `  has: (_, name) => names.includes(name),`,
        `  get: (_, name) => (names.includes(name) ? load()[name] : undefined)`,
        `})`
      ].join("\n"),
      loader: "js"
    }))
  }
}

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { cli: "src/bin.ts" },
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    external: [...common.external, "./parsers.cjs", "./fast-check.cjs"],
    plugins: [lazyParsers, lazyFastCheck]
  }),
  esbuild.build({
    ...common,
    stdin: {
      contents: `export * as yaml from "yaml"; export * as toml from "toml"; export * as ini from "ini"`,
      resolveDir: root,
      loader: "js"
    },
    outfile: `${outdir}/parsers.cjs`,
    outdir: undefined,
    format: "cjs"
  }),
  esbuild.build({
    ...common,
    entryPoints: { "fast-check": "fast-check" },
    outExtension: { ".js": ".cjs" },
    format: "cjs"
  }),
  esbuild.build({
    ...common,
    entryPoints: { demo: "scripts/demo.ts", "render-help": "scripts/render-help.ts" },
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    // Some bundled CommonJS dependencies call require() for Node built-ins.
    banner: {
      js: "import{createRequire as __cjsRequire}from\"node:module\";const require=__cjsRequire(import.meta.url);"
    }
  })
])

// src/bin.ts's hashbang, which esbuild keeps, is not JavaScript inside the function vm.Script compiles.
const cli = readFileSync(`${outdir}/cli.cjs`, "utf8")
if (cli.startsWith("#!")) writeFileSync(`${outdir}/cli.cjs`, `//${cli.slice(2)}`)
const codeCache = `${outdir}/code-cache.cjs`
copyFileSync(fileURLToPath(new URL("code-cache.cjs", import.meta.url)), codeCache)
writeFileSync(
  `${outdir}/bin.js`,
  [
    "#!/usr/bin/env node",
    "// Runs the CLI (cli.cjs) with its code cache (cli.cache): see code-cache.cjs. Built by scripts/build.mjs.",
    `import{createRequire}from"node:module";import{fileURLToPath}from"node:url";`,
    `const at=(f)=>fileURLToPath(new URL(f,import.meta.url));`,
    `createRequire(import.meta.url)("./code-cache.cjs").run(at("./cli.cjs"),at("./cli.cache"));`,
    ""
  ].join("\n"),
  { mode: 0o755 }
)

const rendered = spawnSync(process.execPath, [`${outdir}/render-help.js`, `${outdir}/help.json`], {
  encoding: "utf8",
  env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" }
})
if (rendered.status !== 0) throw new Error(`rendering the help texts failed:\n${rendered.stderr}`)
rmSync(`${outdir}/render-help.js`)

// The code cache: one call through bin/code-cache.cjs, against a server that answers it as the service
// would (no accounts linked), with static credentials and an empty home (no profile is read). The child
// gets no NODE_OPTIONS: V8 flags must be those of a plain `node` for the cache to be accepted.
const server = createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json" })
    response.end(JSON.stringify({ linkedAccounts: [] }))
  })
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const address = server.address()
const home = mkdtempSync(join(tmpdir(), "social-messaging-build-"))
const produced = await new Promise((resolve) => {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `require(${JSON.stringify(codeCache)}).run(${JSON.stringify(`${outdir}/cli.cjs`)}, ` +
      `${JSON.stringify(`${outdir}/cli.cache`)}, { produce: true })`,
      "--",
      "social-messaging",
      "list-linked-whatsapp-business-accounts"
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        AWS_ENDPOINT_URL_SOCIALMESSAGING: `http://127.0.0.1:${typeof address === "object" ? address?.port : ""}`,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "AKIABUILDCODECACHE01",
        AWS_SECRET_ACCESS_KEY: "build-code-cache",
        AWS_MAX_ATTEMPTS: "1",
        AWS_EC2_METADATA_DISABLED: "true"
      },
      stdio: ["ignore", "ignore", "pipe"]
    }
  )
  let stderr = ""
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk))
  child.once("exit", (code) => resolve({ code, stderr }))
})
server.close()
rmSync(home, { recursive: true, force: true })
if (produced.code !== 0) throw new Error(`producing the code cache failed (${produced.code}):\n${produced.stderr}`)
const checked = spawnSync(
  process.execPath,
  [
    "-e",
    `process.exitCode = require(${JSON.stringify(codeCache)}).accepted(${JSON.stringify(`${outdir}/cli.cjs`)}, ` +
    `${JSON.stringify(`${outdir}/cli.cache`)}) ? 0 : 1`
  ],
  { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" }
)
if (checked.status !== 0) {
  throw new Error(`V8 rejects the code cache the build produced (dist/cli.cache)\n${checked.stderr}`)
}

const kib = (file) => `${(statSync(`${outdir}/${file}`).size / 1024).toFixed(0)} KiB`
console.error(
  `built ${outdir} in ${Math.round(performance.now() - started)} ms ` +
    `(cli.cjs ${kib("cli.cjs")}, cli.cache ${kib("cli.cache")})`
)
