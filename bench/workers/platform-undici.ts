/**
 * Worker, the Effect floor: the pre-signed request sent through `@effect/platform`'s `HttpClient` over
 * `NodeHttpClient.layerUndici` (no validation, signing, retries, timeouts or spans of this library), answers
 * parsed as JSON. The distance from here to the library is the library's own per-call cost.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { readConfig, run } from "../harness.js"

const config = readConfig()
const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
// Without the platform's own http.client span: the least an Effect HttpClient call can cost.
const client = HttpClient.withTracerDisabledWhen(await runtime.runPromise(HttpClient.HttpClient), () => true)
const send = (op: "get" | "associate") => {
  const { method, path, headers, body } = config.presigned[op]
  const request = HttpClientRequest.make(method as "GET")(config.endpoint + path, {
    headers,
    ...(body === undefined ? {} : { body: HttpBody.text(body, "application/json") })
  })
  const call = Effect.flatMap(client.execute(request), (response) => response.json)
  return () => runtime.runPromise(call)
}
await run("platform-undici", {
  calls: { get: send("get"), associate: send("associate") },
  verify: (op, result) => JSON.stringify(result).includes(op === "get" ? "phoneNumbers" : "statusCode"),
  close: () => runtime.dispose()
}, config)
