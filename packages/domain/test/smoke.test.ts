import { describe, expect, it } from "@effect/vitest"
import * as Domain from "@social-messaging/domain"
import { Effect } from "effect"

describe("smoke", () => {
  it.effect("runs", () => Effect.sync(() => expect(typeof Domain).toBe("object")))
})
