/**
 * `npm start`: the guided association against the sandbox, non-interactively, end to end, as a user
 * would type it: `sandbox serve` in the background, then signup → finalize, list, get, phone number,
 * tag, list tags, and then what a user does next: send a text message and a template message from the
 * newly registered number to a sandbox recipient, look at the sandbox's outbox (`GET /_sandbox/outbox`,
 * its debug endpoint), and then at the statuses the event destination received (`sandbox events`). Each
 * command is printed as `$ social-messaging …` followed by what it prints.
 *
 * Bundled next to the bin (`dist/demo.js`); it runs `dist/bin.js` as child processes and talks only to
 * 127.0.0.1. Exits with the first failing command's code.
 */
import { spawn, spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("./bin.js", import.meta.url))

/** The sandbox's fake Meta token and a PIN, handed over in variables as a script would. */
const secrets = { SANDBOX_META_TOKEN: "sandbox-meta-token-two-wabas", SANDBOX_PIN: "123456" }

const record = (u: unknown): Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) ? Object.fromEntries(Object.entries(u)) : {}

const text = (u: unknown): string => (typeof u === "string" ? u : "")

const list = (u: unknown): ReadonlyArray<unknown> => (Array.isArray(u) ? u : [])

/** The recipient of the demo's messages: any number with a country code does, the sandbox delivers nowhere. */
const recipient = "+4915112345678"

/** The sandbox's outbox for one sending number, as its debug endpoint shows it. */
const outbox = async (endpoint: string, phoneNumberId: string): Promise<unknown> => {
  const url = `${endpoint}/_sandbox/outbox?originationPhoneNumberId=${encodeURIComponent(phoneNumberId)}`
  process.stdout.write(`\n$ curl -s '${url}'\n`)
  const response = await fetch(url)
  const body: unknown = await response.json()
  process.stdout.write(`${JSON.stringify(body, null, 4)}\n`)
  return body
}

const startSandbox = (): Promise<{ readonly env: Record<string, string>; readonly stop: () => void }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "sandbox", "serve", "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let output = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      output += chunk
      if (!output.includes("Press Ctrl-C")) return
      process.stdout.write(`$ social-messaging sandbox serve --port 0 &\n${output}\n`)
      const env: Record<string, string> = {}
      for (const match of output.matchAll(/^export (\w+)=(.*)$/gm)) {
        if (match[1] !== undefined && match[2] !== undefined) env[match[1]] = match[2]
      }
      resolve({ env, stop: () => child.kill("SIGINT") })
    })
    child.once("exit", (code) => reject(new Error(`the sandbox exited early (${code})`)))
  })

const main = async () => {
  const sandbox = await startSandbox()
  const env = { ...process.env, ...sandbox.env, ...secrets }
  let failed = 0
  let lastStdout = ""
  const run = (args: ReadonlyArray<string>): unknown => {
    if (failed !== 0) return undefined
    process.stdout.write(
      `\n$ social-messaging ${args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(" ")}\n`
    )
    const result = spawnSync(process.execPath, [bin, ...args], {
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"]
    })
    process.stdout.write(result.stdout)
    lastStdout = result.stdout
    if (result.status !== 0) failed = result.status ?? 255
    try {
      return JSON.parse(result.stdout)
    } catch {
      return undefined
    }
  }
  try {
    process.stdout.write(
      "# The sandbox's Meta token and the PIN are in SANDBOX_META_TOKEN and SANDBOX_PIN: secrets never go on the command line.\n"
    )
    const linked = record(
      record(run([
        "associate-whatsapp-business-account",
        "--access-token-env",
        "SANDBOX_META_TOKEN",
        "--pin-env",
        "SANDBOX_PIN",
        "--waba-id",
        "100000000000001",
        "--event-destination-arn",
        "arn:aws:sns:us-east-1:123456789012:whatsapp-events",
        "--tags",
        "team=support"
      ])).account
    )
    run(["list-linked-whatsapp-business-accounts", "--output", "table"])
    run(["get-linked-whatsapp-business-account", "--id", text(linked.id), "--output", "text"])
    const phone = record(list(linked.phoneNumbers)[0])
    run(["get-linked-whatsapp-business-account-phone-number", "--id", text(phone.phoneNumberId)])
    run(["tag-resource", "--resource-arn", text(linked.arn), "--tags", "key=env,value=demo"])
    run(["list-tags-for-resource", "--resource-arn", text(linked.arn), "--output", "table"])

    process.stdout.write(
      "\n# Now send from the newly registered number: a text, then the approved template order_update.\n"
    )
    const from = text(phone.phoneNumberId)
    const sentText = record(run([
      "send-whatsapp-message",
      "--origination-phone-number-id",
      from,
      "--to",
      recipient,
      "--text",
      "Hello from AWS End User Messaging Social (sandbox)"
    ]))
    const sentTemplate = record(run([
      "send-whatsapp-message",
      "--origination-phone-number-id",
      from,
      "--to",
      recipient,
      "--template",
      "order_update",
      "--language",
      "en_US",
      "--named-parameters",
      "order_id=A-1001"
    ]))
    if (failed === 0) {
      const ids = [text(sentText.messageId), text(sentTemplate.messageId)]
      process.stdout.write(`\n# Message ids: ${ids.join(", ")}\n`)
      const shown = list(record(await outbox(sandbox.env["AWS_ENDPOINT_URL_SOCIALMESSAGING"] ?? "", from)).messages)
      const inOutbox = shown.map((m) => text(record(m).messageId))
      if (!ids.every((id) => id !== "" && inOutbox.includes(id))) {
        process.stderr.write("demo: the sent messages are not in the sandbox's outbox\n")
        failed = 255
      }
    }
    if (failed === 0) {
      process.stdout.write(
        "\n# The WABA has an event destination, so the sandbox delivers the events AWS would: sent after 1 s, " +
          "delivered after 2 s, read after 4 s. 4.5 s later, its feed (social-messaging sandbox events -f follows it):\n"
      )
      await new Promise((resolve) => setTimeout(resolve, 4500))
      run(["sandbox", "events", "--output", "text"])
      const read = lastStdout.split("\n").filter((line) => line.startsWith("STATUS\tread\t"))
      if (failed === 0 && read.length < 2) {
        process.stderr.write("demo: the sandbox's feed does not show both messages read\n")
        failed = 255
      }
    }
  } finally {
    sandbox.stop()
  }
  process.stdout.write(
    failed === 0
      ? "\nDone: linked, listed, inspected, tagged, sent two messages and followed their statuses, against the sandbox.\n"
      : ""
  )
  process.exitCode = failed
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 255
})
