import { describe, expect, it } from 'vitest';
import { translate } from './index.tsx';

const es = (key: string, params?: Record<string, string | number>) => translate('es-MX', key, params);
const en = (key: string, params?: Record<string, string | number>) => translate('en', key, params);

describe('counts in words', () => {
  it('writes a count as the language writes numbers', () => {
    expect(es('alerts.count', { count: 1234 })).toBe('1,234 casos');
    expect(es('alerts.count', { count: 1 })).toBe('1 caso');
    expect(en('alerts.count', { count: 1234 })).toBe('1,234 cases');
  });

  it('agrees every noun with its own number: one row imported, one new, none updated', () => {
    const detail = (t: typeof es, rows: number, inserted: number, updated: number) =>
      t('imports.detail.completed', { count: rows, inserted: t('imports.detail.inserted', { count: inserted }), updated: t('imports.detail.updated', { count: updated }), unchanged: '0' });
    expect(detail(es, 1, 1, 0)).toBe('Se importó 1 fila: 1 nueva, 0 actualizadas y 0 sin cambios.');
    expect(detail(es, 3000, 2999, 1)).toBe('Se importaron 3,000 filas: 2,999 nuevas, 1 actualizada y 0 sin cambios.');
    expect(detail(en, 1, 1, 0)).toBe('1 row imported: 1 new, 0 updated and 0 unchanged.');
    expect(es('runs.finished.succeeded', { id: 7, date: '15 mar 2026', accounts: es('runs.finished.accounts', { count: 1 }), changes: es('runs.finished.changes', { count: 1 }) })).toBe(
      'La corrida 7 al 15 mar 2026 terminó: 1 cuenta, 1 cambio de fase.',
    );
    expect(es('worklist.shown', { shown: '1', count: 1 })).toBe('Se muestra 1 de 1 cuenta por trabajar hoy.');
    expect(es('worklist.shown', { shown: '50', count: 300 })).toBe('Se muestran 50 de 300 cuentas por trabajar hoy.');
    expect(es('worklist.move.load', { count: 1, capacity: 40 })).toBe('1 cuenta, capacidad 40');
    expect(es('settings.strategies.simHeader', { name: 'Preventiva', portfolio: 'Consumo', count: 1 })).toBe('Preventiva · cartera Consumo · 1 cuenta');
  });
});
