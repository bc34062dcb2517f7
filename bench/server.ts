/**
 * The loopback server, run as its own process so its CPU is not charged to the clients: node:http on
 * 127.0.0.1, keep-alive, a fixed JSON answer per path (403 without an Authorization header, 404 for an
 * unknown path). Prints `{"port":N}` once listening; exits when its stdin closes.
 */
import * as Http from "node:http"
import { responses } from "./fixtures.js"

const answers = new Map(
  Object.entries(responses).map(([path, body]) => [path, Buffer.from(body, "utf8")] as const)
)
const requestId = "5f3c1a2b-9d8e-4f70-a1b2-c3d4e5f60718"

const server = Http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const path = (request.url ?? "/").split("?", 1)[0] ?? "/"
  request.resume()
  request.on("end", () => {
    const body = answers.get(path)
    if (request.headers.authorization === undefined || body === undefined) {
      response.writeHead(request.headers.authorization === undefined ? 403 : 404, {
        "content-type": "application/json",
        "x-amzn-errortype": request.headers.authorization === undefined ? "AccessDeniedException" : "UnknownOperation"
      })
      response.end("{}")
      return
    }
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": body.byteLength,
      "x-amzn-requestid": requestId
    })
    response.end(body)
  })
})
server.headersTimeout = 0
server.requestTimeout = 0

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  process.stdout.write(JSON.stringify({ port }) + "\n")
})
process.stdin.resume()
process.stdin.on("end", () => process.exit(0))
process.stdin.on("close", () => process.exit(0))
