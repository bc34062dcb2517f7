/**
 * A fresh project outside the monorepo that installs the packed packages as a user would, offline: every
 * workspace package packed with `npm pack`, the third-party packages at the versions this repository's lockfile
 * pins, taken from the local npm cache (which `npm ci` filled). Nothing in it resolves through the monorepo.
 *
 * npm cannot resolve version ranges offline without the registry's package documents, which `npm ci` does not
 * always leave in the cache; so the project gets a lockfile, written from the monorepo's: the closure of the
 * packages' dependencies, each with its registry URL and integrity, so that npm reads each tarball from the
 * cache by its digest and never asks the registry anything.
 */
import { Effect, Schema } from "effect"
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The monorepo's root. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url))

/** The workspace packages, in dependency order (as `npm pack --workspaces` packs them). */
export const workspaces = ["domain", "http-client", "sandbox", "cli"] as const

// =============================================================================
// Child processes
// =============================================================================

/** What a command printed, and how it ended. */
export interface Run {
  readonly command: string
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

/** A command ended with a non-zero exit code. */
export class CommandFailed extends Schema.TaggedError<CommandFailed>()("CommandFailed", {
  command: Schema.String,
  code: Schema.Number,
  stdout: Schema.String,
  stderr: Schema.String
}) {
  override get message() {
    return `${this.command} exited with ${this.code}\n${this.stdout.slice(-4000)}\n${this.stderr.slice(-4000)}`
  }
}

/** Runs `command args` in `cwd` with exactly `env`, whatever its exit code. */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env: Record<string, string> }
): Effect.Effect<Run> =>
  Effect.async<Run>((resume) => {
    const started = performance.now()
    const line = [command, ...args].join(" ")
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const end = (code: number, error?: string) =>
      resume(Effect.succeed({
        command: line,
        code,
        stdout,
        stderr: error ?? stderr,
        millis: Math.round(performance.now() - started)
      }))
    child.once("error", (cause) => end(-1, String(cause)))
    child.once("close", (code) => end(code ?? -1))
    return Effect.sync(() => child.kill())
  })

/** `run`, failing with `CommandFailed` unless the command exits with 0. */
export const exec = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env: Record<string, string> }
): Effect.Effect<Run, CommandFailed> =>
  Effect.filterOrFail(run(command, args, options), (r) => r.code === 0, (r) => new CommandFailed(r))

// =============================================================================
// npm pack --json
// =============================================================================

/** One tarball as `npm pack --json` describes it. */
export const PackResult = Schema.Struct({
  name: Schema.String,
  version: Schema.String,
  filename: Schema.String,
  size: Schema.Number,
  unpackedSize: Schema.Number,
  entryCount: Schema.Number,
  files: Schema.Array(Schema.Struct({ path: Schema.String, size: Schema.Number }))
})
export type PackResult = typeof PackResult.Type

export const decodePackOutput = Schema.decodeUnknown(Schema.parseJson(Schema.Array(PackResult)))

// =============================================================================
// The consumer's lockfile, from the monorepo's
// =============================================================================

const Dependencies = Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
const PeerMeta = Schema.optional(
  Schema.Record({ key: Schema.String, value: Schema.Struct({ optional: Schema.optional(Schema.Boolean) }) })
)

/** The members of a lockfile entry the closure needs; the entry itself is copied as it is. */
const LockEntry = Schema.Struct({
  version: Schema.optional(Schema.String),
  integrity: Schema.optional(Schema.String),
  link: Schema.optional(Schema.Boolean),
  dependencies: Dependencies,
  optionalDependencies: Dependencies,
  peerDependencies: Dependencies,
  peerDependenciesMeta: PeerMeta
})
type LockEntry = typeof LockEntry.Type

const Lockfile = Schema.Struct({
  packages: Schema.Record({ key: Schema.String, value: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })
})

/** The workspace packages' manifests, as packed. */
const Manifest = Schema.Struct({
  name: Schema.String,
  version: Schema.String,
  license: Schema.optional(Schema.String),
  engines: Dependencies,
  bin: Dependencies,
  dependencies: Dependencies,
  optionalDependencies: Dependencies,
  peerDependencies: Dependencies,
  peerDependenciesMeta: PeerMeta
})

/** The monorepo's lockfile cannot give the consumer what a package needs. */
export class LockfileGap extends Schema.TaggedError<LockfileGap>()("LockfileGap", { message: Schema.String }) {}

/** A tarball to install: the workspace package, and the `file:` spec the consumer's package.json uses. */
export interface Tarball {
  readonly workspace: string
  readonly path: string
  readonly spec: string
}

/**
 * The consumer's package-lock.json: `dependencies` (tarball specs and pinned versions) as its root, and every
 * package they need, placed where the monorepo's lockfile places it (workspace packages under
 * `node_modules/@social-messaging/`).
 */
export const consumerLockfile = (options: {
  readonly name: string
  readonly tarballs: ReadonlyArray<Tarball>
  readonly registryDependencies: ReadonlyArray<string>
}) =>
  Effect.gen(function*() {
    const lock = yield* Schema.decodeUnknown(Schema.parseJson(Lockfile))(
      readFileSync(join(repoRoot, "package-lock.json"), "utf8")
    )
    const raw = lock.packages
    const entry = (location: string): LockEntry | undefined => {
      const value = raw[location]
      return value === undefined ? undefined : Schema.decodeUnknownSync(LockEntry)(value)
    }
    const byWorkspace = new Map(options.tarballs.map((t) => [`packages/${t.workspace}`, t]))
    const manifests = new Map<string, typeof Manifest.Type>()
    for (const location of byWorkspace.keys()) {
      manifests.set(
        location,
        yield* Schema.decodeUnknown(Schema.parseJson(Manifest))(
          readFileSync(join(repoRoot, location, "package.json"), "utf8")
        )
      )
    }

    // Node's lookup over lockfile locations: `<from>/node_modules/<name>`, then each ancestor's.
    const resolve = (from: string, name: string): string | undefined => {
      let base = from
      for (;;) {
        const candidate = `${base === "" ? "" : `${base}/`}node_modules/${name}`
        const found = entry(candidate)
        if (found !== undefined) {
          if (found.link !== true) return candidate
          // A workspace link: the workspace's own location.
          const target = raw[candidate]?.["resolved"]
          return typeof target === "string" ? target : undefined
        }
        if (base === "") return undefined
        const parent = base.lastIndexOf("/node_modules/")
        base = parent === -1 ? "" : base.slice(0, parent)
      }
    }
    // The consumer's location of a monorepo location.
    const place = (location: string): string => {
      for (const [workspace, tarball] of byWorkspace) {
        const name = manifests.get(workspace)?.name ?? tarball.workspace
        if (location === workspace) return `node_modules/${name}`
        if (location.startsWith(`${workspace}/`)) return `node_modules/${name}${location.slice(workspace.length)}`
      }
      return location
    }
    const edges = (location: string): ReadonlyArray<{ readonly name: string; readonly optional: boolean }> => {
      const e = manifests.get(location) ?? entry(location)
      if (e === undefined) return []
      return [
        ...Object.keys(e.dependencies ?? {}).map((name) => ({ name, optional: false })),
        ...Object.keys(e.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
        // Optional peers are installed only when something else needs them.
        ...Object.keys(e.peerDependencies ?? {}).filter((name) => e.peerDependenciesMeta?.[name]?.optional !== true)
          .map((name) => ({ name, optional: false }))
      ]
    }

    // Required: reachable through required edges; the rest of the closure is optional (platform binaries).
    const roots = [...byWorkspace.keys(), ...options.registryDependencies.map((name) => `node_modules/${name}`)]
    const missing: Array<string> = []
    const walk = (withOptional: boolean): Set<string> => {
      const seen = new Set<string>()
      const queue = [...roots]
      while (queue.length > 0) {
        const location = queue.pop()
        if (location === undefined || seen.has(location)) continue
        seen.add(location)
        for (const edge of edges(location)) {
          if (edge.optional && !withOptional) continue
          const target = resolve(location, edge.name)
          if (target !== undefined) queue.push(target)
          else if (!edge.optional) missing.push(`${location} needs ${edge.name}`)
        }
      }
      return seen
    }
    const required = walk(false)
    const all = walk(true)
    if (missing.length > 0) return yield* new LockfileGap({ message: `not in the lockfile: ${missing.join(", ")}` })

    const dependencies: Record<string, string> = {}
    for (const tarball of options.tarballs) {
      dependencies[manifests.get(`packages/${tarball.workspace}`)?.name ?? tarball.workspace] = tarball.spec
    }
    for (const name of options.registryDependencies) {
      const version = entry(`node_modules/${name}`)?.version
      if (version === undefined) return yield* new LockfileGap({ message: `the lockfile pins no ${name}` })
      dependencies[name] = version
    }

    const packages: Record<string, unknown> = {
      "": { name: options.name, version: "0.0.0", dependencies }
    }
    for (const location of [...all].sort()) {
      const tarball = byWorkspace.get(location)
      const manifest = manifests.get(location)
      if (tarball !== undefined && manifest !== undefined) {
        packages[place(location)] = {
          version: manifest.version,
          resolved: tarball.spec,
          integrity: `sha512-${createHash("sha512").update(readFileSync(tarball.path)).digest("base64")}`,
          ...(manifest.license === undefined ? {} : { license: manifest.license }),
          ...(manifest.dependencies === undefined ? {} : { dependencies: manifest.dependencies }),
          ...(manifest.bin === undefined ? {} : { bin: manifest.bin }),
          ...(manifest.engines === undefined ? {} : { engines: manifest.engines }),
          ...(manifest.peerDependencies === undefined ? {} : { peerDependencies: manifest.peerDependencies }),
          ...(manifest.peerDependenciesMeta === undefined
            ? {}
            : { peerDependenciesMeta: manifest.peerDependenciesMeta })
        }
        continue
      }
      const { dev: _dev, devOptional: _devOptional, optional: _optional, peer: _peer, ...rest } = raw[location] ?? {}
      const version = entry(location)?.version
      const name = location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length)
      const base = name.slice(name.lastIndexOf("/") + 1)
      packages[place(location)] = {
        ...rest,
        resolved: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
        ...(required.has(location) ? {} : { optional: true })
      }
    }
    const lockfile = { name: options.name, version: "0.0.0", lockfileVersion: 3, requires: true, packages }
    return { dependencies, lockfile }
  })
