/**
 * esbuild builds of the bench: the throughput workers (one bundle per client, so a process holds only its
 * client's code) and the AssociateWhatsAppBusinessAccount programs measured for size and cold start.
 */
import * as esbuild from "esbuild"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

/** The bench folder, and where builds go (`bench/dist`, ignored by git). */
export const benchDir = Path.dirname(fileURLToPath(import.meta.url))
export const rootDir = Path.dirname(benchDir)
export const distDir = Path.join(benchDir, "dist")

/** Worker entries, by client name (see workers/*.ts). */
export const workerNames = [
  "effect-undici",
  "effect-undici-no-timeouts",
  "effect-undici-soak",
  "effect-platform-undici",
  "effect-node-http",
  "effect-fetch",
  "sdk",
  "platform-undici",
  "raw-undici",
  "raw-node-http"
] as const
export type WorkerName = (typeof workerNames)[number]

/** Program entries (one AssociateWhatsAppBusinessAccount), by variant (see programs/*.ts). */
export const programNames = [
  "effect-undici",
  "effect-node-http",
  "effect-fetch",
  "effect-service-node-http",
  "effect-floor-undici",
  "effect-floor-node-http",
  "effect-floor-fetch",
  "effect-floor-aws-node-http",
  "sdk"
] as const
export type ProgramName = (typeof programNames)[number]

// CommonJS dependencies (undici, parts of the SDK) call `require` for Node built-ins; an ESM bundle needs one.
const banner = `import { createRequire as __benchCreateRequire } from "node:module";` +
  `const require = __benchCreateRequire(import.meta.url);`

const common: esbuild.BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Workspace packages resolve to their TypeScript sources; everything else to its ES-module build. Setting
  // `conditions` drops esbuild's default `module` condition, so it is listed again: without it, packages whose
  // exports list "node" before "import" (@smithy/core) resolve to CommonJS, which cannot be tree-shaken.
  conditions: ["@social-messaging/source", "module"],
  mainFields: ["module", "main"],
  outExtension: { ".js": ".mjs" },
  banner: { js: banner },
  logLevel: "error",
  legalComments: "none"
}

/** Worker bundles and the server, not minified: profiles stay readable, and minifying saves no run-time cost. */
export const buildWorkers = async (): Promise<void> => {
  await esbuild.build({
    ...common,
    entryPoints: [
      ...workerNames.map((name) => ({ in: Path.join(benchDir, "workers", `${name}.ts`), out: name })),
      { in: Path.join(benchDir, "server.ts"), out: "server" }
    ],
    outdir: Path.join(distDir, "workers")
  })
}

/** One program's minified, single-file bundle (dynamic imports inlined), with its metafile. */
export interface ProgramBundle {
  readonly name: ProgramName
  readonly file: string
  readonly metafile: esbuild.Metafile
}

/** Minified single-file bundles of the programs (what is sized and cold-started). */
export const buildPrograms = async (): Promise<ReadonlyArray<ProgramBundle>> =>
  Promise.all(programNames.map(async (name) => {
    const outfile = Path.join(distDir, "programs", `${name}.mjs`)
    const result = await esbuild.build({
      ...common,
      entryPoints: [Path.join(benchDir, "programs", `${name}.ts`)],
      outfile,
      minify: true,
      metafile: true
    })
    return { name, file: outfile, metafile: result.metafile }
  }))

/** A program built with code splitting: the files loaded at start, and all files. */
export interface SplitBundle {
  readonly name: ProgramName
  /** The entry chunk and every chunk it imports statically: what a cold start loads. */
  readonly startup: ReadonlyArray<string>
  readonly all: ReadonlyArray<string>
}

/**
 * The same programs with code splitting: lazily imported code (the AWS credential chain) lands in chunks
 * that load only when first used; the startup files are the entry and its static imports.
 */
export const buildProgramsSplit = async (): Promise<ReadonlyArray<SplitBundle>> =>
  Promise.all(programNames.map(async (name) => {
    const outdir = Path.join(distDir, "programs-split", name)
    const result = await esbuild.build({
      ...common,
      entryPoints: [Path.join(benchDir, "programs", `${name}.ts`)],
      outdir,
      splitting: true,
      minify: true,
      metafile: true,
      chunkNames: "chunk-[hash]"
    })
    const outputs = result.metafile.outputs
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint?.endsWith(`programs/${name}.ts`))!
    const startup = new Set<string>()
    const pending = [entry]
    while (pending.length > 0) {
      const file = pending.pop()!
      if (startup.has(file)) continue
      startup.add(file)
      for (const imported of outputs[file]!.imports) {
        if (imported.kind === "import-statement" && outputs[imported.path] !== undefined) pending.push(imported.path)
      }
    }
    const absolute = (file: string) => Path.resolve(file)
    return { name, startup: [...startup].map(absolute), all: Object.keys(outputs).map(absolute) }
  }))

/** The SDK program as its users run it: the SDK loaded from node_modules (only the fixture is inlined). */
export const buildSdkExternal = async (): Promise<string> => {
  const outfile = Path.join(distDir, "programs-external", "sdk.mjs")
  await esbuild.build({
    ...common,
    banner: {},
    entryPoints: [Path.join(benchDir, "programs", "sdk.ts")],
    outfile,
    packages: "external"
  })
  return outfile
}

/** A program built as for sizing but not minified (module comments kept), for `profile.ts --cold`. */
export const buildProgramForProfile = async (name: ProgramName): Promise<string> => {
  const outfile = Path.join(distDir, "prof", `${name}.mjs`)
  await esbuild.build({ ...common, entryPoints: [Path.join(benchDir, "programs", `${name}.ts`)], outfile })
  return outfile
}
