// seed: layer-business-auth-token, components.schemas.ApiEnumErrorType (93 values).
const LAYER_ERROR_ENUMS = [
  'AccessCodeInvalid', 'BalanceSheetDoesNotBalance', 'BalanceSheetMissingAccount', 'BankStatementParserError',
  'BillStateError', 'BulkCategorizeFailure', 'BulkMatchFailure', 'BusinessTaskAlreadyCompleted',
  'BusinessTaskDeleted', 'CalendlyOAuthError', 'CallBookingError', 'CantUpdateTransactionInCustomerPayout',
  'CantUpdateTransactionInVendorPayout', 'CheckPayrollConfigNotFound', 'CheckPayrollServiceNotFound',
  'ClerkUserAlreadyExists', 'ConflictingQueryParams', 'CustomAccountAlreadyExists',
  'CustomTransactionCsvParsingError', 'CustomTransactionUploadFailure', 'CustomerPayoutInputFormatError',
  'DoesNotMatchExistingEntity', 'EmptyBatchRequest', 'ExpenseParserError',
  'ExternalAccountBalanceReconciliationError', 'ExternalIdConflict', 'InvalidCategory', 'InvalidEffectiveDate',
  'InvalidLedgerOperation', 'InvalidMonthlyAverageRange', 'InvalidMultiPartRequest', 'InvalidPaginationCursor',
  'InvalidPayload', 'InvoiceDeleted', 'InvoiceNotFound', 'InvoiceReferenceMismatch', 'InvoiceStateError',
  'ManualRateLimit', 'MultipleTagKeyFiltersUnsupported', 'NoCognitoUserFound', 'NoOpeningBalanceFound',
  'NotYetReconciled', 'OnePasswordApiError', 'OnePasswordItemNotFound', 'OnePasswordVaultNotFound',
  'OpenAICategorizationError', 'PaymentLinkInvalid', 'PayrollStateError', 'PeriodIsClosed', 'PeriodNotClosed',
  'PhoneNumberAlreadyRegistered', 'PlaidApiError', 'PlaidConnectionBroken', 'PlaidCreateLinkTokenError',
  'PlaidCredentialsNotConfigured', 'PlaidExchangePublicTokenError', 'PlaidGetInstitutionByIdError',
  'PlaidGetItemError', 'PlaidInvalidEnvironment', 'PlaidItemAlreadyExists', 'PlaidItemNotFound',
  'PlaidProcessorApiError', 'PlaidUnlinkItemError', 'QueryParamFormat', 'QueryParamMissing',
  'QuickbooksBrokenConnection', 'QuickbooksConnectionAlreadyExists', 'QuickbooksConnectionAlreadySyncing',
  'QuickbooksConnectionMissing', 'QuickbooksConnectionNotActivated', 'QuickbooksInvalidRequest',
  'QuickbooksInvalidState', 'QuickbooksNoMatchingAccount', 'QuickbooksNonPostingAccountType',
  'QuickbooksNotConfigured', 'QuickbooksOAuthCallbackInvalid', 'QuickbooksOAuthError', 'QuickbooksTokenExpired',
  'ResourceArchived', 'ScheduleCNotConfigured', 'SmsNotEnabled', 'SpecifiedBadRequest', 'SpecifiedIdNotFound',
  'SplitTransactionError', 'StepEvaluationBadRequest', 'StripeConnectAccountIdNotFound',
  'StripeCredentialsNotConfigured', 'StripeGetBalanceForConnectAccountFailure',
  'StripeRedirectOrRefreshUrlNotConfigured', 'TagFilterNotFound', 'UnexpectedQueryParam', 'UnitAccountsInUse',
  'WrongAnswerType',
] as const;

/**
 * `ApiError.error_enum`: "a stable, machine-readable identifier for programmatically handling
 * specific error conditions. Only present for 4xx client errors" (seed: ApiEnumErrorType).
 */
export type LayerErrorEnum = (typeof LAYER_ERROR_ENUMS)[number];

const known: ReadonlySet<string> = new Set(LAYER_ERROR_ENUMS);

/** True for an `error_enum` value the seed documents. */
export function isLayerErrorEnum(value: string): value is LayerErrorEnum {
  return known.has(value);
}
