/**
 * The Effect floor of the size and cold-start comparison: the same Effect and `@effect/platform` modules a
 * program of this library loads (Effect, Layer, Schema, HttpClient over the given transport), sending the
 * AssociateWhatsAppBusinessAccount body unsigned and decoding the answer's status, with no library. The size
 * the library adds to an Effect application is its program's bundle minus this one.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { associateWire } from "../fixtures.js"

const Answer = Schema.Struct({ statusCode: Schema.Number })

export const main = async (transport: Layer.Layer<HttpClient.HttpClient>): Promise<void> => {
  const request = HttpClientRequest.post(`${process.env["BENCH_ENDPOINT"]}/v1/whatsapp/signup`, {
    body: HttpBody.text(JSON.stringify(associateWire), "application/json"),
    // the bench server answers only requests that carry one; nothing checks the signature
    headers: { authorization: "unsigned" }
  })
  const output = await Effect.runPromise(
    Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request)).pipe(
      Effect.flatMap(HttpClientResponse.schemaBodyJson(Answer)),
      Effect.provide(transport)
    )
  )
  process.stdout.write(`${output.statusCode}\n`)
}
