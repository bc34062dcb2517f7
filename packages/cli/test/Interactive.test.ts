/**
 * The guided association in-process, through both steps, with a scripted terminal answering
 * @effect/cli's prompts (hidden prompts for the token and PINs), plus what needs no process: skeletons,
 * completions, help.
 */
import { assert, describe, layer } from "@effect/vitest"
import type * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Redacted, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { scratch } from "./support/Bin.js"
import { backspace, down, enter, runCli, type } from "./support/InProcess.js"

const token = "CANARY-interactive-meta-token-4d7c"
const regionsToken = "CANARY-interactive-meta-token-regions-7a20"
const pin = "482913"
const secondPin = "605172"

const number = (id: string, n: string): Fixtures.MetaPhoneNumber => ({
  metaPhoneNumberId: id,
  phoneNumber: `+1425555${n}`,
  displayPhoneNumber: `+1 425-555-${n}`,
  displayPhoneNumberName: `Interactive ${n}`,
  qualityRating: "GREEN"
})

const first: Fixtures.MetaWaba = {
  wabaId: "810000000000001",
  name: "Interactive First",
  phoneNumbers: [number("820000000000011", "0181"), number("820000000000012", "0182")]
}
const second: Fixtures.MetaWaba = {
  wabaId: "810000000000002",
  name: "Interactive Second",
  phoneNumbers: [number("820000000000021", "0183")]
}

const third: Fixtures.MetaWaba = {
  wabaId: "810000000000003",
  name: "Interactive Third",
  phoneNumbers: [number("820000000000031", "0184"), number("820000000000032", "0185")]
}

const fixtures: ReadonlyArray<Fixtures.MetaTokenFixture> = [
  { accessToken: token, description: "two WABAs", grant: { _tag: "Granted", wabas: [first, second] } },
  { accessToken: regionsToken, description: "one WABA, two numbers", grant: { _tag: "Granted", wabas: [third] } }
]

const secrets = [token, regionsToken, pin, secondPin]

const assertNoSecret = (texts: ReadonlyArray<string>, extra: ReadonlyArray<string> = []) => {
  const all = texts.join("\n")
  for (const secret of [...secrets, ...extra]) assert.notInclude(all, secret)
}

layer(Server.layerServer({ port: 0, fixtures }))("guided association in-process", (it) => {
  const env = Effect.map(Server.SandboxServer, (server) => ({
    AWS_ENDPOINT_URL_SOCIALMESSAGING: server.url,
    AWS_REGION: server.region,
    AWS_ACCESS_KEY_ID: server.credentials[0]?.accessKeyId ?? "",
    AWS_SECRET_ACCESS_KEY: Redacted.value(server.credentials[0]?.secretAccessKey ?? Redacted.make(""))
  }))

  it.effect("both steps from prompts: token, WABA, numbers, PIN, region, destination, tags", () =>
    Effect.gen(function*() {
      const result = yield* runCli(["associate-whatsapp-business-account"], {
        env: yield* env,
        answers: [
          [...type(token), enter], // Meta access token (hidden)
          [down, enter], // which WABA: the second
          [enter], // which numbers: all preselected
          [...type(pin), enter], // PIN (hidden)
          [...type("DE"), enter], // data localization region
          [...type("arn:aws:sns:us-east-1:123456789012:interactive-events"), enter], // event destination
          [enter], // role: none
          [...type("team=ops"), enter] // tags
        ]
      })
      assert.strictEqual(result.code, 0, result.stderr.join("\n"))
      assert.strictEqual(result.unusedAnswers(), 0)
      const output = result.stdout.join("\n")
      assert.include(output, `"wabaId": "${second.wabaId}"`)
      assert.include(output, "interactive-events")
      assert.include(output, `"dataLocalizationRegion": "DE"`)
      const shown = result.stderr.join("\n")
      assert.include(shown, "WhatsApp Business Accounts with incomplete setup")
      assert.include(shown, first.wabaId)
      assert.include(result.screen.join(""), "Two-factor PIN")
      assertNoSecret([...result.screen, ...result.stdout, ...result.stderr])
    }))

  it.effect("a data localization region per number at the prompts: two capital letters or empty", () =>
    Effect.gen(function*() {
      const result = yield* runCli(["associate-whatsapp-business-account"], {
        env: { ...(yield* env), SOCIAL_MESSAGING_ACCESS_TOKEN: regionsToken, SOCIAL_MESSAGING_PIN: pin },
        answers: [
          [enter], // which numbers: both preselected
          // first number: "de" is refused, then corrected to DE
          [...type("de"), enter, backspace, backspace, ...type("DE"), enter],
          [enter], // second number: none
          [enter], // event destination: none
          [enter] // tags: none
        ]
      })
      assert.strictEqual(result.code, 0, result.stderr.join("\n"))
      assert.strictEqual(result.unusedAnswers(), 0)
      const screen = result.screen.join("")
      assert.include(screen, "two capital letters")
      const prompted = [
        ...new Set(
          [...screen.matchAll(/Data localization region for (phone-number-id-[0-9a-f]+)/g)].map(([, id]) => id)
        )
      ]
      assert.strictEqual(prompted.length, 2)
      // The printed account (timestamps are ISO 8601 there, not the wire's epoch seconds): only what is checked.
      const Printed = Schema.Struct({
        account: Schema.optional(Schema.Struct({
          phoneNumbers: Schema.Array(Schema.Struct({
            phoneNumberId: Schema.String,
            dataLocalizationRegion: Schema.optional(Schema.String)
          }))
        }))
      })
      const output = yield* Schema.decodeUnknown(Schema.parseJson(Printed))(result.stdout.join("\n"))
      const regions = new Map<string, string | undefined>(
        output.account?.phoneNumbers?.map((n) => [n.phoneNumberId, n.dataLocalizationRegion])
      )
      const [firstId = "", secondId = ""] = prompted
      assert.isTrue(regions.has(firstId) && regions.has(secondId))
      assert.strictEqual(regions.get(firstId), "DE")
      assert.isUndefined(regions.get(secondId))
      assertNoSecret([...result.screen, ...result.stdout, ...result.stderr])
    }))

  it.effect("one step at a time: signup saves the token; finalize prompts for it and adds a number to a parent", () =>
    Effect.gen(function*() {
      const tokenFile = join(scratch, "interactive-in-progress-token")
      const signup = yield* runCli(
        ["associate-whatsapp-business-account", "--step", "signup", "--associate-in-progress-token-output", tokenFile],
        { env: yield* env, answers: [[...type(token), enter]] }
      )
      assert.strictEqual(signup.code, 0, signup.stderr.join("\n"))
      const inProgress = readFileSync(tokenFile, "utf8").trim()
      assert.include(signup.stdout.join("\n"), `"associateInProgressToken": "<redacted>"`)
      // Link the first WABA with one number from flags, then add its other number by prompts.
      const ids = signup.stdout.join("\n").match(/phone-number-id-[0-9a-f]+/g) ?? []
      const linkFirst = yield* runCli(
        [
          "associate-whatsapp-business-account",
          "--step",
          "finalize",
          "--waba-id",
          first.wabaId,
          "--phone-number-ids",
          ids[0] ?? ""
        ],
        {
          env: { ...(yield* env), SOCIAL_MESSAGING_ASSOCIATE_IN_PROGRESS_TOKEN: inProgress, SOCIAL_MESSAGING_PIN: pin },
          tty: false
        }
      )
      assert.strictEqual(linkFirst.code, 0, linkFirst.stderr.join("\n"))
      const parent = linkFirst.stdout.join("\n").match(/"id": "(waba-[0-9a-f]+)"/)?.[1] ?? ""
      const addNumber = yield* runCli(
        ["associate-whatsapp-business-account", "--step", "finalize", "--phone-number-parent", parent],
        {
          env: yield* env,
          answers: [
            [...type(inProgress), enter], // in-progress token (hidden)
            [...type(ids[1] ?? ""), enter], // phone number ids (no step-1 list in this run)
            [...type(secondPin), enter], // PIN (hidden)
            [enter], // region: none
            [enter] // tags: none
          ]
        }
      )
      assert.strictEqual(addNumber.code, 0, addNumber.stderr.join("\n"))
      assert.strictEqual(addNumber.unusedAnswers(), 0)
      assert.strictEqual(addNumber.stdout.join("\n").match(/"phoneNumberId"/g)?.length, 2)
      assertNoSecret(
        [
          ...signup.screen,
          ...signup.stdout,
          ...signup.stderr,
          ...linkFirst.stdout,
          ...linkFirst.stderr,
          ...addNumber.screen,
          ...addNumber.stdout,
          ...addNumber.stderr
        ],
        [inProgress]
      )
    }))

  it.effect("Ctrl-D at a prompt ends with 130; without a terminal a missing token is 252 naming its flags", () =>
    Effect.gen(function*() {
      const quit = yield* runCli(["associate-whatsapp-business-account"], { env: yield* env, answers: [] })
      assert.strictEqual(quit.code, 130)
      const noTty = yield* runCli(["associate-whatsapp-business-account"], { env: yield* env, tty: false })
      assert.strictEqual(noTty.code, 252)
      assert.include(noTty.stderr.join("\n"), "--access-token-file")
    }))
})

describe("without a server", () => {
  layer(Server.layerServer({ port: 0 }))((it) => {
    it.effect("--generate-cli-skeleton prints every input member", () =>
      Effect.gen(function*() {
        const result = yield* runCli(["associate-whatsapp-business-account", "--generate-cli-skeleton"])
        assert.strictEqual(result.code, 0)
        const skeleton: unknown = JSON.parse(result.stdout.join("\n"))
        assert.deepStrictEqual(skeleton, {
          signupCallback: { accessToken: "", callbackUrl: "" },
          setupFinalization: {
            associateInProgressToken: "",
            phoneNumbers: [{ id: "", twoFactorPin: "", dataLocalizationRegion: "", tags: [{ key: "", value: "" }] }],
            phoneNumberParent: "",
            waba: {
              id: "",
              eventDestinations: [{ eventDestinationArn: "", roleArn: "" }],
              tags: [{ key: "", value: "" }]
            }
          }
        })
        const list = yield* runCli(["list-linked-whatsapp-business-accounts", "--generate-cli-skeleton"])
        assert.deepStrictEqual(JSON.parse(list.stdout.join("\n")), { nextToken: "", maxResults: 0 })
      }))

    it.effect("--completions bash lists the commands; --help explains where the Meta token comes from", () =>
      Effect.gen(function*() {
        const completions = yield* runCli(["--completions", "bash"])
        assert.strictEqual(completions.code, 0)
        assert.include(completions.stdout.join("\n"), "list-linked-whatsapp-business-accounts")
        const help = yield* runCli(["associate-whatsapp-business-account", "--help"])
        assert.strictEqual(help.code, 0)
        const text = help.stdout.join("\n")
        assert.include(text, "embedded signup")
        assert.include(text, "--phone-number-parent")
        assert.include(text, "--pin-file")
      }))
  })
})
