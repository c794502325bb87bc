import { describe, expect, it } from 'vitest';
import { isKnownCurrency } from './money.ts';
import {
  AR_PROVINCES,
  BR_STATES,
  CL_REGIONS,
  CO_DEPARTMENTS,
  COUNTRIES,
  MX_STATES,
  PE_REGIONS,
  US_STATES,
  countryInfo,
  isCountryCode,
  postalCodeProblem,
  regionCodesFor,
  regionsOf,
  resolveRegion,
  timeZoneFor,
  type Region,
} from './geography.ts';

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ALL_REGIONS: Record<string, readonly Region[]> = { MX: MX_STATES, CO: CO_DEPARTMENTS, PE: PE_REGIONS, CL: CL_REGIONS, AR: AR_PROVINCES, BR: BR_STATES, US: US_STATES };

describe('COUNTRIES', () => {
  it('has the defaults of the core countries', () => {
    expect(COUNTRIES.MX).toMatchObject({ timeZone: 'America/Mexico_City', currency: 'MXN', locale: 'es-MX', taxIdLabel: 'RFC' });
    expect(COUNTRIES.CO).toMatchObject({ timeZone: 'America/Bogota', currency: 'COP', locale: 'es-CO', taxIdLabel: 'NIT' });
    expect(COUNTRIES.PE).toMatchObject({ timeZone: 'America/Lima', currency: 'PEN', locale: 'es-PE', taxIdLabel: 'RUC' });
    expect(COUNTRIES.CL).toMatchObject({ timeZone: 'America/Santiago', currency: 'CLP', locale: 'es-CL', taxIdLabel: 'RUT' });
    expect(COUNTRIES.AR).toMatchObject({ timeZone: 'America/Argentina/Buenos_Aires', currency: 'ARS', locale: 'es-AR', taxIdLabel: 'CUIT' });
    expect(COUNTRIES.BR).toMatchObject({ timeZone: 'America/Sao_Paulo', currency: 'BRL', locale: 'pt-BR', taxIdLabel: 'CPF/CNPJ' });
    expect(COUNTRIES.US).toMatchObject({ timeZone: 'America/New_York', currency: 'USD', locale: 'en-US', taxIdLabel: 'EIN' });
  });

  it('uses real zones, currencies the money module knows and locales Intl accepts', () => {
    for (const [code, info] of Object.entries(COUNTRIES)) {
      expect(info.code).toBe(code);
      expect(isIanaZone(info.timeZone), info.timeZone).toBe(true);
      expect(isKnownCurrency(info.currency), info.currency).toBe(true);
      expect(Intl.getCanonicalLocales(info.locale)).toEqual([info.locale]);
    }
  });

  it('looks countries up in any case', () => {
    expect(isCountryCode('MX')).toBe(true);
    expect(isCountryCode('mx')).toBe(false);
    expect(isCountryCode('toString')).toBe(false);
    expect(countryInfo(' co ')?.currency).toBe('COP');
    expect(countryInfo('ZZ')).toBeNull();
  });
});

describe('region tables', () => {
  it('have the expected sizes', () => {
    expect(MX_STATES).toHaveLength(32);
    expect(CO_DEPARTMENTS).toHaveLength(33);
    expect(PE_REGIONS).toHaveLength(26);
    expect(CL_REGIONS).toHaveLength(16);
    expect(AR_PROVINCES).toHaveLength(24);
    expect(BR_STATES).toHaveLength(27);
  });

  it('lists the 32 Mexican ISO 3166-2 codes', () => {
    expect(MX_STATES.map((s) => s.code).sort()).toEqual(
      'AGU BCN BCS CAM CHH CHP CMX COA COL DUR GRO GUA HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SIN SLP SON TAB TAM TLA VER YUC ZAC'.split(' '),
    );
  });

  it('never lets a code, name or alias point at two regions of one country', () => {
    const key = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
    for (const [country, regions] of Object.entries(ALL_REGIONS)) {
      const seen = new Map<string, string>();
      for (const region of regions) {
        expect(isIanaZone(region.timeZone), `${country}-${region.code} ${region.timeZone}`).toBe(true);
        for (const name of new Set([region.code, region.name, ...region.aliases].map(key))) {
          expect(seen.get(name) ?? region.code, `${country}: "${name}"`).toBe(region.code);
          seen.set(name, region.code);
        }
      }
      expect(regionsOf(country)).toBe(regions);
    }
    expect(regionsOf('us')).toBe(US_STATES);
    expect(regionsOf('ec')).toEqual([]);
    expect(regionsOf('ZZ')).toEqual([]);
  });

  it('weights Mexican states by population', () => {
    const total = MX_STATES.reduce((sum, s) => sum + s.populationWeight, 0);
    // The 2020 census counted 126.0 million people.
    expect(total).toBeGreaterThan(125_000);
    expect(total).toBeLessThan(127_000);
    const byCode = new Map(MX_STATES.map((s) => [s.code, s.populationWeight]));
    expect(Math.max(...byCode.values())).toBe(byCode.get('MEX'));
    expect(Math.min(...byCode.values())).toBe(byCode.get('COL'));
    expect(MX_STATES.every((s) => s.populationWeight > 0)).toBe(true);
  });
});

describe('resolveRegion', () => {
  it('accepts codes in any case and with the country prefix', () => {
    expect(resolveRegion('MX', 'JAL')).toBe('JAL');
    expect(resolveRegion('MX', 'jal')).toBe('JAL');
    expect(resolveRegion('mx', 'MX-NLE')).toBe('NLE');
    expect(resolveRegion('CO', 'dc')).toBe('DC');
    expect(resolveRegion('AR', 'c')).toBe('C');
    expect(resolveRegion('CL', 'RM')).toBe('RM');
  });

  it('accepts names with or without accents, in any case', () => {
    expect(resolveRegion('MX', 'Jalisco')).toBe('JAL');
    expect(resolveRegion('MX', 'nuevo leon')).toBe('NLE');
    expect(resolveRegion('MX', 'NUEVO LEÓN')).toBe('NLE');
    expect(resolveRegion('MX', '  Yucatan ')).toBe('YUC');
    expect(resolveRegion('MX', 'Michoacán de Ocampo')).toBe('MIC');
    expect(resolveRegion('CO', 'bogota d.c.')).toBe('DC');
    expect(resolveRegion('CO', 'Bogotá, D.C.')).toBe('DC');
    expect(resolveRegion('CO', 'Atlantico')).toBe('ATL');
    expect(resolveRegion('PE', 'Ancash')).toBe('ANC');
    expect(resolveRegion('PE', 'Cuzco')).toBe('CUS');
    expect(resolveRegion('CL', 'Nuble')).toBe('NB');
    expect(resolveRegion('CL', 'OHiggins')).toBe('LI');
    expect(resolveRegion('AR', 'Neuquen')).toBe('Q');
    expect(resolveRegion('AR', 'caba')).toBe('C');
    expect(resolveRegion('BR', 'sao paulo')).toBe('SP');
  });

  it('tells Mexico City from the State of Mexico', () => {
    expect(resolveRegion('MX', 'CDMX')).toBe('CMX');
    expect(resolveRegion('MX', 'Ciudad de Mexico')).toBe('CMX');
    expect(resolveRegion('MX', 'Distrito Federal')).toBe('CMX');
    expect(resolveRegion('MX', 'México')).toBe('MEX');
    expect(resolveRegion('MX', 'Estado de México')).toBe('MEX');
    expect(resolveRegion('MX', 'Edomex')).toBe('MEX');
  });

  it('sees through framing words and Roman numerals', () => {
    expect(resolveRegion('CL', 'Región de Valparaíso')).toBe('VS');
    expect(resolveRegion('CL', 'V Región')).toBe('VS');
    expect(resolveRegion('CL', 'Región de la Araucanía')).toBe('AR');
    expect(resolveRegion('CL', 'Región Metropolitana')).toBe('RM');
    expect(resolveRegion('CL', 'XIII')).toBe('RM');
    expect(resolveRegion('AR', 'Provincia de Córdoba')).toBe('X');
    expect(resolveRegion('CO', 'Departamento del Valle del Cauca')).toBe('VAC');
    expect(resolveRegion('MX', 'Estado de Jalisco')).toBe('JAL');
  });

  it('returns null for what it does not know', () => {
    expect(resolveRegion('MX', 'Texas')).toBeNull();
    expect(resolveRegion('MX', '')).toBeNull();
    expect(resolveRegion('MX', 'ANT')).toBeNull();
    expect(resolveRegion('CO', 'JAL')).toBeNull();
    expect(resolveRegion('US', 'Narnia')).toBeNull();
    expect(resolveRegion('EC', 'Galápagos')).toBeNull();
    expect(resolveRegion('ZZ', 'JAL')).toBeNull();
  });
});

describe('regionCodesFor', () => {
  it('gives the code a text means in each country where it is spelled otherwise', () => {
    expect(regionCodesFor('CDMX')).toEqual({ MX: 'CMX' });
    expect(regionCodesFor('Amazonas')).toMatchObject({ CO: 'AMA', PE: 'AMA', BR: 'AM' });
    // A code already as stored, and text that names no region, stand as written everywhere.
    expect(regionCodesFor('JAL')).toEqual({});
    expect(regionCodesFor('Narnia')).toEqual({});
  });
});

describe('United States', () => {
  it('knows the 50 states and the District of Columbia, by code, English or Spanish name', () => {
    expect(regionsOf('US')).toHaveLength(51);
    expect(resolveRegion('US', 'CA')).toBe('CA');
    expect(resolveRegion('US', 'california')).toBe('CA');
    expect(resolveRegion('US', 'US-TX')).toBe('TX');
    expect(resolveRegion('US', 'Nueva York')).toBe('NY');
    expect(resolveRegion('US', 'Carolina del Norte')).toBe('NC');
    expect(resolveRegion('US', 'Washington D.C.')).toBe('DC');
    expect(resolveRegion('US', 'Washington')).toBe('WA');
  });

  it('gives each state the zone most of its people live in', () => {
    expect(timeZoneFor('US', 'CA')).toBe('America/Los_Angeles');
    expect(timeZoneFor('US', 'Texas')).toBe('America/Chicago');
    expect(timeZoneFor('US', 'AZ')).toBe('America/Phoenix');
    expect(timeZoneFor('US', 'HI')).toBe('Pacific/Honolulu');
    expect(timeZoneFor('US', 'FL')).toBe('America/New_York');
    expect(timeZoneFor('US', 'Narnia')).toBe('America/New_York');
    for (const s of regionsOf('US')) expect(() => new Intl.DateTimeFormat('en', { timeZone: s.timeZone })).not.toThrow();
  });
});

describe('timeZoneFor', () => {
  it('gives Mexican states their zones after the 2022 reform', () => {
    expect(timeZoneFor('MX', 'BCN')).toBe('America/Tijuana');
    expect(timeZoneFor('MX', 'SON')).toBe('America/Hermosillo');
    expect(timeZoneFor('MX', 'ROO')).toBe('America/Cancun');
    expect(timeZoneFor('MX', 'CHH')).toBe('America/Chihuahua');
    for (const code of ['SIN', 'NAY', 'BCS']) expect(timeZoneFor('MX', code)).toBe('America/Mazatlan');
    for (const code of ['JAL', 'CMX', 'NLE', 'YUC', 'VER']) expect(timeZoneFor('MX', code)).toBe('America/Mexico_City');
    expect(timeZoneFor('MX', 'quintana roo')).toBe('America/Cancun');
  });

  it('knows the Chilean and Brazilian exceptions', () => {
    expect(timeZoneFor('CL', 'Magallanes')).toBe('America/Punta_Arenas');
    expect(timeZoneFor('CL', 'AI')).toBe('America/Coyhaique');
    expect(timeZoneFor('CL', 'Valparaíso')).toBe('America/Santiago');
    expect(timeZoneFor('BR', 'AM')).toBe('America/Manaus');
    expect(timeZoneFor('BR', 'Acre')).toBe('America/Rio_Branco');
  });

  it('falls back to the country, then to UTC', () => {
    expect(timeZoneFor('MX')).toBe('America/Mexico_City');
    expect(timeZoneFor('MX', null)).toBe('America/Mexico_City');
    expect(timeZoneFor('MX', 'Atlantis')).toBe('America/Mexico_City');
    expect(timeZoneFor('co', 'ANT')).toBe('America/Bogota');
    expect(timeZoneFor('AR', 'Córdoba')).toBe('America/Argentina/Buenos_Aires');
    expect(timeZoneFor('US', 'Atlantis')).toBe('America/New_York');
    expect(timeZoneFor('EC', 'Galápagos')).toBe('America/Guayaquil');
    expect(timeZoneFor('ZZ', 'JAL')).toBe('UTC');
  });
});

describe('postalCodeProblem', () => {
  it('takes five digits, leading zeros included, for Mexico', () => {
    expect(postalCodeProblem('MX', '01000')).toBeNull();
    expect(postalCodeProblem('mx', '44100')).toBeNull();
    expect(postalCodeProblem('MX', '1000')?.en).toContain('leading zeros');
    expect(postalCodeProblem('MX', '1000')?.es).toContain('ceros iniciales');
    expect(postalCodeProblem('MX', '441000')?.en).toBe('"441000" is not a postal code of MX: it must be 5 digits, e.g. 01000');
    expect(postalCodeProblem('MX', '4410A')).not.toBeNull();
    expect(postalCodeProblem('MX', '44 100')).not.toBeNull();
  });

  it('checks no other country', () => {
    expect(postalCodeProblem('US', '90210-1234')).toBeNull();
    expect(postalCodeProblem('CO', 'anything')).toBeNull();
    expect(postalCodeProblem('ZZ', '1')).toBeNull();
  });
});
