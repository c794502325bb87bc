/**
 * Message templates per channel and language, validated and rendered safely (DOMAIN.md §3 wording rules), with the
 * default set the product ships.
 */
export * from './types.ts';
export {
  describeVariables,
  formatMoney,
  isVariableName,
  VARIABLE_NAMES,
  type MoneyValue,
  type TemplateVariables,
  type VariableDefinition,
  type VariableKind,
  type VariableName,
} from './variables.ts';
export { validateTemplate, type MessageLanguage, type ProblemCode, type TemplateProblem, type ValidateOptions } from './validate.ts';
export {
  escapeHtml,
  renderTemplate,
  TemplateRenderError,
  toWhatsAppTemplateMessage,
  whatsAppPositionalBody,
  type RenderedContent,
  type RenderedEmail,
  type RenderedFor,
  type RenderedLetter,
  type RenderedSms,
  type RenderedWhatsApp,
  type RenderErrorCode,
  type RenderOptions,
  type WhatsAppTemplateMessage,
} from './render.ts';
export { countSmsSegments, DEFAULT_MAX_SMS_SEGMENTS, isGsm7, type SmsEncoding, type SmsSegmentInfo } from './sms.ts';
export { findProhibitedWording, PROHIBITED_WORDING, PROHIBITED_WORDING_EN, PROHIBITED_WORDING_ES, type WordingMatch } from './wording.ts';
export { DEFAULT_TEMPLATE_KEYS, DEFAULT_TEMPLATES, defaultTemplate, type DefaultTemplateKey } from './defaults.ts';
export { templateVariablesFromJson, templateVariablesToJson, TemplateVariablesError, type JsonMoney, type TemplateVariablesJson } from './json.ts';
export { parseTemplateFile, parseTemplateSource, TemplateFileError, type TemplateFileEntry, type TemplateFileIssue } from './file.ts';
