/**
 * The packages as a user gets them: every workspace package packed, the tarballs installed offline into a
 * fresh project outside the monorepo (no source condition, no workspace links), then
 * (a) a strict NodeNext TypeScript program type-checked against the installed `.d.ts` files,
 * (b) that program run: `Sandbox.layer` and the real `SocialMessaging.layer` over node:http against a sandbox
 *     server on 127.0.0.1 (test/consumer/main.ts),
 * (c) the CLI's tarball installed alone in another fresh project (its bundle needs none of the libraries) and
 *     its `social-messaging` bin run: `--help` and one call against its embedded sandbox.
 * The network is never used: npm runs `--offline` behind a proxy that does not exist, and everything the
 * programs contact is on 127.0.0.1.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, join } from "node:path"
import {
  consumerLockfile,
  decodePackOutput,
  exec,
  type PackResult,
  repoRoot,
  type Run,
  run as runAny,
  workspaces
} from "./support/Consumer.js"

// =============================================================================
// The consumer project, built once for the file
// =============================================================================

/** npm's and node's environment: a fresh HOME, the user's npm cache, no route to any registry. */
const makeEnv = (home: string): Record<string, string> => ({
  PATH: process.env["PATH"] ?? "/usr/bin:/bin",
  HOME: home,
  // The cache `npm ci` filled (npm's default is under the real HOME).
  npm_config_cache: process.env["npm_config_cache"] ?? join(process.env["HOME"] ?? home, ".npm"),
  npm_config_offline: "true",
  // Were npm to try the network anyway, it would fail here instead of reaching out.
  npm_config_proxy: "http://127.0.0.1:9",
  npm_config_https_proxy: "http://127.0.0.1:9",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  AWS_CONFIG_FILE: join(home, "no-aws-config"),
  AWS_SHARED_CREDENTIALS_FILE: join(home, "no-aws-credentials"),
  AWS_EC2_METADATA_DISABLED: "true"
})

interface Project {
  /** All four tarballs and the peers the README's Install section names. */
  readonly dir: string
  /** The CLI's tarball alone. */
  readonly cliDir: string
  readonly env: Record<string, string>
  readonly packs: ReadonlyArray<PackResult>
  readonly runs: ReadonlyArray<Run>
}

class ConsumerProject extends Context.Tag("test/ConsumerProject")<ConsumerProject, Project>() {}

/** The consumer's tsconfig: what a strict NodeNext user writes; no custom conditions. */
const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    outDir: "dist",
    rootDir: "src"
  },
  include: ["src"]
}

const ConsumerProjectLive = Layer.scoped(
  ConsumerProject,
  Effect.gen(function*() {
    const root = mkdtempSync(join(tmpdir(), "social-messaging-consumer-"))
    // Kept with SOCIAL_MESSAGING_KEEP_CONSUMER=1, to look into a failure.
    if (process.env["SOCIAL_MESSAGING_KEEP_CONSUMER"] !== "1") {
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(root, { recursive: true, force: true })))
    }
    const home = join(root, "home")
    const packsDir = join(root, "packs")
    const dir = join(root, "app")
    const cliDir = join(root, "cli-only")
    for (const d of [home, packsDir, join(dir, "src"), cliDir]) mkdirSync(d, { recursive: true })
    const env = makeEnv(home)
    const runs: Array<Run> = []
    const step = (command: string, args: ReadonlyArray<string>, cwd: string) =>
      Effect.tap(
        exec(command, args, { cwd, env }),
        (r) => Effect.sync(() => runs.push({ ...r, command: `(${basename(cwd)}) ${r.command}` }))
      )

    // What `exports` promise, fresh (incremental: quick after `npm ci`'s prepare). The CLI's bundle is
    // left to the project's global setup, which other test files share.
    yield* step(process.execPath, [join(repoRoot, "scripts", "build.mjs"), "--no-bundle"], repoRoot)
    const packed = yield* step("npm", ["pack", "--workspaces", "--json", "--pack-destination", packsDir], repoRoot)
    const packs = yield* decodePackOutput(packed.stdout)

    // Missing tarballs show in the first test; the lockfile needs the ones there are.
    const tarballs = packs.flatMap((pack) => {
      const workspace = workspaces.find((w) => pack.name === `@social-messaging/${w}`)
      const spec = `file:../packs/${pack.filename}`
      return workspace === undefined ? [] : [{ workspace, path: join(packsDir, pack.filename), spec }]
    })
    // A project of `name` with these tarballs and registry packages, installed with `npm ci --offline`.
    const install = (
      name: string,
      at: string,
      selected: ReadonlyArray<(typeof tarballs)[number]>,
      registryDependencies: ReadonlyArray<string>
    ) =>
      Effect.gen(function*() {
        const { dependencies, lockfile } = yield* consumerLockfile({ name, tarballs: selected, registryDependencies })
        const manifest = { name, version: "0.0.0", private: true, type: "module", dependencies }
        writeFileSync(join(at, "package.json"), JSON.stringify(manifest, null, 2))
        writeFileSync(join(at, "package-lock.json"), JSON.stringify(lockfile, null, 2))
        yield* step("npm", ["ci", "--offline", "--no-audit", "--no-fund"], at)
      })
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2))
    copyFileSync(new URL("consumer/main.ts", import.meta.url), join(dir, "src", "main.ts"))
    // What the README's Install section tells a user to add beside the packages; @types/node for tsc.
    yield* install("social-messaging-consumer", dir, tarballs, [
      "effect",
      "@effect/platform",
      "@effect/platform-node",
      "@types/node"
    ])
    yield* install("social-messaging-cli-user", cliDir, tarballs.filter((t) => t.workspace === "cli"), [])
    return { dir, cliDir, env, packs, runs }
  })
)

const inProject = (command: string, args: ReadonlyArray<string>) =>
  Effect.flatMap(ConsumerProject, (project) => exec(command, args, { cwd: project.dir, env: project.env }))

const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc")

// =============================================================================
// Tests
// =============================================================================

const Outcome = Schema.Struct({
  linked: Schema.String,
  listed: Schema.Array(Schema.Struct({ id: Schema.String, name: Schema.String })),
  caught: Schema.Literal("ResourceNotFoundException")
})
const Output = Schema.Struct({
  inProcess: Outcome,
  http: Schema.extend(Outcome, Schema.Struct({ url: Schema.String }))
})
const CliList = Schema.Struct({ linkedAccounts: Schema.Array(Schema.Unknown) })

describe("the packed packages in a fresh project", () => {
  layer(ConsumerProjectLive, { timeout: "240 seconds", excludeTestServices: true })((it) => {
    it.effect(
      "each tarball holds the build, its declaration maps, README and LICENSE; no tests",
      () =>
        Effect.gen(function*() {
          const { packs, runs } = yield* ConsumerProject
          assert.deepStrictEqual(
            packs.map((p) => p.name).sort(),
            workspaces.map((w) => `@social-messaging/${w}`).sort()
          )
          for (const pack of packs) {
            const paths = pack.files.map((f) => f.path)
            const requiredFiles = ["package.json", "README.md", "LICENSE", "build/esm/index.js", "build/dts/index.d.ts"]
            for (const required of requiredFiles) {
              assert.include(paths, required, `${pack.name} lacks ${required}`)
            }
            assert.include(paths, "build/dts/index.d.ts.map", `${pack.name} lacks declaration maps`)
            const stray = paths.filter((p) =>
              /^(test|build\/(src|test|scripts|tsbuildinfo))\/|tsbuildinfo|fixture/.test(p)
            )
            assert.deepStrictEqual(stray, [], `${pack.name} ships test or check outputs`)
            // Every module has its ES module and its declarations.
            for (const source of paths.filter((p) => /^src\/.*\.ts$/.test(p))) {
              const stem = source.slice("src/".length, -".ts".length)
              assert.include(paths, `build/esm/${stem}.js`)
              assert.include(paths, `build/dts/${stem}.d.ts`)
            }
          }
          const cli = packs.find((p) => p.name === "@social-messaging/cli")?.files.map((f) => f.path) ?? []
          const sizes = packs.map((p) => `${p.filename}: ${(p.size / 1024).toFixed(1)} KiB, ${p.entryCount} files`)
          const steps = runs.map((r) => `${r.command.replace(repoRoot, "")}: ${r.millis} ms`)
          console.info([...sizes, ...steps].join("\n"))
          assert.include(cli, "bin/social-messaging.js")
          assert.include(cli, "dist/bin.js")
        }),
      120_000
    )

    it.effect(
      "(a) a strict NodeNext program type-checks against the installed .d.ts, not sources",
      () =>
        Effect.gen(function*() {
          const { dir, env } = yield* ConsumerProject
          const checked = yield* inProject(process.execPath, [tsc, "-p", "tsconfig.json", "--listFiles"])
          const ours = checked.stdout.split("\n").filter((f) => f.includes("/node_modules/@social-messaging/"))
          assert.isAbove(ours.length, 0)
          assert.deepStrictEqual(ours.filter((f) => !/\/build\/dts\/.*\.d\.ts$/.test(f)), [], "resolved past build/dts")
          assert.isTrue(existsSync(join(dir, "dist", "main.js")))
          // Nothing of the monorepo is reachable from the project.
          assert.isFalse(checked.stdout.includes(`${repoRoot}packages/`))
          // Our declarations checked too (--skipLibCheck false): every import in them resolves from what the
          // tarballs declare as dependencies. Effect's own .d.ts need DOM and @types/ws under this check; those
          // diagnostics are theirs, so only the ones naming our files count.
          const strict = yield* runAny(
            process.execPath,
            [tsc, "-p", "tsconfig.json", "--noEmit", "--skipLibCheck", "false"],
            { cwd: dir, env }
          )
          const diagnostics = strict.stdout.split("\n").filter((line) => /^\S.*\(\d+,\d+\): error/.test(line))
          assert.deepStrictEqual(
            diagnostics.filter((line) => line.startsWith("src/") || line.includes("@social-messaging/")),
            []
          )
        }),
      180_000
    )

    it.effect(
      "(b) the program links a WABA over Sandbox.layer and over the real layer against the server",
      () =>
        Effect.gen(function*() {
          const ran = yield* inProject(process.execPath, ["dist/main.js"])
          const lastLine = ran.stdout.trim().split("\n").at(-1) ?? ""
          const output = yield* Schema.decodeUnknown(Schema.parseJson(Output))(lastLine)
          for (const outcome of [output.inProcess, output.http]) {
            assert.deepStrictEqual(outcome.listed, [{ id: outcome.linked, name: "Example Clinic" }])
            assert.strictEqual(outcome.caught, "ResourceNotFoundException")
          }
          assert.match(output.http.url, /^http:\/\/127\.0\.0\.1:\d+$/)
        }),
      120_000
    )

    it.effect(
      "(c) the CLI's tarball alone installs a bin that answers --help and a call to its sandbox",
      () =>
        Effect.gen(function*() {
          const { cliDir: dir, env } = yield* ConsumerProject
          const bin = join(dir, "node_modules", ".bin", "social-messaging")
          const inCliProject = (args: ReadonlyArray<string>) => exec(bin, args, { cwd: dir, env })
          // Nothing but the bundle's one external dependency (AWS's credential chain) came with it.
          for (const absent of ["effect", "@effect/cli", "@social-messaging/domain", "tsx"]) {
            assert.isFalse(existsSync(join(dir, "node_modules", absent)), `${absent} was installed`)
          }
          const help = yield* inCliProject(["--help"])
          assert.include(help.stdout, "list-linked-whatsapp-business-accounts")
          const call = ["--sandbox", "list-linked-whatsapp-business-accounts", "--output", "json"]
          const listed = yield* inCliProject(call)
          const answer = yield* Schema.decodeUnknown(Schema.parseJson(CliList))(listed.stdout)
          assert.deepStrictEqual(answer.linkedAccounts, [])
          // The bin ran its bundle from the tarball, not the TypeScript fallback.
          assert.isTrue(existsSync(join(dir, "node_modules", "@social-messaging", "cli", "dist", "bin.js")))
        }),
      120_000
    )
  })
})
