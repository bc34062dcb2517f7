/**
 * A registry of synchronous looks: for each registered service, how it would answer now without running an
 * effect. `AwsCredentials` keeps one for the credentials services it builds (static, environment, cached), which
 * lets a call sign without running `get`; a service without an entry (a user's own), or one whose cache is empty or
 * stale, answers `undefined`, and the caller then runs `get`.
 */
export interface Registry<K extends object, V> {
  /** Registers how `service` answers synchronously; returns the service. */
  readonly register: <S extends K>(service: S, peek: (now: number) => V | undefined) => S
  /** What `service` would answer at `now` without loading anything, if known. */
  readonly peek: (service: K, now: number) => V | undefined
}

/** An empty registry (entries go with their services: a `WeakMap`). */
export const make = <K extends object, V>(): Registry<K, V> => {
  const peeks = new WeakMap<K, (now: number) => V | undefined>()
  return {
    register: (service, peek) => {
      peeks.set(service, peek)
      return service
    },
    peek: (service, now) => peeks.get(service)?.(now)
  }
}
