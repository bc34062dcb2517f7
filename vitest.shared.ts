import type { ViteUserConfig } from "vitest/config"

/** Shared per-package Vitest settings: workspace packages resolve to their TypeScript sources. */
export const shared: ViteUserConfig = {
  resolve: { conditions: ["@social-messaging/source"] },
  ssr: { resolve: { conditions: ["@social-messaging/source"], externalConditions: ["@social-messaging/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    fakeTimers: { toFake: undefined },
    sequence: { concurrent: false }
  }
}
