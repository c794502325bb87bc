/** The settings module's public surface: provider credentials (secrets sealed at rest) and the compliance rules. */
export { generateSecretsKey, parseSecretsKey, SecretsKeyError, SECRETS_KEY_BYTES } from './secret-box.ts';
export {
  isProviderId,
  listProviderSettings,
  loadProviderSecrets,
  PROVIDER_FIELDS,
  PROVIDERS,
  providerInputSchemas,
  setProviderSettings,
  type ProviderId,
  type ProviderSettingsView,
  type SecretView,
} from './provider-settings.ts';
export {
  loadSavedCredentials,
  type SavedCredentials,
  type SavedMercadoPago,
  type SavedSmtp,
  type SavedStripe,
  type SavedTwilio,
  type SavedWebhookSecrets,
  type SavedWhatsApp,
} from './saved-credentials.ts';
export { getComplianceSettings, type ComplianceSettingsView, type CountryComplianceView } from './get-compliance-settings.ts';
export {
  addComplianceHoliday,
  complianceCountry,
  countryRulesInputSchema,
  removeComplianceHoliday,
  resetCountryRules,
  setCountryRules,
  type CountryRulesInput,
} from './adjust-compliance-settings.ts';
