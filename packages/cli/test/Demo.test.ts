/**
 * The main job, `npm start` (`dist/demo.js`), as a newcomer runs it: it spawns `sandbox serve` and the bin on
 * 127.0.0.1, links a WABA, sends a text and a template message, finds both in the outbox, and shows both read
 * in the event feed. Exit 0, and what it printed says so.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { dirname, join } from "node:path"
import { binPath, runBin } from "./support/Bin.js"

const demo = join(dirname(binPath), "..", "dist", "demo.js")

describe("npm start", () => {
  it.effect(
    "links, sends two messages, shows them in the outbox and read in the event feed",
    () =>
      Effect.gen(function*() {
        const run = yield* runBin([], { bin: demo })
        assert.strictEqual(run.code, 0, run.stderr)
        const ids = [...run.stdout.matchAll(/^# Message ids: (\S+), (\S+)$/gm)].flatMap((m) => [m[1], m[2]])
        assert.strictEqual(ids.length, 2, run.stdout.slice(-2000))
        for (const id of ids) {
          assert.match(run.stdout, new RegExp(`"messageId": "${id}"`))
          assert.match(run.stdout, new RegExp(`^STATUS\\tread\\t${id}\\t`, "m"))
        }
        assert.include(run.stdout, "$ social-messaging sandbox events --output text")
        assert.include(
          run.stdout,
          "Done: linked, listed, inspected, tagged, sent two messages and followed their statuses"
        )
      }),
    { timeout: 60_000 }
  )
})
