import { useState } from 'react';
import { needsIdentity } from './api.ts';
import { usePortal } from './context.tsx';

/**
 * Runs a portal action with busy and error state. When the server says the identity session is over, the session
 * is dropped and the identity check shows again instead of an error.
 */
export function useAction() {
  const { dropSession } = usePortal();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (e) {
      if (needsIdentity(e)) dropSession();
      else setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, error, setError };
}
