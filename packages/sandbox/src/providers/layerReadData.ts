/**
 * Bodies of the Layer API reads that Layer's React components (`@layerfi/components` 0.1.x) make
 * first when a `LayerProvider` with a `ChartOfAccounts` mounts. The seeds document only the auth
 * endpoints, so these follow the response schemas those components decode with (their
 * `BusinessSchema`, `BankAccountSchema`, bookkeeping status, `AccountingConfigurationSchema`,
 * `LedgerBalancesSchema`): snake_case fields inside Layer's `{ data }` envelope.
 */

/** A fixed activation date keeps the components' "All time" date range stable across runs. */
const activationAt = '2025-01-01T00:00:00.000Z';

export function businessBody(id: string): unknown {
  return { data: { type: 'Business', id, activation_at: activationAt, is_demo: true } };
}

// No linked bank account: an empty list is what a new sandbox business has.
export const bankAccountsBody: unknown = { data: [] };

export const bookkeepingStatusBody: unknown = {
  data: { status: 'NOT_PURCHASED', show_embedded_onboarding: false, onboarding_call_url: null },
};

export function accountingConfigBody(id: string): unknown {
  return {
    data: {
      id,
      enable_account_numbers: false,
      enable_customer_management: false,
      tax_estimates_user_agreement_at: null,
      enable_tax_estimates: false,
      enable_mileage_tracking: false,
      enable_stripe_onboarding: false,
      platform_display_tags: [],
    },
  };
}

type AccountType = 'ASSET' | 'LIABILITY' | 'EQUITY' | 'REVENUE' | 'EXPENSE';

const typeNames: Record<AccountType, string> = {
  ASSET: 'Assets',
  LIABILITY: 'Liabilities',
  EQUITY: 'Equity',
  REVENUE: 'Revenue',
  EXPENSE: 'Expenses',
};

// Debit-normal: assets and expenses; the rest are credit-normal (double-entry convention).
const normality = (type: AccountType): 'DEBIT' | 'CREDIT' => (type === 'ASSET' || type === 'EXPENSE' ? 'DEBIT' : 'CREDIT');

/** A small chart: one parent per account type with one sub-account each; balances in cents. */
const chart: Array<{ type: AccountType; subtype: [string, string]; name: string; balance: number }> = [
  { type: 'ASSET', subtype: ['BANK_ACCOUNTS', 'Bank accounts'], name: 'Checking', balance: 1_254_000 },
  { type: 'LIABILITY', subtype: ['CREDIT_CARD', 'Credit card'], name: 'Business card', balance: 83_500 },
  { type: 'EQUITY', subtype: ['OWNERS_EQUITY', "Owner's equity"], name: "Owner's contributions", balance: 1_000_000 },
  { type: 'REVENUE', subtype: ['SALES', 'Sales'], name: 'Sales', balance: 412_000 },
  { type: 'EXPENSE', subtype: ['SOFTWARE', 'Software'], name: 'Software subscriptions', balance: 241_500 },
];

export function ledgerBalancesBody(uuid: (label: string) => string): unknown {
  const account = (id: string, name: string, type: AccountType, subtype: [string, string], balance: number, sub: unknown[]) => ({
    id,
    name,
    stable_name: null,
    account_number: null,
    normality: normality(type),
    account_type: { value: type, display_name: typeNames[type] },
    account_subtype: { value: subtype[0], display_name: subtype[1] },
    balance,
    is_deletable: false,
    sub_accounts: sub,
  });
  const accounts = chart.map(({ type, subtype, name, balance }) =>
    account(uuid(`layer.ledger.${type}`), typeNames[type], type, subtype, balance, [
      account(uuid(`layer.ledger.${type}.${name}`), name, type, subtype, balance, []),
    ]),
  );
  return { data: { accounts } };
}
