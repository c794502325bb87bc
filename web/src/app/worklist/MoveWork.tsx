/**
 * Moving work between queues (supervisors): the debtors picked in the list go to another collector through
 * POST /worklist/assignments, which closes the old assignment and keeps it as history.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, ErrorView, SelectField, TextField } from '../../ui/index.ts';

/** One collector's queue as GET /worklist/queues lists it. */
export interface Queue {
  collector_id: number;
  name?: string | null;
  email?: string | null;
  capacity: number | null;
  accounts: number;
  attention: number;
}

/** A collector's name for lists; the id when the queue has no named user. */
export function useCollectorLabel() {
  const { t } = useI18n();
  return (q: Queue) => (q.name ? t('worklist.collector.named', { name: q.name, id: q.collector_id }) : t('worklist.collector.id', { id: q.collector_id }));
}

/** The form under the list: where the selected debtors go, and why. */
export function MoveWork({ selected, queues, from, onMoved }: { selected: string[]; queues: Queue[]; from: number | null; onMoved: () => void }) {
  const { t } = useI18n();
  const label = useCollectorLabel();
  const queryClient = useQueryClient();
  const targets = queues.filter((q) => q.collector_id !== from);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: () => api.post<{ moved: number }>('/worklist/assignments', { debtors: selected, collector_id: Number(to), reason: reason.trim() || null }),
    onSuccess: async () => {
      setReason('');
      onMoved();
      await queryClient.invalidateQueries({ queryKey: ['worklist'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate();
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={t('worklist.move.title')}>
      <h2>{t('worklist.move.title')}</h2>
      <p aria-live="polite">{t('worklist.move.selected', { count: selected.length })}</p>
      {move.isSuccess && <Alert kind="success">{t('worklist.move.done', { count: move.data.moved })}</Alert>}
      {move.isError && <ErrorView error={move.error} />}
      <div className="bo-grid">
        <SelectField
          label={t('worklist.move.to')}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          options={[{ value: '', label: t('worklist.move.pick') }, ...targets.map((q) => ({ value: String(q.collector_id), label: `${label(q)} · ${t('worklist.move.load', { count: q.accounts, capacity: q.capacity ?? '—' })}` }))]}
        />
        <TextField label={t('worklist.move.reason')} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div>
        <Button type="submit" busy={move.isPending} disabled={selected.length === 0 || !to}>
          {t('worklist.move.submit')}
        </Button>
      </div>
    </form>
  );
}
