"""Plans, subscriptions, subsidy programmes, invoices, payments and quotas (docs/billing.md)."""
