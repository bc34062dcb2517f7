// Runs the CLI's CommonJS bundle (dist/cli.cjs) with V8's code cache (dist/cli.cache), for dist/bin.js
// (which the launcher bin/social-messaging.js imports) and for the build, which produces the cache
// (scripts/build.mjs copies this file to dist/code-cache.cjs).
//
// Compiling the bundle is most of a cold start: an ES module is compiled anew on every run (Node 20 has no
// compile cache for them), while a script compiled through `vm.Script` can be given the code V8 produced
// for it in an earlier run (`cachedData`) and skip parsing and compiling every function the cache holds.
// The build runs one AWS call through this same function and saves `script.createCachedData()` at exit, so
// the cache holds the functions a call runs, not only the top level.
//
// V8 validates the cache before using it: it must come from the same V8 version and the same V8 flags (a
// `node --max-old-space-size=…` or NODE_OPTIONS with V8 flags changes them) and from a source of the same
// length. A rejected cache (`script.cachedDataRejected`) is simply not used: the bundle compiles as it
// would without one, slower but with the same behaviour; so does a missing or unreadable cache file.
"use strict"
/* global require, exports, process */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so that the launcher loads it without one more ES module */
const { readFileSync, writeFileSync } = require("node:fs")
const Module = require("node:module")
const Path = require("node:path")
const vm = require("node:vm")

/**
 * Compiles and runs the bundle `file` as a CommonJS module, with the code cache `cacheFile` when it is
 * valid. With `produce`, writes the code V8 has compiled by the time the process exits to `cacheFile`.
 *
 * @param {string} file
 * @param {string} cacheFile
 * @param {{ readonly produce?: boolean }} [options]
 */
exports.run = (file, cacheFile, options = {}) => {
  let source
  try {
    source = readFileSync(file, "utf8")
  } catch (error) {
    // As the CLI reports a chunk it cannot load: a message and the AWS CLI's 255, not a stack trace.
    const detail = error instanceof Error ? error.message : String(error)
    process.stderr.write(
      `cannot load the CLI (${file}): ${detail} (the installation looks incomplete; reinstall the CLI)\n`
    )
    process.exitCode = 255
    return
  }
  const script = compile(source, file, options.produce === true ? undefined : readCache(cacheFile))
  if (options.produce === true) {
    process.once("exit", () => writeFileSync(cacheFile, script.createCachedData()))
  }
  const module = { exports: {}, id: file, filename: file, loaded: false }
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, Path.dirname(file))
}

/**
 * Whether V8 accepts `cacheFile` for the bundle `file` in this process (the build checks its cache so).
 *
 * @param {string} file
 * @param {string} cacheFile
 */
exports.accepted = (file, cacheFile) => {
  const cachedData = readCache(cacheFile)
  return cachedData !== undefined && !compile(readFileSync(file, "utf8"), file, cachedData).cachedDataRejected
}

/** @param {string} cacheFile */
const readCache = (cacheFile) => {
  try {
    return readFileSync(cacheFile)
  } catch {
    // No cache (a build that could not produce one): compile without.
    return undefined
  }
}

/**
 * @param {string} source
 * @param {string} file
 * @param {Buffer | undefined} cachedData
 */
const compile = (source, file, cachedData) =>
  new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    // The bundle's few dynamic imports (Node built-ins, the AWS SDK's credential chain) use Node's own
    // loader (Node before 20.12 has no USE_MAIN_CONTEXT_DEFAULT_LOADER: a callback does the same).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier) => import(specifier))
  })
