/**
 * Every operation of the service, callable with a wire-form input: the input is decoded with the operation's
 * own input schema (so Redacted secrets, bytes and brands are what the caller would pass) and sent through
 * the service's method for it. One typed entry per operation, checked against `Methods` by the compiler.
 */
import * as AstRewrite from "@social-messaging/domain/AstRewrite"
import type * as Errors from "@social-messaging/domain/Errors"
import * as Operations from "@social-messaging/domain/Operations"
import type { ParseResult, SchemaAST } from "effect"
import { Effect, Schema } from "effect"
import type * as SocialMessaging from "../../src/SocialMessaging.js"

/** What a wire-form call can end in besides the operation's output: the client's errors, or a bad test input. */
export type WireCallError = Errors.SocialMessagingError | ParseResult.ParseError

/** An operation's call from a wire-form input. */
export interface WireCall {
  readonly operation: Operations.AnyOperationEntry
  /** Decodes `wire` with the operation's input schema (failing on an invalid input), then calls the method. */
  readonly call: (service: SocialMessaging.Service, wire: unknown) => Effect.Effect<unknown, WireCallError>
  /**
   * Decodes `wire` with `loose(input)` (no constraint, every member optional) and calls the method: a value
   * the input's type allows but the model does not, to see what the client makes of it.
   */
  readonly callUnchecked: (service: SocialMessaging.Service, wire: unknown) => Effect.Effect<unknown, WireCallError>
}

// =============================================================================
// A schema without the model's constraints
// =============================================================================

/** `ast` without refinements (constraints, brands, cross-member rules) and with every member optional. */
const loosen = (ast: SchemaAST.AST): SchemaAST.AST =>
  AstRewrite.rewrite(ast, { dropRefinement: () => true, allOptional: true })

/**
 * The schema's types with none of its checks: what a caller who ignores the model (or casts) can pass. The
 * type parameters are the schema's own, which is the point: the compiler allows every such value.
 */
export const loose = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, I> =>
  Schema.make<A, I, never>(loosen(schema.ast))

// =============================================================================
// The operations
// =============================================================================

const via = <I, IE, O, OE, K extends Errors.AwsErrorName>(
  operation: Operations.Operation<I, IE, O, OE, K>,
  method: (service: SocialMessaging.Service) => (input: I) => Effect.Effect<O, Errors.SocialMessagingError>
): WireCall => {
  const unchecked = loose(operation.input)
  return {
    operation,
    call: (service, wire) =>
      Effect.flatMap(Schema.decodeUnknown(operation.input, Operations.validationOptions)(wire), method(service)),
    callUnchecked: (service, wire) => Effect.flatMap(Schema.decodeUnknown(unchecked)(wire), method(service))
  }
}

/** Each operation's wire-form call, by AWS name. */
export const wireCalls: { readonly [K in Operations.OperationName]: WireCall } = {
  AssociateWhatsAppBusinessAccount: via(
    Operations.AssociateWhatsAppBusinessAccount,
    (s) => s.associateWhatsAppBusinessAccount
  ),
  CreateWhatsAppDataset: via(Operations.CreateWhatsAppDataset, (s) => s.createWhatsAppDataset),
  CreateWhatsAppFlow: via(Operations.CreateWhatsAppFlow, (s) => s.createWhatsAppFlow),
  CreateWhatsAppMessageTemplate: via(Operations.CreateWhatsAppMessageTemplate, (s) => s.createWhatsAppMessageTemplate),
  CreateWhatsAppMessageTemplateFromLibrary: via(
    Operations.CreateWhatsAppMessageTemplateFromLibrary,
    (s) => s.createWhatsAppMessageTemplateFromLibrary
  ),
  CreateWhatsAppMessageTemplateMedia: via(
    Operations.CreateWhatsAppMessageTemplateMedia,
    (s) => s.createWhatsAppMessageTemplateMedia
  ),
  DeleteWhatsAppFlow: via(Operations.DeleteWhatsAppFlow, (s) => s.deleteWhatsAppFlow),
  DeleteWhatsAppMessageMedia: via(Operations.DeleteWhatsAppMessageMedia, (s) => s.deleteWhatsAppMessageMedia),
  DeleteWhatsAppMessageTemplate: via(Operations.DeleteWhatsAppMessageTemplate, (s) => s.deleteWhatsAppMessageTemplate),
  DeprecateWhatsAppFlow: via(Operations.DeprecateWhatsAppFlow, (s) => s.deprecateWhatsAppFlow),
  DisassociateWhatsAppBusinessAccount: via(
    Operations.DisassociateWhatsAppBusinessAccount,
    (s) => s.disassociateWhatsAppBusinessAccount
  ),
  GetLinkedWhatsAppBusinessAccount: via(
    Operations.GetLinkedWhatsAppBusinessAccount,
    (s) => s.getLinkedWhatsAppBusinessAccount
  ),
  GetLinkedWhatsAppBusinessAccountPhoneNumber: via(
    Operations.GetLinkedWhatsAppBusinessAccountPhoneNumber,
    (s) => s.getLinkedWhatsAppBusinessAccountPhoneNumber
  ),
  GetWhatsAppBusinessPublicKey: via(Operations.GetWhatsAppBusinessPublicKey, (s) => s.getWhatsAppBusinessPublicKey),
  GetWhatsAppCallPermission: via(Operations.GetWhatsAppCallPermission, (s) => s.getWhatsAppCallPermission),
  GetWhatsAppFlow: via(Operations.GetWhatsAppFlow, (s) => s.getWhatsAppFlow),
  GetWhatsAppFlowPreview: via(Operations.GetWhatsAppFlowPreview, (s) => s.getWhatsAppFlowPreview),
  GetWhatsAppMessageMedia: via(Operations.GetWhatsAppMessageMedia, (s) => s.getWhatsAppMessageMedia),
  GetWhatsAppMessageTemplate: via(Operations.GetWhatsAppMessageTemplate, (s) => s.getWhatsAppMessageTemplate),
  ListLinkedWhatsAppBusinessAccounts: via(
    Operations.ListLinkedWhatsAppBusinessAccounts,
    (s) => s.listLinkedWhatsAppBusinessAccounts
  ),
  ListTagsForResource: via(Operations.ListTagsForResource, (s) => s.listTagsForResource),
  ListWhatsAppFlowAssets: via(Operations.ListWhatsAppFlowAssets, (s) => s.listWhatsAppFlowAssets),
  ListWhatsAppFlows: via(Operations.ListWhatsAppFlows, (s) => s.listWhatsAppFlows),
  ListWhatsAppMessageTemplates: via(Operations.ListWhatsAppMessageTemplates, (s) => s.listWhatsAppMessageTemplates),
  ListWhatsAppTemplateLibrary: via(Operations.ListWhatsAppTemplateLibrary, (s) => s.listWhatsAppTemplateLibrary),
  PostWhatsAppMessageMedia: via(Operations.PostWhatsAppMessageMedia, (s) => s.postWhatsAppMessageMedia),
  PublishWhatsAppFlow: via(Operations.PublishWhatsAppFlow, (s) => s.publishWhatsAppFlow),
  PutWhatsAppBusinessAccountEventDestinations: via(
    Operations.PutWhatsAppBusinessAccountEventDestinations,
    (s) => s.putWhatsAppBusinessAccountEventDestinations
  ),
  PutWhatsAppBusinessPublicKey: via(Operations.PutWhatsAppBusinessPublicKey, (s) => s.putWhatsAppBusinessPublicKey),
  SendWhatsAppCallEvent: via(Operations.SendWhatsAppCallEvent, (s) => s.sendWhatsAppCallEvent),
  SendWhatsAppConversionEvent: via(Operations.SendWhatsAppConversionEvent, (s) => s.sendWhatsAppConversionEvent),
  SendWhatsAppMessage: via(Operations.SendWhatsAppMessage, (s) => s.sendWhatsAppMessage),
  TagResource: via(Operations.TagResource, (s) => s.tagResource),
  UntagResource: via(Operations.UntagResource, (s) => s.untagResource),
  UpdateLinkedWhatsAppBusinessAccountPhoneNumber: via(
    Operations.UpdateLinkedWhatsAppBusinessAccountPhoneNumber,
    (s) => s.updateLinkedWhatsAppBusinessAccountPhoneNumber
  ),
  UpdateWhatsAppFlow: via(Operations.UpdateWhatsAppFlow, (s) => s.updateWhatsAppFlow),
  UpdateWhatsAppFlowAssets: via(Operations.UpdateWhatsAppFlowAssets, (s) => s.updateWhatsAppFlowAssets),
  UpdateWhatsAppMessageTemplate: via(Operations.UpdateWhatsAppMessageTemplate, (s) => s.updateWhatsAppMessageTemplate)
}

/** The wire-form call of an operation named at run time. */
export const wireCallOf = (name: string): WireCall => {
  const found = Object.entries(wireCalls).find(([key]) => key === name)
  if (found === undefined) throw new Error(`no operation ${name}`)
  return found[1]
}
