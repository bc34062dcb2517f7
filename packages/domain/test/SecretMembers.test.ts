import { assert, describe, it } from "@effect/vitest"
import * as WhatsAppSignup from "@social-messaging/domain/WhatsAppSignup"
import { facts } from "./support/ModelFacts.js"

describe("secretMembers", () => {
  it("is the model's sensitive members of the domain plus Meta's access token", () => {
    const sensitive = new Set<string>(["accessToken"])
    for (const shape of Object.values(facts.shapes)) {
      for (const member of shape.members ?? []) {
        if (member.sensitive === true || facts.shapes[member.target]?.sensitive === true) sensitive.add(member.name)
      }
    }
    assert.deepStrictEqual([...WhatsAppSignup.secretMembers].sort(), [...sensitive].sort())
  })

  it("redacts them at any depth and leaves the rest", () => {
    const wire = {
      signupCallback: { accessToken: "EAAG-secret", callbackUrl: "https://example.com" },
      setupFinalization: {
        associateInProgressToken: "aip-secret",
        phoneNumbers: [{ id: "1", twoFactorPin: "123456" }]
      }
    }
    const text = JSON.stringify(WhatsAppSignup.redactSecretMembers(wire))
    for (const secret of ["EAAG-secret", "aip-secret", "123456"]) assert.notInclude(text, secret)
    assert.include(text, "https://example.com")
    assert.deepStrictEqual(WhatsAppSignup.redactSecretMembers([1, "a", null]), [1, "a", null])
  })
})
