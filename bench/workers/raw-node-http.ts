/** Worker, the floor: a request signed once, ahead of time, sent again and again through node:http (keep-alive). */
import * as Http from "node:http"
import { readConfig, run } from "../harness.js"

const config = readConfig()
const url = new URL(config.endpoint)
const agent = new Http.Agent({ keepAlive: true, maxSockets: 64 })
const send = (op: "get" | "associate") => {
  const { method, path, headers, body } = config.presigned[op]
  return () =>
    new Promise<unknown>((resolve, reject) => {
      const request = Http.request(
        { agent, hostname: url.hostname, port: url.port, method, path, headers },
        (response) => {
          const chunks: Array<Buffer> = []
          response.on("data", (chunk: Buffer) => chunks.push(chunk))
          response.on("end", () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")))
            } catch (error) {
              reject(error)
            }
          })
          response.on("error", reject)
        }
      )
      request.on("error", reject)
      request.end(body)
    })
}
await run("raw-node-http", {
  calls: { get: send("get"), associate: send("associate") },
  verify: (op, result) => JSON.stringify(result).includes(op === "get" ? "phoneNumbers" : "statusCode"),
  close: async () => agent.destroy()
}, config)
