/**
 * What the portal takes from the server's configuration, installed once at start (like the payments gateways):
 * the signing secret (COBRANZA_PORTAL_SECRET) and the public URL links are built on. Without a configured secret each
 * company's links are signed with a random key kept in portal_settings, so a fresh install works without setup.
 */
export interface PortalRuntime {
  /** Server-wide signing secret; null to use each company's stored key. */
  secret: string | null;
  /** Base of the links (no trailing slash), e.g. https://cobranza.example.mx; null gives paths only. */
  publicUrl: string | null;
}

let runtime: PortalRuntime = { secret: null, publicUrl: null };

/** Installs the portal's configuration (the server and CLI call it at start). */
export function configurePortal(value: Partial<PortalRuntime>): void {
  runtime = { ...runtime, ...value };
}

/** The installed configuration. */
export function portalRuntime(): PortalRuntime {
  return runtime;
}
