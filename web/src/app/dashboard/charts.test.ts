import { describe, expect, it } from 'vitest';
import { phaseChartData, recoveryCharts } from './charts.ts';

describe('dashboard chart data', () => {
  const portfolio = [
    { currency: 'MXN', phase: 'preventive', bucket: 'current', accounts: 2, balance: '12345678901234.57' },
    { currency: 'USD', phase: 'preventive', bucket: 'current', accounts: 1, balance: '500.00' },
    { currency: 'MXN', phase: 'administrative', bucket: '1-30', accounts: 1, balance: '0.10' },
  ];

  it('keeps each bucket’s exact balance and accounts beside the bar, for one currency only', () => {
    const rows = phaseChartData(portfolio, 'MXN', (p) => p.toUpperCase());
    expect(rows).toEqual([
      { phase: 'PREVENTIVE', current: 12345678901234.57, 'current$': '12345678901234.57', 'current#': 2 },
      { phase: 'ADMINISTRATIVE', '1-30': 0.1, '1-30$': '0.10', '1-30#': 1 },
    ]);
    expect(phaseChartData(portfolio, 'USD', (p) => p)).toEqual([{ phase: 'preventive', current: 500, 'current$': '500.00', 'current#': 1 }]);
  });

  it('draws recovery one currency per chart, never adding amounts of different currencies', () => {
    const charts = recoveryCharts([
      { period: '2026-03-02', currency: 'MXN', collected: '1000.50', payments: 2 },
      { period: '2026-03-02', currency: 'USD', collected: '40.00', payments: 1 },
      { period: '2026-03-09', currency: 'MXN', collected: '250.00', payments: 1 },
    ]);
    expect(charts).toEqual([
      {
        currency: 'MXN',
        points: [
          { period: '2026-03-02', collected: 1000.5, exact: '1000.50', payments: 2 },
          { period: '2026-03-09', collected: 250, exact: '250.00', payments: 1 },
        ],
      },
      { currency: 'USD', points: [{ period: '2026-03-02', collected: 40, exact: '40.00', payments: 1 }] },
    ]);
  });
});
