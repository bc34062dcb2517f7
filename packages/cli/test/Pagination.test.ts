/** The AWS CLI's resume token (botocore's TokenEncoder) and the names of commands and flags. */
import { assert, describe, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import { Effect } from "effect"
import * as Members from "../src/internal/Members.js"
import * as Pagination from "../src/internal/Pagination.js"

const pagination = Operations.ListWhatsAppMessageTemplates.pagination
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64")

describe("Pagination tokens", () => {
  it.effect("encoded as botocore encodes them: base64 of Python's json.dumps, boto_truncate_amount only mid-page", () =>
    Effect.gen(function*() {
      assert.isDefined(pagination)
      if (pagination === undefined) return
      assert.strictEqual(
        Pagination.encodeToken(pagination, { token: "abc", skip: 2 }),
        b64("{\"nextToken\": \"abc\", \"boto_truncate_amount\": 2}")
      )
      assert.strictEqual(Pagination.encodeToken(pagination, { token: "abc", skip: 0 }), b64("{\"nextToken\": \"abc\"}"))
      // Cut inside the first page, which had no token.
      assert.strictEqual(
        Pagination.encodeToken(pagination, { token: undefined, skip: 1 }),
        b64("{\"nextToken\": null, \"boto_truncate_amount\": 1}")
      )
      assert.strictEqual(
        Pagination.encodeToken(pagination, { token: "é", skip: 0 }),
        b64("{\"nextToken\": \"\\u00e9\"}")
      )
      for (
        const position of [{ token: "abc", skip: 2 }, { token: undefined, skip: 1 }, { token: "x/y+z==", skip: 0 }]
      ) {
        assert.deepStrictEqual(
          yield* Pagination.decodeToken(pagination, Pagination.encodeToken(pagination, position)),
          position
        )
      }
      for (
        const bad of [
          "not base64!",
          b64("[]"),
          b64("{\"other\": 1}"),
          b64("{\"nextToken\": \"a\", \"boto_truncate_amount\": -1}")
        ]
      ) {
        const error = yield* Effect.flip(Pagination.decodeToken(pagination, bad))
        assert.include(error.detail, "--starting-token")
      }
    }))

  it.effect("collect: stops fetching once --max-items is reached, resumes inside a page, refuses a repeated token", () =>
    Effect.gen(function*() {
      if (pagination === undefined) return
      const pages: Record<string, { templates: ReadonlyArray<number>; nextToken?: string }> = {
        first: { templates: [1, 2], nextToken: "t2" },
        t2: { templates: [3, 4], nextToken: "t3" },
        t3: { templates: [5] }
      }
      const fetched: Array<string> = []
      const fetch = (token: string | undefined) =>
        Effect.sync(() => {
          fetched.push(token ?? "first")
          return pages[token ?? "first"]
        })
      const cut = yield* Pagination.collect("ListWhatsAppMessageTemplates", pagination, fetch, {
        start: { token: undefined, skip: 0 },
        maxItems: 3
      })
      assert.deepStrictEqual(cut.items, [1, 2, 3])
      assert.deepStrictEqual(cut.resume._tag === "Some" ? cut.resume.value : undefined, { token: "t2", skip: 1 })
      assert.deepStrictEqual(fetched, ["first", "t2"])
      const rest = yield* Pagination.collect("ListWhatsAppMessageTemplates", pagination, fetch, {
        start: { token: "t2", skip: 1 },
        maxItems: undefined
      })
      assert.deepStrictEqual(rest.items, [4, 5])
      assert.strictEqual(rest.resume._tag, "None")
      const loop = yield* Effect.flip(
        Pagination.collect(
          "ListWhatsAppMessageTemplates",
          pagination,
          () => Effect.succeed({ templates: [], nextToken: "same" }),
          {
            start: { token: "same", skip: 0 },
            maxItems: undefined
          }
        )
      )
      assert.strictEqual(loop._tag, "MalformedResponse")
    }))
})

describe("Members.kebab", () => {
  it("names commands and flags as the AWS CLI does", () => {
    assert.strictEqual(Members.kebab("SendWhatsAppMessage"), "send-whatsapp-message")
    assert.strictEqual(
      Members.kebab("GetLinkedWhatsAppBusinessAccountPhoneNumber"),
      "get-linked-whatsapp-business-account-phone-number"
    )
    assert.strictEqual(Members.kebab("originationPhoneNumberId"), "origination-phone-number-id")
    assert.strictEqual(Members.kebab("sourceS3PresignedUrl"), "source-s3-presigned-url")
    assert.strictEqual(Members.kebab("kmsKeyArn"), "kms-key-arn")
  })
})
