#!/usr/bin/env node
/**
 * The `social-messaging` executable: runs `Cli.main` on Node and exits with its code. The HTTP client
 * (`NodeHttp`, over node:http, which starts faster than undici and is all one call needs) is imported only
 * when a command calls AWS.
 *
 * The platform services are the three @effect/cli needs (file system, path, terminal), not `NodeContext`'s
 * whole set: its command executor and worker manager load `node:child_process`, `node:worker_threads` and
 * `node:net` (~18 ms of a call's start) for services no command uses.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Terminal from "@effect/platform/Terminal"
import { Effect, Layer, Scope } from "effect"
import * as Cli from "./Cli.js"
import { describeCause, LoadError } from "./internal/CliError.js"
import * as Environment from "./internal/Environment.js"

// A failed import (a missing chunk of an incomplete install) is an expected failure with a message, not a defect.
const httpClient = Layer.unwrapEffect(
  Effect.map(
    Effect.tryPromise({
      try: () => import("./internal/NodeHttp.js"),
      catch: (cause) => new LoadError({ what: "the HTTP client (NodeHttp)", detail: describeCause(cause) })
    }),
    (NodeHttp) => NodeHttp.layer
  )
)

// The terminal, made on first use: `NodeTerminal.make` opens `process.stdin` (a stream, and for a pipe a
// socket), which only the prompts of the guided association read.
const terminal = Layer.scoped(
  Terminal.Terminal,
  Effect.map(
    Effect.flatMap(Effect.scope, (scope) => Effect.cached(Scope.extend(NodeTerminal.make(), scope))),
    (made) =>
      Terminal.Terminal.of({
        columns: Effect.flatMap(made, (t) => t.columns),
        rows: Effect.flatMap(made, (t) => t.rows),
        isTTY: Effect.flatMap(made, (t) => t.isTTY),
        readInput: Effect.flatMap(made, (t) => t.readInput),
        readLine: Effect.flatMap(made, (t) => t.readLine),
        display: (text) => Effect.flatMap(made, (t) => t.display(text))
      })
  )
)

// Anything but an exit code from `main` is a defect: 255, as the AWS CLI exits on an unexpected error.
let exitCode = 255

Cli.main(process.argv).pipe(
  Effect.tap((code) => Effect.sync(() => (exitCode = code))),
  Effect.tapDefect((cause) =>
    Effect.sync(() => process.stderr.write(`unexpected error: ${String(cause).split("\n")[0]}\n`))
  ),
  Effect.provide(Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, terminal, Environment.layerNode(httpClient))),
  (program) =>
    NodeRuntime.runMain(program, {
      disableErrorReporting: true,
      // Exit as soon as the output is written, with every code: waiting for the event loop to drain would
      // wait for idle sockets and the stdin handle to close (tens of milliseconds after the answer).
      teardown: () => process.stdout.write("", () => process.stderr.write("", () => process.exit(exitCode)))
    })
)
