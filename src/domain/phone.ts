/**
 * Phone numbers to E.164, with libphonenumber-js's metadata deciding what is valid.
 */
import { isSupportedCountry, parsePhoneNumberFromString, validatePhoneNumberLength, type PhoneNumber } from 'libphonenumber-js';
import { t, type Text } from './text.ts';

/** Outcome of {@link normalizePhone}; `reason` is a sentence the person who typed the number can act on. */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: Text };

const fail = (reason: Text): PhoneResult => ({ ok: false, reason });

/**
 * Mexico dropped its dialling prefixes in 2019-2020: the "1" after +52 for mobiles and the national 01/044/045.
 * Debtor files still carry them, so a number that is invalid as written is retried without them.
 */
function currentMexicanForm(phone: PhoneNumber): PhoneNumber {
  if (phone.countryCallingCode !== '52' || phone.isValid()) return phone;
  const m = /^(?:1|01|044|045)(\d{10})$/.exec(phone.nationalNumber);
  const retried = m ? parsePhoneNumberFromString(`+52${m[1]}`) : undefined;
  return retried?.isValid() ? retried : phone;
}

function invalidReason(phone: PhoneNumber, region: string): Text {
  switch (validatePhoneNumberLength(phone.number)) {
    case 'TOO_SHORT':
      return t(`Phone number is too short for ${region}`, `El teléfono es demasiado corto para ${region}`);
    case 'TOO_LONG':
      return t(`Phone number is too long for ${region}`, `El teléfono es demasiado largo para ${region}`);
    default:
      return t(`Phone number is not a valid ${region} number; check the area code and digits`, `El teléfono no es un número válido de ${region}; revise la lada y los dígitos`);
  }
}

function unreadableReason(text: string): Text {
  if (/[^\d\s().+-]/.test(text)) {
    return t('Phone number must contain only digits, spaces, dashes, dots, parentheses and a leading +', 'El teléfono solo puede tener dígitos, espacios, guiones, puntos, paréntesis y un + al inicio');
  }
  if (text.startsWith('+')) return t('Phone number has an unknown country calling code after the +', 'El teléfono tiene después del + una clave de país desconocida');
  return t('Phone number could not be read; give the national number or + and the country code', 'No se pudo leer el teléfono; escriba el número nacional o + y la clave del país');
}

/**
 * Normalises a phone number to E.164 ("+525512345678"). Numbers without a leading + are read as national numbers of
 * `country` (ISO 3166-1 alpha-2, any case); numbers with + may belong to any country. The text must be the number
 * alone (separators and an extension are fine), so a cell holding two numbers or a note is refused, not guessed at.
 */
export function normalizePhone(input: string, country: string): PhoneResult {
  const text = input.trim();
  if (text === '') return fail(t('Phone number is empty', 'El teléfono está vacío'));
  const code = country.trim().toUpperCase();
  const defaultCountry = isSupportedCountry(code) ? code : undefined;
  if (!defaultCountry && !text.startsWith('+')) {
    return fail(t(`Unknown country "${country}"; write the number with + and its country code`, `País desconocido "${country}"; escriba el número con + y la clave de su país`));
  }
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!parsed) return fail(unreadableReason(text));
  const phone = currentMexicanForm(parsed);
  if (!phone.isValid()) return fail(invalidReason(phone, phone.country ?? defaultCountry ?? `+${phone.countryCallingCode}`));
  return { ok: true, e164: phone.number };
}
