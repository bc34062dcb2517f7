/**
 * Event test helpers over `Sandbox.layer`: link "Example Retail Support" with an SNS topic as its event
 * destination, send a text.
 */
import { assert } from "@effect/vitest"
import * as Ids from "@social-messaging/domain/Ids"
import { SocialMessaging } from "@social-messaging/http-client/SocialMessaging"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import { Effect, Redacted } from "effect"

/** The event destination the helpers link with. */
export const topic = "arn:aws:sns:us-east-1:123456789012:whatsapp-events"

/** Links "Example Retail Support" with its first number (and `topic` as event destination unless `withTopic` is false). */
export const linkWithTopic = (withTopic = true) =>
  Effect.gen(function*() {
    const client = yield* SocialMessaging
    const step1 = yield* client.associateWhatsAppBusinessAccount({
      signupCallback: { accessToken: Redacted.make(Fixtures.tokens.twoWabas) }
    })
    const token = step1.signupCallbackResult?.associateInProgressToken
    assert.isDefined(token)
    const metaNumber = Fixtures.retailSupport.phoneNumbers[0]
    assert.isDefined(metaNumber)
    const step2 = yield* client.associateWhatsAppBusinessAccount({
      setupFinalization: {
        associateInProgressToken: token,
        phoneNumbers: [{
          id: Ids.WhatsAppPhoneNumber.make(metaNumber.metaPhoneNumberId),
          twoFactorPin: Redacted.make("123456")
        }],
        waba: {
          id: Ids.WhatsAppBusinessAccountId.make(Fixtures.retailSupport.wabaId),
          ...(withTopic ? { eventDestinations: [{ eventDestinationArn: Ids.EventDestinationArn.make(topic) }] } : {})
        }
      }
    })
    const id = step2.linkedWhatsAppBusinessAccountId
    assert.isDefined(id)
    const { account } = yield* client.getLinkedWhatsAppBusinessAccount({ id })
    const number = account?.phoneNumbers[0]
    assert.isDefined(number)
    return { client, id, number }
  })

/** Sends a text to `to` from `number`; answers the messageId. */
export const sendText = (number: Ids.WhatsAppPhoneNumberId, to: string, body = "Your order has shipped") =>
  Effect.flatMap(SocialMessaging, (client) =>
    client.sendWhatsAppMessage({
      originationPhoneNumberId: number,
      message: Redacted.make(
        new TextEncoder().encode(JSON.stringify({ messaging_product: "whatsapp", to, type: "text", text: { body } }))
      ),
      metaApiVersion: "v20.0"
    })).pipe(Effect.map(({ messageId }) => {
      assert.isDefined(messageId)
      return messageId
    }))
