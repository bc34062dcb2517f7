/** The `social-messaging` command line: its commands and `main`. */
export * as Cli from "./Cli.js"
