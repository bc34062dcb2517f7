import { defineConfig } from "vitest/config"
import { projects } from "./vitest.workspace.js"

// Vitest 3.2 deprecates loading vitest.workspace.ts by itself; the list lives there and is used here.
export default defineConfig({
  test: {
    projects,
    reporters: ["default", "./vitest.summary.ts"]
  }
})
