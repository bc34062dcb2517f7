import { assert, describe, expect, it } from "@effect/vitest"
import * as AwsRegion from "@social-messaging/http-client/AwsRegion"
import { ConfigProvider, Effect } from "effect"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A temp directory with the given shared config files; removed when the scope closes. */
const configFiles = (files: { readonly config?: string; readonly credentials?: string }) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(join(tmpdir(), "aws-region-test-"))
      const paths = { dir, config: join(dir, "config"), credentials: join(dir, "credentials") }
      if (files.config !== undefined) await writeFile(paths.config, files.config)
      if (files.credentials !== undefined) await writeFile(paths.credentials, files.credentials)
      return paths
    }),
    (paths) => Effect.promise(() => rm(paths.dir, { recursive: true, force: true }))
  )

/** Runs with exactly these variables; the file variables always point into the temp dir, never at ~/.aws. */
const withEnv = (
  paths: { readonly config: string; readonly credentials: string },
  entries: Record<string, string> = {}
) =>
  Effect.withConfigProvider(
    ConfigProvider.fromMap(
      new Map(Object.entries({
        AWS_CONFIG_FILE: paths.config,
        AWS_SHARED_CREDENTIALS_FILE: paths.credentials,
        ...entries
      }))
    )
  )

const CONFIG = `[default]
region = eu-west-1

[profile work]
region = ap-southeast-2
output = json

[profile noregion]
output = json
`

describe("AwsRegion.resolve", () => {
  it.scoped("the explicit option wins over everything", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const region = yield* AwsRegion.resolve({ region: "us-west-2" }).pipe(
        withEnv(paths, { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-north-1" })
      )
      assert.strictEqual(region, "us-west-2")
    }))

  it.scoped("AWS_REGION comes before AWS_DEFAULT_REGION and the profile", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const region = yield* AwsRegion.resolve().pipe(
        withEnv(paths, { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-north-1" })
      )
      assert.strictEqual(region, "eu-central-1")
    }))

  it.scoped("AWS_DEFAULT_REGION comes before the profile", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const region = yield* AwsRegion.resolve().pipe(withEnv(paths, { AWS_DEFAULT_REGION: "eu-north-1" }))
      assert.strictEqual(region, "eu-north-1")
    }))

  it.scoped("an empty AWS_REGION counts as unset", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const region = yield* AwsRegion.resolve().pipe(withEnv(paths, { AWS_REGION: "" }))
      assert.strictEqual(region, "eu-west-1")
    }))

  it.scoped("reads the default profile's region from the file AWS_CONFIG_FILE names", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      assert.strictEqual(yield* AwsRegion.resolve().pipe(withEnv(paths)), "eu-west-1")
    }))

  it.scoped("selects the profile from AWS_PROFILE, and the option over AWS_PROFILE", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      assert.strictEqual(yield* AwsRegion.resolve().pipe(withEnv(paths, { AWS_PROFILE: "work" })), "ap-southeast-2")
      assert.strictEqual(
        yield* AwsRegion.resolve({ profile: "default" }).pipe(withEnv(paths, { AWS_PROFILE: "work" })),
        "eu-west-1"
      )
    }))

  it.scoped("explicit file paths win over AWS_CONFIG_FILE", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const other = yield* configFiles({ config: "[default]\nregion = sa-east-1\n" })
      const region = yield* AwsRegion.resolve({ configFile: other.config }).pipe(withEnv(paths))
      assert.strictEqual(region, "sa-east-1")
    }))

  it.scoped("falls back to the credentials file's region; the config file wins when both have one", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({
        config: "[profile both]\nregion = us-east-2\n",
        credentials: "[creds]\nregion = ca-central-1\n[both]\nregion = af-south-1\n"
      })
      assert.strictEqual(yield* AwsRegion.resolve({ profile: "creds" }).pipe(withEnv(paths)), "ca-central-1")
      assert.strictEqual(yield* AwsRegion.resolve({ profile: "both" }).pipe(withEnv(paths)), "us-east-2")
    }))

  it.scoped("fails with ConfigurationError when nothing names a region", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({ config: CONFIG })
      const error = yield* Effect.flip(AwsRegion.resolve({ profile: "noregion" }).pipe(withEnv(paths)))
      assert.strictEqual(error._tag, "ConfigurationError")
      assert.strictEqual(error.setting, "region")
      expect(error.detail).toContain("no region: set --region, AWS_REGION or a profile region")
    }))

  it.scoped("missing config files count as empty", () =>
    Effect.gen(function*() {
      const paths = yield* configFiles({})
      const error = yield* Effect.flip(AwsRegion.resolve().pipe(withEnv(paths)))
      assert.strictEqual(error.setting, "region")
      const region = yield* AwsRegion.resolve().pipe(withEnv(paths, { AWS_REGION: "us-east-1" }))
      assert.strictEqual(region, "us-east-1")
    }))
})
