/**
 * Branded identifiers and ARNs of the association domain, with the model's constraints.
 *
 * Lengths count Unicode code points; patterns are the model's ECMA-262 expressions copied exactly
 * (unanchored, so `(^waba-.*$)|(^arn:.*:waba/[0-9a-zA-Z]+$)` accepts an id or an ARN).
 *
 * The schemas are generated from AWS's model (`generated/Shapes.ts`, `npm run generate`); this module names the
 * ones of its concern.
 */
export {
  Arn,
  EventDestinationArn,
  LinkedWhatsAppBusinessAccountArn,
  LinkedWhatsAppBusinessAccountId,
  LinkedWhatsAppPhoneNumberArn,
  RoleArn,
  WhatsAppBusinessAccountId,
  WhatsAppDatasetId,
  WhatsAppPhoneNumber,
  WhatsAppPhoneNumberId
} from "./generated/Shapes.js"
