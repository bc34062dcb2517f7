/**
 * The Effect floor with AWS's own modules: the floor program (effectFloorProgram.ts) plus what this library takes
 * from AWS — the SigV4 signer (`@smithy/signature-v4`, `@smithy/hash-node`), the endpoint rule engine
 * (`@smithy/util-endpoints` with `@aws-sdk/util-endpoints`, over the model's rule set) and the credential chain
 * (`@aws-sdk/credential-provider-node`, imported only when the environment holds no credentials, as the library
 * does) — each used once: the request is signed and the rule set evaluated. What is left between this program and
 * the library's, in size and cold start, is the library's own code.
 */
import { awsEndpointFunctions } from "@aws-sdk/util-endpoints"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import { customEndpointFunctions, resolveEndpoint } from "@smithy/util-endpoints"
import { ruleSet } from "@social-messaging/http-client/generated/EndpointRuleSet"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { associateWire, region } from "../fixtures.js"

const Answer = Schema.Struct({ statusCode: Schema.Number })

const credentials = async () => {
  const accessKeyId = process.env["AWS_ACCESS_KEY_ID"]
  const secretAccessKey = process.env["AWS_SECRET_ACCESS_KEY"]
  if (accessKeyId !== undefined && secretAccessKey !== undefined) return { accessKeyId, secretAccessKey }
  const { defaultProvider } = await import("@aws-sdk/credential-provider-node")
  return defaultProvider()()
}

export const main = async (transport: Layer.Layer<HttpClient.HttpClient>): Promise<void> => {
  customEndpointFunctions["aws"] ??= awsEndpointFunctions
  const resolved = resolveEndpoint(ruleSet, { endpointParams: { Region: region, UseFIPS: false, UseDualStack: false } })
  const endpoint = new URL(process.env["BENCH_ENDPOINT"] ?? resolved.url.href)
  const body = JSON.stringify(associateWire)
  const signer = new SignatureV4({
    service: "social-messaging",
    region,
    sha256: Hash.bind(null, "sha256"),
    credentials
  })
  const signed = await signer.sign({
    method: "POST",
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: "/v1/whatsapp/signup",
    headers: { host: endpoint.host, "content-type": "application/json" },
    body
  })
  const request = HttpClientRequest.post(`${endpoint.origin}/v1/whatsapp/signup`, {
    body: HttpBody.text(body, "application/json"),
    headers: signed.headers
  })
  const output = await Effect.runPromise(
    Effect.flatMap(HttpClient.HttpClient, (client) => client.execute(request)).pipe(
      Effect.flatMap(HttpClientResponse.schemaBodyJson(Answer)),
      Effect.provide(transport)
    )
  )
  process.stdout.write(`${output.statusCode}\n`)
}
