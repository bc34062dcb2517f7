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
  RegistrationStatusValues,
  RegistrationStatus,
  RegistrationStatusOutput,
  IsoCountryCode,
  WhatsAppBusinessAccountLinkDate,
  WhatsAppBusinessAccountEventDestination,
  WhatsAppBusinessAccountEventDestinations,
  WhatsAppPhoneNumberDetail,
  WhatsAppPhoneNumberSummary,
  LinkedWhatsAppBusinessAccount,
  LinkedWhatsAppBusinessAccountSummary,
  GetLinkedWhatsAppBusinessAccountInput,
  GetLinkedWhatsAppBusinessAccountOutput,
  NextToken,
  MaxResults,
  ListLinkedWhatsAppBusinessAccountsInput,
  ListLinkedWhatsAppBusinessAccountsOutput,
  GetLinkedWhatsAppBusinessAccountPhoneNumberInput,
  GetLinkedWhatsAppBusinessAccountPhoneNumberOutput,
  DisassociateWhatsAppBusinessAccountInput,
  DisassociateWhatsAppBusinessAccountOutput,
  PutWhatsAppBusinessAccountEventDestinationsInput,
  PutWhatsAppBusinessAccountEventDestinationsOutput
} from "./generated/Shapes.js"
