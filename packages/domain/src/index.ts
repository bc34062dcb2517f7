/** Ids and ARNs of the association domain, branded and constrained as the model says. */
export * as Ids from "./Ids.js"
/** Tags and the tagging operations. */
export * as Tagging from "./Tagging.js"
/** Linked accounts, phone numbers, event destinations and their operations. */
export * as LinkedAccounts from "./LinkedAccounts.js"
/** AssociateWhatsAppBusinessAccount: signup callback and setup finalization. */
export * as WhatsAppSignup from "./WhatsAppSignup.js"
/** The tagged error union and its classification. */
export * as Errors from "./Errors.js"
/** The 38 operations as data (generated from the model): HTTP binding, schemas, errors; input validation. */
export * as Operations from "./Operations.js"
/** Meta's WhatsApp Cloud API message JSON (the `message` blob of SendWhatsAppMessage): schemas, builders, bytes. */
export * as WhatsAppMessage from "./WhatsAppMessage.js"
/** WhatsApp Flow JSON (the `flowJson` blob of UpdateWhatsAppFlowAssets): schema and bytes. */
export * as WhatsAppFlow from "./WhatsAppFlow.js"
/** What the event destination delivers (SNS envelope, AWS's event record, Meta's webhook entry) as typed events. */
export * as WhatsAppEvent from "./WhatsAppEvent.js"
/** restJson1 requests both ways from the operation table: `toWire` (what a client sends) and `fromWire`. */
export * as Wire from "./Wire.js"
/** The secrets of a schema (members marked sensitive) and their redaction in wire JSON and text. */
export * as Redaction from "./Redaction.js"
/** One walk over a schema's AST, for rewriting it (dropping refinements, making members optional) or reading it. */
export * as AstRewrite from "./AstRewrite.js"
