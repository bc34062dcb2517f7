/**
 * Worker: this library over undici with no per-attempt time-out and no deadline, as the AWS SDK runs by
 * default (its request timeout is 0): the like-for-like comparison, without the time-out race.
 */
import * as UndiciHttpClient from "@social-messaging/http-client/UndiciHttpClient"
import * as Duration from "effect/Duration"
import { readConfig, run } from "../harness.js"
import { make } from "./effectClient.js"

const config = readConfig()
await run(
  "effect-undici-no-timeouts",
  await make(config, UndiciHttpClient.layer, { attemptTimeout: Duration.infinity, deadline: Duration.infinity }),
  config
)
