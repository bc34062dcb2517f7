/** The test projects: one per workspace package (each has its own vitest.config.ts). */
export const projects = ["packages/*"]
