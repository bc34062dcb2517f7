/**
 * `GlobalArgs.hoist`: global options written before the command move to just after it, as the AWS CLI
 * accepts them there; everything else is left for @effect/cli as it was.
 */
import { assert, describe, it } from "@effect/vitest"
import * as GlobalArgs from "../src/internal/GlobalArgs.js"
import * as Session from "../src/internal/Session.js"

const spec: GlobalArgs.Spec = {
  ...Session.globalOptionNames,
  rootValued: ["--log-level"],
  commands: ["list-linked-whatsapp-business-accounts", "tag-resource"]
}

const hoist = (args: ReadonlyArray<string>) => GlobalArgs.hoist(args, spec)

describe("GlobalArgs.hoist", () => {
  it("moves every global option, with its value, to just after the command", () => {
    assert.deepStrictEqual(
      hoist([
        "--region",
        "eu-west-1",
        "--profile",
        "dev",
        "--endpoint-url",
        "http://127.0.0.1:4566",
        "--output",
        "text",
        "--dry-run",
        "--debug",
        "--sandbox",
        "tag-resource",
        "--tags",
        "a=b"
      ]),
      [
        "tag-resource",
        "--region",
        "eu-west-1",
        "--profile",
        "dev",
        "--endpoint-url",
        "http://127.0.0.1:4566",
        "--output",
        "text",
        "--dry-run",
        "--debug",
        "--sandbox",
        "--tags",
        "a=b"
      ]
    )
  })

  it("keeps --name=value as one word, and a value that looks like a command as the option's value", () => {
    assert.deepStrictEqual(hoist(["--output=table", "--sandbox", "list-linked-whatsapp-business-accounts"]), [
      "list-linked-whatsapp-business-accounts",
      "--output=table",
      "--sandbox"
    ])
    assert.deepStrictEqual(hoist(["--profile", "tag-resource", "list-linked-whatsapp-business-accounts"]), [
      "list-linked-whatsapp-business-accounts",
      "--profile",
      "tag-resource"
    ])
  })

  it("leaves --log-level X before the command, where @effect/cli reads it", () => {
    assert.deepStrictEqual(hoist(["--log-level", "debug", "--debug", "tag-resource", "--tags", "a=b"]), [
      "--log-level",
      "debug",
      "tag-resource",
      "--debug",
      "--tags",
      "a=b"
    ])
  })

  it("changes nothing without a global option first, or without a command after them", () => {
    for (
      const args of [
        [],
        ["list-linked-whatsapp-business-accounts", "--sandbox", "--output", "text"],
        ["--help"],
        ["--version"],
        ["--completions", "bash"],
        ["--wizard"],
        ["--log-level", "debug"],
        ["--log-level", "debug", "list-linked-whatsapp-business-accounts"],
        ["--debug", "--help"],
        ["--sandbox"],
        ["--region"],
        ["--region", "eu-west-1"],
        ["--debug", "no-such-command"],
        ["--sandbox", "sandbox", "serve"],
        ["--debug", "--", "tag-resource"]
      ]
    ) assert.deepStrictEqual(hoist(args), args, args.join(" "))
  })

  it("hoistArgv keeps the runtime and the script first", () => {
    assert.deepStrictEqual(GlobalArgs.hoistArgv(["node", "bin.js", "--debug", "tag-resource"], spec), [
      "node",
      "bin.js",
      "tag-resource",
      "--debug"
    ])
  })
})
