/**
 * Linked WhatsApp Business Accounts and their phone numbers: the shapes and the operations
 * GetLinkedWhatsAppBusinessAccount, ListLinkedWhatsAppBusinessAccounts,
 * GetLinkedWhatsAppBusinessAccountPhoneNumber, DisassociateWhatsAppBusinessAccount and
 * PutWhatsAppBusinessAccountEventDestinations.
 *
 * The schemas are generated from AWS's model (`generated/Shapes.ts`, `npm run generate`); this module names the
 * ones of its concern.
 */
export {
  DisassociateWhatsAppBusinessAccountInput,
  DisassociateWhatsAppBusinessAccountOutput,
  GetLinkedWhatsAppBusinessAccountInput,
  GetLinkedWhatsAppBusinessAccountOutput,
  GetLinkedWhatsAppBusinessAccountPhoneNumberInput,
  GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
  IsoCountryCode,
  LinkedWhatsAppBusinessAccount,
  LinkedWhatsAppBusinessAccountSummary,
  ListLinkedWhatsAppBusinessAccountsInput,
  ListLinkedWhatsAppBusinessAccountsOutput,
  MaxResults,
  NextToken,
  PutWhatsAppBusinessAccountEventDestinationsInput,
  PutWhatsAppBusinessAccountEventDestinationsOutput,
  RegistrationStatus,
  RegistrationStatusOutput,
  RegistrationStatusValues,
  WhatsAppBusinessAccountEventDestination,
  WhatsAppBusinessAccountEventDestinations,
  WhatsAppBusinessAccountLinkDate,
  WhatsAppPhoneNumberDetail,
  WhatsAppPhoneNumberSummary
} from "./generated/Shapes.js"
