import type { ReactNode } from 'react';

/** A message box. Errors and warnings are announced at once (role=alert); the rest politely (role=status). */
export function Alert({ kind = 'info', title, children }: { kind?: 'info' | 'success' | 'warning' | 'error'; title?: ReactNode; children?: ReactNode }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' || kind === 'warning' ? 'alert' : 'status'}>
      {title && <p style={{ fontWeight: 700 }}>{title}</p>}
      {children}
    </div>
  );
}
