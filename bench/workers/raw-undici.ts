/** Worker, the floor: a request signed once, ahead of time, sent again and again through an undici Pool. */
import { Pool } from "undici"
import { readConfig, run } from "../harness.js"

const config = readConfig()
const pool = new Pool(config.endpoint, { connections: 64 })
const send = (op: "get" | "associate") => {
  const { method, path, headers, body } = config.presigned[op]
  return async (): Promise<unknown> => {
    const response = await pool.request({ method: method as "GET", path, headers, body: body ?? null })
    return JSON.parse(await response.body.text()) as unknown
  }
}
await run("raw-undici", {
  calls: { get: send("get"), associate: send("associate") },
  verify: (op, result) => JSON.stringify(result).includes(op === "get" ? "phoneNumbers" : "statusCode"),
  close: () => pool.close()
}, config)
