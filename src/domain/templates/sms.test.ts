import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7 } from './sms.ts';

describe('countSmsSegments', () => {
  it('plain GSM-7 text: 160 in one message, then 153 per segment', () => {
    expect(countSmsSegments('')).toMatchObject({ encoding: 'GSM-7', segments: 0, units: 0 });
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1, units: 160, remaining: 0 });
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2, perSegment: 153 });
    expect(countSmsSegments('a'.repeat(306))).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSmsSegments('a'.repeat(307))).toMatchObject({ segments: 3 });
    expect(countSmsSegments('Your payment of $1,250.50 is due. Reply STOP to opt out.')).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('é, ñ, ü, ¿, ¡ are GSM-7; á, í, ó, ú force UCS-2 (70, then 67 per segment)', () => {
    expect(isGsm7('¿Señor Müller? ¡Qué bien! é à')).toBe(true);
    expect(countSmsSegments('Pague aquí').encoding).toBe('UCS-2');
    expect(countSmsSegments('línea')).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 5 });
    const accented = 'á' + 'a'.repeat(69);
    expect(countSmsSegments(accented)).toMatchObject({ encoding: 'UCS-2', segments: 1, units: 70, perSegment: 70 });
    expect(countSmsSegments(accented + 'a')).toMatchObject({ encoding: 'UCS-2', segments: 2, perSegment: 67 });
    expect(countSmsSegments('ó' + 'a'.repeat(133))).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSmsSegments('ó' + 'a'.repeat(134))).toMatchObject({ segments: 3 });
    // The same length of plain text stays in one GSM-7 message.
    expect(countSmsSegments('a'.repeat(71))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('extension characters take two septets and are never split across segments', () => {
    expect(countSmsSegments('€')).toMatchObject({ encoding: 'GSM-7', units: 2 });
    expect(countSmsSegments('a'.repeat(158) + '€')).toMatchObject({ segments: 1, units: 160 });
    expect(countSmsSegments('a'.repeat(159) + '€')).toMatchObject({ segments: 2, units: 161 });
    // 152 + escape pair does not fit in 153: the pair moves to segment 2.
    const text = 'a'.repeat(152) + '{' + 'a'.repeat(10);
    expect(countSmsSegments(text)).toMatchObject({ segments: 2, units: 164, remaining: 153 - 12 });
  });

  it('characters outside the BMP take two UTF-16 units and are never split', () => {
    expect(countSmsSegments('👍')).toMatchObject({ encoding: 'UCS-2', units: 2, segments: 1 });
    const text = 'a'.repeat(66) + '👍' + 'a'.repeat(3);
    expect(countSmsSegments(text)).toMatchObject({ segments: 2, units: 71, remaining: 67 - 5 });
  });

  it('a no-break space is not GSM-7', () => {
    expect(isGsm7('USD\u00a019.99')).toBe(false);
  });
});
