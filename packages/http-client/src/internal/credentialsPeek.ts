/**
 * A synchronous look at the credentials a service would answer with now, for the services this package
 * builds (static, environment, cached): what lets a call sign without running `get` as an effect. A service
 * without an entry (a user's own), or one whose cache is empty or stale, answers `undefined`; the caller
 * then runs `get`.
 */
import type { Credentials, Service } from "../AwsCredentials.js"

const peeks = new WeakMap<Service, (now: number) => Credentials | undefined>()

/** Registers how `service` answers synchronously; returns the service. */
export const register = <S extends Service>(service: S, peek: (now: number) => Credentials | undefined): S => {
  peeks.set(service, peek)
  return service
}

/** The credentials `service.get` would answer at `now` without loading anything, if known. */
export const peek = (service: Service, now: number): Credentials | undefined => peeks.get(service)?.(now)
