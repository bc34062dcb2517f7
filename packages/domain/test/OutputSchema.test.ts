import { assert, describe, it } from "@effect/vitest"
import * as Operations from "@social-messaging/domain/Operations"
import { DateTime, Either, Redacted, Schema } from "effect"

const phone = {
  arn: "arn:aws:social-messaging:us-east-1:123456789012:phone-number-id/abc123",
  phoneNumber: "+14255550111",
  phoneNumberId: "phone-number-id-abc123",
  metaPhoneNumberId: "200000000000011",
  displayPhoneNumberName: "Example",
  displayPhoneNumber: "+1 425-555-0111",
  qualityRating: "GREEN"
}

const account = {
  arn: "arn:aws:social-messaging:us-east-1:123456789012:waba/abc123",
  id: "waba-abc123",
  wabaId: "100000000000001",
  registrationStatus: "COMPLETE",
  linkDate: 1700000000,
  wabaName: "Example",
  eventDestinations: [],
  phoneNumbers: [phone]
}

const decodeGet = Schema.decodeUnknownEither(Operations.outputSchema(Operations.GetLinkedWhatsAppBusinessAccount))

describe("outputSchema: answers are read without the model's input constraints", () => {
  it("accepts values past the model's lengths and list sizes, which the strict schema rejects", () => {
    const answer = {
      account: {
        ...account,
        wabaName: "x".repeat(201),
        eventDestinations: [
          { eventDestinationArn: "arn:aws:sns:us-east-1:123456789012:a" },
          { eventDestinationArn: "arn:aws:sns:us-east-1:123456789012:b" }
        ],
        phoneNumbers: [{ ...phone, qualityRating: "NOT_A_RATING_YET" }]
      }
    }
    assert.isTrue(Either.isLeft(Schema.decodeUnknownEither(Operations.GetLinkedWhatsAppBusinessAccount.output)(answer)))
    const decoded = decodeGet(answer)
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) {
      assert.strictEqual(decoded.right.account?.phoneNumbers[0]?.qualityRating, "NOT_A_RATING_YET")
      assert.isTrue(DateTime.isDateTime(decoded.right.account?.linkDate))
    }
  })

  it("still rejects a missing required member and a wrong type", () => {
    const { wabaName: _, ...missing } = account
    assert.isTrue(Either.isLeft(decodeGet({ account: missing })))
    assert.isTrue(Either.isLeft(decodeGet({ account: { ...account, linkDate: "yesterday" } })))
    assert.isTrue(Either.isLeft(decodeGet({ account: { ...account, phoneNumbers: "none" } })))
  })

  it("keeps secrets Redacted and unknown enum values decodable", () => {
    const decode = Schema.decodeUnknownEither(Operations.outputSchema(Operations.AssociateWhatsAppBusinessAccount))
    const decoded = decode({
      signupCallbackResult: {
        associateInProgressToken: "t".repeat(80),
        linkedAccountsWithIncompleteSetup: {
          "100000000000001": { registrationStatus: "PENDING_REVIEW", unregisteredWhatsAppPhoneNumbers: [phone] }
        }
      }
    })
    assert.isTrue(Either.isRight(decoded))
    if (Either.isRight(decoded)) {
      const token = decoded.right.signupCallbackResult?.associateInProgressToken
      assert.isTrue(token !== undefined && Redacted.isRedacted(token))
      assert.strictEqual(token === undefined ? "" : Redacted.value(token), "t".repeat(80))
      const [incomplete] = Object.values(decoded.right.signupCallbackResult?.linkedAccountsWithIncompleteSetup ?? {})
      assert.strictEqual(incomplete?.registrationStatus, "PENDING_REVIEW")
    }
  })
})
