/**
 * The portal's calls: every path is under /portal/api/<token>; a passed identity check gives a session token that
 * travels in the X-Portal-Session header and is kept in sessionStorage for this tab only.
 */
import { ApiError, request } from '../api/client.ts';

export interface PortalObligation {
  id: number;
  external_id: string;
  kind: string;
  product: string | null;
  currency: string;
  amount: string;
  balance: string;
  due_on: string;
  days_late: number;
  disputed: boolean;
  in_plan: boolean;
}

export interface PortalAccount {
  obligations: PortalObligation[];
  totals: { currency: string; balance: string; overdue: string }[];
  promises: { id: number; currency: string; amount: string; promised_on: string; status: string }[];
  plans: { id: number; kind: string; currency: string; total: string; status: string; installments: { seq: number; due_on: string; amount: string; status: string }[] }[];
  disputes: { id: number; obligation_id: number; status: string; reason: string; opened_on: string; debtor_notice: string | null }[];
  paid_in_full: boolean;
  contact: { email: string | null; phone: string | null; whatsapp: string | null };
  channels: { channel: string; status: string; opted_out: boolean }[];
}

export interface PortalView {
  creditor: string;
  debtor_first_name: string;
  link_expires_at: string;
  today: string;
  identity: { method: 'tax_id_last4' | 'birth_date' | 'none'; available: boolean; verified: boolean; locked_until: string | null; attempts_left: number };
  account: PortalAccount | null;
}

export interface PortalPayment {
  public_id: string;
  provider: string;
  status: string;
  amount: string;
  currency: string;
  url: string | null;
  reference: string | null;
  clabe: string | null;
  expires_at: string;
}

export interface PlanOption {
  key: string;
  kind: 'plan' | 'settlement';
  frequency: string | null;
  installments: number;
  down_payment: string;
  discount: string;
  interest: string;
  total: string;
  schedule: { seq: number; due_on: string; amount: string }[];
}

const storageKey = (token: string) => `cobranza.portal.session.${token.slice(-22)}`;

/** The session of this link in this tab, if any. */
export function loadSession(token: string): string | null {
  try {
    return window.sessionStorage.getItem(storageKey(token));
  } catch {
    return null;
  }
}

/** Keeps (or, with null, forgets) the session of this link. */
export function saveSession(token: string, session: string | null): void {
  try {
    if (session) window.sessionStorage.setItem(storageKey(token), session);
    else window.sessionStorage.removeItem(storageKey(token));
  } catch {
    // Without storage the session lives only in memory (React state).
  }
}

/** Why a link did not open, from a 401 on the token; null for any other error. */
export function linkProblem(error: unknown): 'invalid' | 'expired' | 'revoked' | null {
  if (!(error instanceof ApiError) || error.status !== 401) return null;
  const reason = error.details.find((d) => d.path === 'token')?.reason;
  return reason === 'expired' || reason === 'revoked' || reason === 'invalid' ? reason : null;
}

/** Whether the error says the identity session is missing or over. */
export function needsIdentity(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.details.some((d) => d.reason === 'identity_required');
}

/** The API of one link. */
export function portalApi(token: string, session: string | null) {
  const base = `/portal/api/${encodeURIComponent(token)}`;
  const headers: Record<string, string> = session ? { 'x-portal-session': session } : {};
  /** A document (PDF) fetched with the session. */
  const file = async (path: string, lang: string): Promise<Blob> => {
    const response = await fetch(`${base}/${path}?lang=${encodeURIComponent(lang)}`, { headers, credentials: 'same-origin' });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; details?: [] };
      throw new ApiError(response.status, body.code ?? 'http_error', body.message ?? response.statusText, body.details ?? []);
    }
    return response.blob();
  };
  return {
    view: () => request<PortalView>('GET', base, undefined, { headers }),
    verify: (answer: string) => request<{ session: string; expires_at: string }>('POST', `${base}/verify`, { answer }, { headers }),
    pay: (currency: string, amount?: string) => request<PortalPayment>('POST', `${base}/payments`, { currency, ...(amount && { amount }) }, { headers }),
    completeSandbox: (publicId: string) => request<PortalPayment>('POST', `${base}/payments/${encodeURIComponent(publicId)}/sandbox-complete`, {}, { headers }),
    promise: (body: { currency: string; amount: string; promised_on: string; idempotency_key: string }) =>
      request<{ id: number; status: string; amount: string; currency: string; promised_on: string }>('POST', `${base}/promises`, body, { headers }),
    planOptions: (currency: string) => request<{ currency: string; balance: string; options: PlanOption[] }>('GET', `${base}/plan-options`, undefined, { headers, query: { currency } }),
    choosePlan: (currency: string, key: string, language: string) => request<{ id: number; status: string; kind: string; total: string; currency: string }>('POST', `${base}/plans`, { currency, key, language }, { headers }),
    requestPlan: (body: { currency: string; installments: number; frequency: string; first_installment_on: string; down_payment?: string; note?: string }) =>
      request<{ plan_id: number | null; status: string; task_id: number | null }>('POST', `${base}/plan-requests`, body, { headers }),
    dispute: (body: { obligation_id: number; reason: string; note?: string }) => request<{ id: number; status: string }>('POST', `${base}/disputes`, body, { headers }),
    updateContact: (body: { email?: string | null; phone?: string | null; whatsapp?: string | null; channels?: Record<string, 'yes' | 'no'> }) =>
      request<void>('PUT', `${base}/contact`, body, { headers }),
    optOut: (channel: string) => request<void>('POST', `${base}/opt-out`, { channel }, { headers }),
    letter: (lang: string): Promise<Blob> => file('letter', lang),
    agreement: (planId: number, lang: string): Promise<Blob> => file(`plans/${planId}/agreement`, lang),
  };
}

export type PortalClient = ReturnType<typeof portalApi>;
