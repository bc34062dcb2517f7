/**
 * Business public keys (WhatsApp Flows' end-to-end encryption): PutWhatsAppBusinessPublicKey and
 * GetWhatsAppBusinessPublicKey, per registered phone number.
 *
 * - Put takes exactly one of `businessPublicKey` (a PEM `PUBLIC KEY`, checked with Node's crypto: it must be
 *   a 2048-bit RSA key) or `kmsKeyArn` (the sandbox has no KMS: the key stands for
 *   `Fixtures.kmsBusinessPublicKey`); anything else is `InvalidParametersException`.
 * - Get answers the key and Meta's signature status (`VALID`); a number without a key answers no members.
 * - An unknown number is `ResourceNotFoundException`.
 */
import type * as Errors from "@social-messaging/domain/Errors"
import * as Effect from "effect/Effect"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Crypto from "node:crypto"
import * as Fixtures from "../Fixtures.js"
import { type Context, invalid, metaAccess, type Methods, requireNumber } from "./State.js"

/** Checks a PEM public key: a 2048-bit RSA key, as Meta requires. */
export const checkPem = (pem: string): Effect.Effect<string, Errors.InvalidParametersException> =>
  Effect.try({
    try: () => Crypto.createPublicKey({ key: pem, format: "pem" }),
    catch: () => invalid("businessPublicKey is not a PEM public key (-----BEGIN PUBLIC KEY-----).")
  }).pipe(
    Effect.filterOrFail(
      (key) => key.asymmetricKeyType === "rsa" && key.asymmetricKeyDetails?.modulusLength === 2048,
      (key) =>
        invalid(
          `businessPublicKey must be a 2048-bit RSA key; got ${key.asymmetricKeyType ?? "an unknown key type"}` +
            (key.asymmetricKeyDetails?.modulusLength === undefined
              ? ""
              : ` of ${key.asymmetricKeyDetails.modulusLength} bits`) +
            "."
        )
    ),
    Effect.as(pem)
  )

/** The business public key operations. */
export const make = ({ ref }: Context): Methods<"PutWhatsAppBusinessPublicKey" | "GetWhatsAppBusinessPublicKey"> => ({
  putWhatsAppBusinessPublicKey: (input) =>
    SynchronizedRef.modifyEffect(ref, (state) =>
      Effect.gen(function*() {
        const found = yield* requireNumber(state, input.originationPhoneNumberId)
        if ((input.businessPublicKey === undefined) === (input.kmsKeyArn === undefined)) {
          return yield* invalid("Give exactly one of businessPublicKey or kmsKeyArn.")
        }
        const pem = input.businessPublicKey === undefined
          ? Fixtures.kmsBusinessPublicKey
          : yield* checkPem(input.businessPublicKey)
        yield* metaAccess(found.waba)
        const publicKeys = new Map(state.publicKeys)
        publicKeys.set(found.phoneNumber.phoneNumberId, { pem, kmsKeyArn: input.kmsKeyArn })
        return [{}, { ...state, publicKeys }] as const
      })),

  getWhatsAppBusinessPublicKey: (input) =>
    Effect.flatMap(SynchronizedRef.get(ref), (state) =>
      Effect.gen(function*() {
        const found = yield* requireNumber(state, input.originationPhoneNumberId)
        yield* metaAccess(found.waba)
        const key = state.publicKeys.get(found.phoneNumber.phoneNumberId)
        return key === undefined ? {} : { businessPublicKey: key.pem, businessPublicKeySignatureStatus: "VALID" }
      }))
})
