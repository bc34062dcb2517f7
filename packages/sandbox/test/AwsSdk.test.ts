import {
  AssociateWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountPhoneNumberCommand,
  ListLinkedWhatsAppBusinessAccountsCommand,
  ListTagsForResourceCommand,
  PutWhatsAppBusinessAccountEventDestinationsCommand,
  SocialMessagingClient,
  SocialMessagingServiceException,
  TagResourceCommand,
  UntagResourceCommand
} from "@aws-sdk/client-socialmessaging"
import { assert, describe, it } from "@effect/vitest"
import * as Fixtures from "@social-messaging/sandbox/Fixtures"
import * as Server from "@social-messaging/sandbox/Server"
import { Effect, Ref, Schema } from "effect"
import { sandboxKeys } from "./support/SignedClient.js"

class SdkFailed extends Schema.TaggedError<SdkFailed>()("SdkFailed", {
  name: Schema.String,
  status: Schema.optional(Schema.Number),
  requestId: Schema.optional(Schema.String),
  detail: Schema.String
}) {}

/** The official AWS SDK client, pointed at a fresh sandbox server; destroyed with the scope. */
const sdk = (secretAccessKey = sandboxKeys.secretAccessKey) =>
  Effect.gen(function*() {
    const server = yield* Server.serve()
    const client = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new SocialMessagingClient({
          endpoint: server.url,
          region: "us-east-1",
          credentials: { accessKeyId: sandboxKeys.accessKeyId, secretAccessKey },
          maxAttempts: 1
        })
      ),
      (client) => Effect.sync(() => client.destroy())
    )
    const send = <A>(run: (client: SocialMessagingClient) => Promise<A>) =>
      Effect.tryPromise({
        try: () => run(client),
        catch: (error) =>
          error instanceof SocialMessagingServiceException
            ? new SdkFailed({
              name: error.name,
              detail: error.message,
              ...(error.$metadata.httpStatusCode === undefined ? {} : { status: error.$metadata.httpStatusCode }),
              ...(error.$metadata.requestId === undefined ? {} : { requestId: error.$metadata.requestId })
            })
            : new SdkFailed({ name: "unexpected", detail: String(error) })
      })
    return { server, send }
  })

describe("the AWS SDK against the sandbox server", () => {
  it.scopedLive("associates (both steps), lists, gets, reads the phone number, tags", () =>
    Effect.gen(function*() {
      const { send, server } = yield* sdk()

      const step1 = yield* send((c) =>
        c.send(
          new AssociateWhatsAppBusinessAccountCommand({
            signupCallback: { accessToken: Fixtures.tokens.twoWabas }
          })
        )
      )
      assert.strictEqual(step1.statusCode, 200)
      assert.match(step1.$metadata.requestId ?? "", /^[0-9a-f-]{36}$/)
      const token = step1.signupCallbackResult?.associateInProgressToken
      assert.isDefined(token)
      const number = step1.signupCallbackResult?.linkedAccountsWithIncompleteSetup?.["100000000000001"]
        ?.unregisteredWhatsAppPhoneNumbers?.[0]
      assert.isDefined(number)

      const step2 = yield* send((c) =>
        c.send(
          new AssociateWhatsAppBusinessAccountCommand({
            setupFinalization: {
              associateInProgressToken: token,
              phoneNumbers: [{ id: number.phoneNumberId, twoFactorPin: "123456", dataLocalizationRegion: "JP" }],
              waba: { id: "100000000000001", tags: [{ key: "env", value: "sdk" }] }
            }
          })
        )
      )
      const id = step2.linkedWhatsAppBusinessAccountId
      assert.isDefined(id)

      const list = yield* send((c) => c.send(new ListLinkedWhatsAppBusinessAccountsCommand({ maxResults: 5 })))
      assert.deepStrictEqual(list.linkedAccounts?.map((a) => a.id), [id])
      const linkDate = list.linkedAccounts?.[0]?.linkDate
      assert.instanceOf(linkDate, Date)
      assert.approximately(linkDate?.getTime() ?? 0, Date.now(), 60_000)

      const { account } = yield* send((c) => c.send(new GetLinkedWhatsAppBusinessAccountCommand({ id })))
      assert.strictEqual(account?.wabaName, "Example Retail Support")
      assert.strictEqual(account?.phoneNumbers?.[0]?.dataLocalizationRegion, "JP")
      const wabaArn = account?.arn
      assert.isDefined(wabaArn)

      const phone = yield* send((c) =>
        c.send(new GetLinkedWhatsAppBusinessAccountPhoneNumberCommand({ id: number.arn }))
      )
      assert.strictEqual(phone.linkedWhatsAppBusinessAccountId, id)
      assert.strictEqual(phone.phoneNumber?.phoneNumber, "+14255550111")

      yield* send((c) =>
        c.send(
          new PutWhatsAppBusinessAccountEventDestinationsCommand({
            id,
            eventDestinations: [{ eventDestinationArn: "arn:aws:sns:us-east-1:123456789012:events" }]
          })
        )
      )

      yield* send((c) => c.send(new TagResourceCommand({ resourceArn: wabaArn, tags: [{ key: "team", value: "a" }] })))
      yield* send((c) => c.send(new UntagResourceCommand({ resourceArn: wabaArn, tagKeys: ["env"] })))
      const tags = yield* send((c) => c.send(new ListTagsForResourceCommand({ resourceArn: wabaArn })))
      assert.deepStrictEqual(tags.tags, [{ key: "team", value: "a" }])
      assert.strictEqual(tags.statusCode, 200)

      const log = yield* Ref.get(server.requestLog)
      assert.isTrue(log.every((e) => e.status === 200 && e.accessKeyId === sandboxKeys.accessKeyId))
      assert.strictEqual(log.length, 9)
    }))

  it.scopedLive("sees sandbox errors as the SDK's exception classes", () =>
    Effect.gen(function*() {
      const { send } = yield* sdk()
      const notFound = yield* Effect.flip(
        send((c) => c.send(new GetLinkedWhatsAppBusinessAccountCommand({ id: `waba-${"0".repeat(32)}` })))
      )
      assert.strictEqual(notFound.name, "ResourceNotFoundException")
      assert.strictEqual(notFound.status, 404)
      assert.match(notFound.requestId ?? "", /^[0-9a-f-]{36}$/)

      const invalid = yield* Effect.flip(
        send((c) =>
          c.send(
            new AssociateWhatsAppBusinessAccountCommand({ signupCallback: { accessToken: Fixtures.tokens.revoked } })
          )
        )
      )
      assert.strictEqual(invalid.name, "InvalidParametersException")
      assert.match(invalid.detail, /revoked/)

      const validation = yield* Effect.flip(
        send((c) => c.send(new ListLinkedWhatsAppBusinessAccountsCommand({ maxResults: 500 })))
      )
      assert.strictEqual(validation.name, "ValidationException")
      assert.match(validation.detail, /Value at 'maxResults'/)
    }))

  it.scopedLive("is refused with InvalidSignatureException when signing with the wrong secret", () =>
    Effect.gen(function*() {
      const { send } = yield* sdk("not-the-sandbox-secret")
      const error = yield* Effect.flip(send((c) => c.send(new ListLinkedWhatsAppBusinessAccountsCommand({}))))
      assert.strictEqual(error.name, "InvalidSignatureException")
      assert.strictEqual(error.status, 403)
    }))
})
