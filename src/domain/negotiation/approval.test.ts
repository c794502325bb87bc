import { describe, expect, it } from 'vitest';
import { APPROVER_ROLES, effectivePolicy, mayApprove, parsePolicySource, PolicyError } from './policy.ts';

describe('who may approve an exception', () => {
  it('the role the policy names or a higher one: admin > supervisor > collector', () => {
    expect(mayApprove('collector', 'collector')).toBe(true);
    expect(mayApprove('supervisor', 'collector')).toBe(true);
    expect(mayApprove('admin', 'collector')).toBe(true);
    expect(mayApprove('collector', 'supervisor')).toBe(false);
    expect(mayApprove('supervisor', 'supervisor')).toBe(true);
    expect(mayApprove('admin', 'supervisor')).toBe(true);
    expect(mayApprove('supervisor', 'admin')).toBe(false);
    expect(mayApprove('admin', 'admin')).toBe(true);
  });

  it('an agency only where the policy names it; auditors, viewers and unknown roles never', () => {
    for (const approver of ['collector', 'supervisor', 'admin'] as const) expect(mayApprove('agency', approver)).toBe(false);
    expect(mayApprove('agency', 'agency')).toBe(true);
    for (const role of ['collector', 'supervisor', 'admin']) expect(mayApprove(role, 'agency')).toBe(true);
    for (const role of ['auditor', 'viewer', 'root', '']) for (const approver of APPROVER_ROLES) expect(mayApprove(role, approver)).toBe(false);
  });

  it('the policy names a valid role, in its base or an override', () => {
    const scope = { portfolio: 'tarjetas', segments: [], phase: null };
    expect(effectivePolicy(parsePolicySource('approval: { role: collector }'), scope).approval.role).toBe('collector');
    expect(effectivePolicy(parsePolicySource('overrides:\n  - when: { portfolio: tarjetas }\n    approval: { role: admin }'), scope).approval.role).toBe('admin');
    expect(effectivePolicy(null, scope).approval.role).toBe('supervisor');
    expect(() => parsePolicySource('approval: { role: gerente }')).toThrow(PolicyError);
    expect(() => parsePolicySource('approval: { role: viewer }')).toThrow(/approval\.role: must be one of collector, agency, supervisor, admin/);
  });
});
