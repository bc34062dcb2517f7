/**
 * What a bundled program carries: one calling a single operation with `SocialMessaging.send` gets that
 * operation's schemas and not the rest of the model's (the generated shapes and operation entries are marked pure,
 * so a bundler drops what the program never reaches); one building the whole service gets all 38 operations.
 * esbuild bundles the library's sources with Effect and AWS's packages left external.
 */
import { describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { fileURLToPath } from "node:url"

const packageDir = fileURLToPath(new URL("..", import.meta.url))

const bundle = async (program: string): Promise<string> => {
  const result = await esbuild.build({
    stdin: { contents: program, resolveDir: packageDir, loader: "ts" },
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    conditions: ["@social-messaging/source"],
    external: ["effect", "effect/*", "@effect/*", "@aws-sdk/*", "@smithy/*", "undici"],
    logLevel: "silent"
  })
  return result.outputFiles.map((file) => file.text).join("\n")
}

/** The model shapes whose Schema a bundle holds, by the identifier annotation each carries. */
const shapesIn = (code: string): ReadonlySet<string> =>
  new Set([...code.matchAll(/identifier: "([A-Za-z]+)"/g)].map((match) => match[1] ?? ""))

const imports = `
import * as Operations from "@social-messaging/domain/Operations"
import * as AwsCredentials from "@social-messaging/http-client/AwsCredentials"
import * as SocialMessaging from "@social-messaging/http-client/SocialMessaging"
import { Effect, Layer } from "effect"
import { NodeHttpClient } from "@effect/platform-node"
`

describe("bundles", () => {
  it("a program sending one operation carries that operation's schemas only", async () => {
    const code = await bundle(`${imports}
const live = SocialMessaging.layerCaller({ region: "eu-west-1" }).pipe(
  Layer.provide([AwsCredentials.layerDefault(), NodeHttpClient.layer])
)
const id = process.argv[2] ?? ""
await Effect.runPromise(Effect.provide(SocialMessaging.send(Operations.GetLinkedWhatsAppBusinessAccount, { id }), live))
`)
    const shapes = shapesIn(code)
    expect(shapes).toContain("GetLinkedWhatsAppBusinessAccountInput")
    expect(shapes).toContain("GetLinkedWhatsAppBusinessAccountOutput")
    for (const other of ["SendWhatsAppMessageInput", "CreateWhatsAppFlowInput", "ListWhatsAppTemplateLibraryOutput"]) {
      expect(shapes).not.toContain(other)
    }
    expect(code).not.toContain("name: \"SendWhatsAppMessage\"")
    expect(shapes.size).toBeLessThan(35)
  })

  it("a program building the whole service carries every operation", async () => {
    const code = await bundle(`${imports}
const live = SocialMessaging.layer({ region: "eu-west-1" }).pipe(
  Layer.provide([AwsCredentials.layerDefault(), NodeHttpClient.layer])
)
const id = process.argv[2] ?? ""
await Effect.runPromise(
  Effect.provide(Effect.flatMap(SocialMessaging.SocialMessaging, (client) => client.getLinkedWhatsAppBusinessAccount({ id })), live)
)
`)
    const shapes = shapesIn(code)
    for (const name of ["SendWhatsAppMessageInput", "CreateWhatsAppFlowInput", "ListWhatsAppTemplateLibraryOutput"]) {
      expect(shapes).toContain(name)
    }
    expect(shapes.size).toBeGreaterThan(200)
  })
})
