import type { Reporter, TestModule, Vitest } from "vitest/node"

/**
 * Prints one plain closing line, `Tests: N passed, N failed, N skipped`, after vitest's own report, so CI
 * reads the counts of the whole run.
 */
export default class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined

  onInit(vitest: Vitest) {
    this.vitest = vitest
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
    }
    // Through vitest's logger, so the line comes after the default reporter's summary.
    const line = `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`
    setTimeout(() => (this.vitest === undefined ? console.log(line) : this.vitest.logger.log(`\n${line}`)), 0)
  }
}
