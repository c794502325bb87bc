/** The settings module's public surface: provider credentials (secrets sealed at rest) and the compliance view. */
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
export { getComplianceSettings, type ComplianceSettingsView } from './get-compliance-settings.ts';
