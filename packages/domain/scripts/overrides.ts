/**
 * The hand decisions the generator applies on top of the model: everything in packages/domain/src/generated/
 * that the model alone does not say. Each entry names model shapes or operations; the generator fails when one
 * no longer exists, so a stale decision cannot linger.
 */

/** Where an operation's input schema comes from when it is not the model's input shape as generated. */
export interface InputOverride {
  /** module under packages/domain/src, without extension */
  readonly module: string
  readonly export: string
  readonly why: string
}

/** The shape of the overrides (names are model shape, error or operation names). */
export interface Overrides {
  readonly brands: ReadonlyArray<string>
  readonly arbitraries: Readonly<Record<string, string>>
  readonly serviceIssued: ReadonlyArray<string>
  readonly extraSecrets: ReadonlyArray<string>
  readonly closedOnOutput: ReadonlyArray<string>
  readonly serviceErrors: ReadonlyArray<string>
  readonly neverRetried: ReadonlyArray<string>
  readonly throttling: ReadonlyArray<string>
  readonly inputs: Readonly<Record<string, InputOverride>>
  readonly outcomeChecks: Readonly<Record<string, string>>
  readonly defaultOutcomeCheck: string
}

export const overrides: Overrides = {
  /**
   * String shapes branded with their own name (the names of packages/domain/src/Ids.ts, so those can become
   * re-exports): ids and ARNs that must not be mixed up with one another or with free text.
   */
  brands: [
    "Arn",
    "EventDestinationArn",
    "KmsKeyArn",
    "LinkedWhatsAppBusinessAccountArn",
    "LinkedWhatsAppBusinessAccountId",
    "LinkedWhatsAppPhoneNumberArn",
    "MetaFlowId",
    "MetaTemplateId",
    "RoleArn",
    "WhatsAppBusinessAccountId",
    "WhatsAppDatasetId",
    "WhatsAppMediaId",
    "WhatsAppPhoneNumber",
    "WhatsAppPhoneNumberId"
  ],

  /**
   * Arbitraries (a regex for `fc.stringMatching`) where filtering generated strings by the model's pattern and
   * length would be slow or produce values that cannot survive: Meta's WABA id is a record key (the step-1
   * answer is keyed by it), where `__proto__` cannot survive a plain object.
   */
  arbitraries: {
    WhatsAppBusinessAccountId: "^[1-9][0-9]{0,19}$",
    WhatsAppDatasetId: "^[0-9]{10,20}$",
    MetaFlowId: "^[0-9]{1,20}$",
    MetaTemplateId: "^[0-9]{1,20}$"
  },

  /**
   * Tokens the service issues and the caller hands back unchanged: an input must accept them exactly as
   * received, so their length/pattern traits are not enforced (on input or output).
   */
  serviceIssued: ["NextToken", "AssociateInProgressToken"],

  /** Secrets the model leaves unmarked: Meta's embedded-signup access token is a bearer credential. */
  extraSecrets: ["WhatsAppSignupCallbackAccessTokenString"],

  /**
   * Enums are closed on input and open on output (a value AWS adds later decodes as a branded unknown string
   * instead of costing the caller the answer), except those listed here, which stay closed on output too.
   */
  closedOnOutput: [],

  /** The Smithy service shape's errors (botocore copies them into every operation's list). */
  serviceErrors: ["AccessDeniedException", "ValidationException"],

  /** Errors never retried whatever the model says: a quota (25 WABAs per region) is not a rate. */
  neverRetried: ["LimitExceededException"],

  /** Errors that are rate limits (the model marks ThrottledRequestException `@retryable` without `throttling`). */
  throttling: ["ThrottledRequestException"],

  /** Operation inputs refined by hand beyond the model. */
  inputs: {
    AssociateWhatsAppBusinessAccount: {
      module: "WhatsAppSignup",
      export: "AssociateWhatsAppBusinessAccountRequest",
      why: "the two steps are mutually exclusive (signupCallback | setupFinalization; waba | phoneNumberParent), " +
        "which the API docs say and the model does not encode"
    }
  },

  /**
   * For operations that are neither `readonly` nor `idempotent`: how a caller learns whether AWS acted on a request
   * whose outcome is unknown (the client never resends one by itself). `OutcomeUnknown` and the 5xx outcome note
   * quote it. Operations not listed get `defaultOutcomeCheck`.
   */
  outcomeChecks: {
    AssociateWhatsAppBusinessAccount:
      "To find out: list the linked accounts (ListLinkedWhatsAppBusinessAccounts) and look " +
      "for the WABA. After step 1 (signupCallback) Meta's access token may be spent: if the WABA is not linked, a new " +
      "embedded signup is needed; after step 2 (setupFinalization) its phone numbers show whether they were registered.",
    SendWhatsAppMessage: "To find out: watch the WABA's event destination for the message's status events (sent, " +
      "delivered, failed) before sending again; a resend may deliver the message twice.",
    SendWhatsAppCallEvent:
      "To find out: watch the WABA's event destination for the call's events before sending again.",
    SendWhatsAppConversionEvent: "To find out: check the dataset's events in Meta's Events Manager before sending " +
      "again; a resend may count the conversion twice.",
    PostWhatsAppMessageMedia:
      "To find out: nothing lists uploaded media; a resend uploads the file again under a new " +
      "media id, which is harmless but counts against Meta's storage.",
    CreateWhatsAppMessageTemplate:
      "To find out: list the templates (ListWhatsAppMessageTemplates) and look for it by " +
      "name and language.",
    CreateWhatsAppMessageTemplateFromLibrary:
      "To find out: list the templates (ListWhatsAppMessageTemplates) and look " +
      "for it by name and language.",
    CreateWhatsAppFlow: "To find out: list the flows (ListWhatsAppFlows) and look for it by name.",
    TagResource: "To find out: list the resource's tags (ListTagsForResource).",
    UntagResource: "To find out: list the resource's tags (ListTagsForResource)."
  },

  defaultOutcomeCheck: "To find out: read the resource's state (its Get or List operation) before sending again."
}
