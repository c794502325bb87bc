/**
 * SMS length: which encoding a body needs and how many segments (concatenated parts) it takes.
 *
 * - GSM-7 (3GPP TS 23.038 default alphabet): 160 septets in one message, 153 per segment once split (the rest of
 *   each segment carries the concatenation header). Characters of the extension table (`^ { } \ [ ~ ] | €` and form
 *   feed) take two septets (escape + character), and a pair is never split across segments.
 * - UCS-2, as soon as one character is outside GSM-7 (á, í, ó, ú, emoji…): 70 UTF-16 code units in one message, 67
 *   per segment. A character outside the BMP (most emoji) takes two units and is never split across segments.
 *
 * Note for Spanish: é, ñ, Ñ, ü, ¿, ¡ are GSM-7, but á, í, ó, ú are not, so most Spanish text with accents is UCS-2.
 */

/** The GSM 03.38 basic character set (one septet each). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The GSM 03.38 extension table (escape + character: two septets each). */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentInfo {
  readonly encoding: SmsEncoding;
  /** Number of messages the body is billed as; 0 for an empty body. */
  readonly segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the body uses. */
  readonly units: number;
  /** Capacity of each segment at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  readonly perSegment: number;
  /** Units still free in the last segment. */
  readonly remaining: number;
}

/** Default limit on the segments of one rendered SMS. */
export const DEFAULT_MAX_SMS_SEGMENTS = 6;

/** True when every character of `text` is in the GSM-7 basic or extension table. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

/** Units each character takes: 1 or 2 septets in GSM-7, 1 or 2 UTF-16 units in UCS-2. */
function unitSizes(text: string, encoding: SmsEncoding): number[] {
  const sizes: number[] = [];
  for (const ch of text) sizes.push(encoding === 'GSM-7' ? (EXTENSION.has(ch) ? 2 : 1) : ch.length);
  return sizes;
}

/** Encoding and segment count of an SMS body. */
export function countSmsSegments(text: string): SmsSegmentInfo {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const single = encoding === 'GSM-7' ? 160 : 70;
  const multi = encoding === 'GSM-7' ? 153 : 67;
  const sizes = unitSizes(text, encoding);
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, segments: 0, units, perSegment: single, remaining: single };
  if (units <= single) return { encoding, segments: 1, units, perSegment: single, remaining: single - units };
  // Pack characters greedily: a character (escape pair, surrogate pair) that does not fit starts the next segment.
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, segments, units, perSegment: multi, remaining: multi - used };
}
