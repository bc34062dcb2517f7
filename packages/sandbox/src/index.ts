/** Meta's side of the sandbox: the seeded access tokens and what each grants. */
export * as Fixtures from "./Fixtures.js"
/** The in-memory engine of the whole API (areas in engine/). */
export * as Engine from "./Engine.js"
/** The in-process layer: `SocialMessaging` over the engine, no network. */
export * as Sandbox from "./Sandbox.js"
/** SigV4 verification as AWS front ends do it. */
export * as SigV4Verifier from "./SigV4Verifier.js"
/** Fault injection: rate limits, scripted and random faults. */
export * as Faults from "./Faults.js"
/** The loopback HTTP server. */
export * as Server from "./Server.js"
