/**
 * The error union: each class's classification (from the model's error traits where AWS defines it),
 * encoding through the `SocialMessagingError` schema, and the per-operation error lists.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import { Effect, Schema } from "effect"
import { facts, shapeFacts } from "./support/ModelFacts.js"

/** The error shapes of the nine operations' facts. */
const factErrors = Object.keys(facts.shapes).filter((name) => shapeFacts(name).error !== undefined)
// Plus ConflictException: SendWhatsAppCallEvent's, newer than the facts (its classification is checked below).
const modelErrors = [...factErrors, "ConflictException"]

const awsErrorName = (name: string): Errors.AwsErrorName | undefined =>
  Object.keys(Errors.makeAwsError).find((k): k is Errors.AwsErrorName => k === name)

describe("AWS errors are classified as the model says", () => {
  it("the domain defines exactly the model's error shapes", () => {
    expect(Object.keys(Errors.makeAwsError).sort()).toEqual([...modelErrors].sort())
    expect(Object.keys(Errors.awsErrorClassifications).sort()).toEqual([...modelErrors].sort())
  })

  it("ConflictException (SendWhatsAppCallEvent): HTTP 409, client fault, not retried", () => {
    const error = new Errors.ConflictException({ message: "call event out of order" })
    expect(error.classification).toEqual({ httpStatus: 409, fault: "client", retryable: false, throttling: false })
  })

  for (const name of factErrors) {
    it(name, () => {
      const model = shapeFacts(name).error
      const key = awsErrorName(name)
      assert.isDefined(model)
      assert.isDefined(key)
      if (model === undefined || key === undefined) return
      const error = Errors.makeAwsError[key]({ message: "m", requestId: "r" })
      assert.strictEqual(error._tag, name)
      const c = Errors.classify(error)
      expect({ httpStatus: c.httpStatus, fault: c.fault, retryable: c.retryable }).toEqual({
        httpStatus: model.httpStatus,
        fault: model.fault,
        retryable: model.retryable
      })
      assert.strictEqual(Errors.isRetryable(error), model.retryable)
      // The model sets no `throttling: true` anywhere; the domain treats the 429 as the rate limit it is.
      assert.strictEqual(Errors.isThrottling(error), model.throttling || model.httpStatus === 429)
      assert.deepStrictEqual(error.classification, Errors.awsErrorClassifications[key])
    })
  }

  it("the cases a retry policy relies on", () => {
    const limit = new Errors.LimitExceededException({ message: "25 WABAs per region" })
    expect([Errors.isRetryable(limit), Errors.isThrottling(limit)]).toEqual([false, false])
    const throttled = new Errors.ThrottledRequestException({})
    expect([Errors.isRetryable(throttled), Errors.isThrottling(throttled)]).toEqual([true, true])
    for (const error of [new Errors.DependencyException({}), new Errors.InternalServiceException({})]) {
      expect([error.classification.fault, Errors.isRetryable(error), Errors.isThrottling(error)]).toEqual([
        "server",
        true,
        false
      ])
    }
  })
})

describe("the client's own errors", () => {
  it("TransportError is transient for resets, refusals, time-outs, DNS, unreachable hosts and body reads", () => {
    const transient = new Set([
      "ConnectionReset",
      "ConnectionRefused",
      "SocketTimeout",
      "ConnectTimeout",
      "DnsFailure",
      "HostUnreachable",
      "BodyReadFailed"
    ])
    for (const reason of Errors.TransportFailure.literals) {
      const error = new Errors.TransportError({ operation: "TagResource", reason })
      assert.strictEqual(Errors.isRetryable(error), transient.has(reason), reason)
      assert.isFalse(Errors.isThrottling(error))
      assert.strictEqual(error.classification.httpStatus, undefined)
    }
    expect(Errors.TransportFailure.literals).toEqual(
      expect.arrayContaining(["TlsFailure", "Unknown", ...transient])
    )
  })

  it("only failures before the request is written count as not sent", () => {
    expect([...Errors.notSentTransportFailures].sort()).toEqual(
      ["ConnectTimeout", "ConnectionRefused", "DnsFailure", "HostUnreachable"]
    )
  })

  it("OutcomeUnknown names the operation, the reason and how to find out; it is never retried", () => {
    const error = new Errors.OutcomeUnknown({
      operation: "AssociateWhatsAppBusinessAccount",
      reason: "AttemptTimeout",
      howToFindOut: "List the linked accounts."
    })
    expect(error.message).toContain("AssociateWhatsAppBusinessAccount: outcome unknown")
    expect(error.message).toContain("AttemptTimeout")
    expect(error.message).toContain("not sent again")
    expect(error.message).toContain("List the linked accounts.")
    assert.isFalse(Errors.isRetryable(error))
  })

  const malformed = (status: number) =>
    new Errors.MalformedResponse({ operation: "GetLinkedWhatsAppBusinessAccount", status, bodyExcerpt: "<html>" })

  it("MalformedResponse on a 2xx is not retryable; on a proxy's 5xx it is", () => {
    expect(Errors.classify(malformed(200))).toEqual({
      httpStatus: 200,
      fault: "client",
      retryable: false,
      throttling: false
    })
    expect(Errors.classify(malformed(503))).toEqual({
      httpStatus: 503,
      fault: "server",
      retryable: true,
      throttling: false
    })
    for (const status of [500, 502, 504]) assert.isTrue(Errors.isRetryable(malformed(status)), String(status))
    assert.isTrue(Errors.isThrottling(malformed(429)))
  })

  it("UnknownServiceError is classified by its status", () => {
    const unknown = (status: number) =>
      new Errors.UnknownServiceError({ operation: "TagResource", errorType: "NewException", status })
    const cases: ReadonlyArray<readonly [number, Errors.Classification]> = [
      [400, { httpStatus: 400, fault: "client", retryable: false, throttling: false }],
      [403, { httpStatus: 403, fault: "client", retryable: false, throttling: false }],
      [429, { httpStatus: 429, fault: "client", retryable: true, throttling: true }],
      [500, { httpStatus: 500, fault: "server", retryable: true, throttling: false }],
      [501, { httpStatus: 501, fault: "server", retryable: false, throttling: false }],
      [502, { httpStatus: 502, fault: "server", retryable: true, throttling: false }],
      [503, { httpStatus: 503, fault: "server", retryable: true, throttling: false }],
      [504, { httpStatus: 504, fault: "server", retryable: true, throttling: false }]
    ]
    for (const [status, expected] of cases) expect(Errors.classify(unknown(status)), String(status)).toEqual(expected)
    assert.include(unknown(418).message, "NewException")
  })

  it("an attempt timeout is retried; a deadline, credentials, configuration or validation failure is not", () => {
    assert.isTrue(Errors.isRetryable(new Errors.AttemptTimeout({ operation: "TagResource", timeoutMillis: 5000 })))
    const final: ReadonlyArray<Errors.SocialMessagingError> = [
      new Errors.DeadlineExceeded({ operation: "TagResource", deadlineMillis: 30000 }),
      new Errors.CredentialsError({ provider: "env", detail: "AWS_ACCESS_KEY_ID not set" }),
      new Errors.ConfigurationError({ setting: "region", detail: "missing" }),
      new Errors.RequestValidationError({
        operation: "TagResource",
        violations: [{ path: "tags", message: "is missing" }]
      })
    ]
    for (const error of final) assert.isFalse(Errors.isRetryable(error), error._tag)
  })
})

describe("the SocialMessagingError schema", () => {
  const samples: ReadonlyArray<Errors.SocialMessagingError> = [
    ...modelErrors.flatMap((name) => {
      const key = awsErrorName(name)
      return key === undefined ? [] : [Errors.makeAwsError[key]({ message: `${name} happened`, requestId: "req-1" })]
    }),
    new Errors.RequestValidationError({
      operation: "AssociateWhatsAppBusinessAccount",
      violations: [{ path: "setupFinalization.phoneNumbers[0].twoFactorPin", message: "expected …" }]
    }),
    new Errors.TransportError({ operation: "TagResource", reason: "ConnectionReset", detail: "ECONNRESET" }),
    new Errors.OutcomeUnknown({ operation: "TagResource", reason: "AttemptTimeout", howToFindOut: "List the tags." }),
    new Errors.MalformedResponse({ operation: "TagResource", status: 502, bodyExcerpt: "<html>", requestId: "r" }),
    new Errors.UnknownServiceError({ operation: "TagResource", errorType: "X", status: 400, awsMessage: "m" }),
    new Errors.AttemptTimeout({ operation: "TagResource", timeoutMillis: 1 }),
    new Errors.DeadlineExceeded({ operation: "TagResource", deadlineMillis: 2 }),
    new Errors.CredentialsError({ provider: "env", detail: "d" }),
    new Errors.ConfigurationError({ setting: "endpoint", detail: "d" })
  ]

  it("has a member for every tag, and every tag is a member", () => {
    const tags = Errors.SocialMessagingError.members.map((m) => m._tag)
    expect(new Set(tags)).toEqual(Errors.errorTags)
    expect(new Set(samples.map((e) => e._tag))).toEqual(Errors.errorTags)
  })

  for (const error of samples) {
    it.effect(`${error._tag} encodes to JSON and decodes back to its class`, () =>
      Effect.gen(function*() {
        const wire = yield* Schema.encode(Errors.SocialMessagingError)(error)
        const back = yield* Schema.decodeUnknown(Errors.SocialMessagingError)(JSON.parse(JSON.stringify(wire)))
        assert.strictEqual(back.constructor, error.constructor)
        assert.deepStrictEqual(back, error)
        assert.deepStrictEqual(back.classification, error.classification)
        assert.isTrue(Errors.isSocialMessagingError(back))
      }))
  }

  it.effect("a TransportError's cause survives as a printable defect", () =>
    Effect.gen(function*() {
      const error = new Errors.TransportError({
        operation: "TagResource",
        reason: "SocketTimeout",
        cause: new Error("socket hang up")
      })
      const wire = yield* Schema.encode(Errors.SocialMessagingError)(error)
      const back = yield* Schema.decodeUnknown(Errors.SocialMessagingError)(JSON.parse(JSON.stringify(wire)))
      assert.strictEqual(back._tag, "TransportError")
      if (back._tag === "TransportError") assert.include(String(back.cause), "socket hang up")
    }))

  it.effect("an unknown tag is rejected, and the predicate says no", () =>
    Effect.gen(function*() {
      yield* Effect.flip(Schema.decodeUnknown(Errors.SocialMessagingError)({ _tag: "SomethingElse", message: "m" }))
      assert.isFalse(Errors.isSocialMessagingError({ _tag: "SomethingElse" }))
      assert.isFalse(Errors.isSocialMessagingError(new Error("plain")))
      assert.isFalse(Errors.isSocialMessagingError(null))
    }))
})

describe("errors per operation", () => {
  for (const op of facts.operations) {
    it(`${op.name}: the model's errors plus AccessDeniedException and ValidationException`, () => {
      const declared = Object.values(Operations.association).find((entry) => entry.name === op.name)?.errors
      expect(declared).toEqual([...op.errors, ...facts.serviceErrors])
      // An error AWS sends that the operation does not declare is not mapped to a class.
      for (const name of modelErrors) {
        const made = Errors.declaredAwsError(declared ?? [], name, { message: "m" })
        if ([...op.errors, ...facts.serviceErrors].includes(name)) assert.strictEqual(made?._tag, name)
        else assert.isUndefined(made, name)
      }
    })
  }
})
