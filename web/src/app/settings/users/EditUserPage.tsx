import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, SelectField, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';
import { ROLES, USERS_QUERY, type User } from './api.ts';

/** /app/settings/users/:id — change a user's name, role, agency or access, or email a reset link. */
export default function EditUserPage() {
  return (
    <RequireSession permission="users:manage">
      <EditUser />
    </RequireSession>
  );
}

function EditUser() {
  const { t } = useI18n();
  const { id } = useParams();
  const user = useQuery({ queryKey: [...USERS_QUERY, id], queryFn: () => api.get<User>(`/users/${encodeURIComponent(id ?? '')}`) });
  return (
    <div className="container container--narrow stack">
      <p>
        <Link to="/app/settings/users">{t('users.back')}</Link>
      </p>
      <h1>{t('users.editTitle')}</h1>
      {user.isPending ? <Loading /> : user.isError ? <ErrorView error={user.error} retry={() => void user.refetch()} /> : <EditForm key={user.data.id} user={user.data} />}
    </div>
  );
}

function EditForm({ user }: { user: User }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: user.name, role: user.role as string, agency: user.agency ?? '', active: user.active });
  const save = useMutation({
    mutationFn: () => api.patch<User>(`/users/${user.id}`, { name: form.name, role: form.role, agency: form.role === 'agency' ? form.agency : null, active: form.active }),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: USERS_QUERY }),
  });
  const reset = useMutation({ mutationFn: () => api.post<{ email: string }>(`/users/${user.id}/password-reset`) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <>
      <Card>
        <p>
          <strong>{user.email}</strong>
        </p>
        {save.isSuccess && <Alert kind="success">{t('users.saved')}</Alert>}
        {save.isError && <ErrorView error={save.error} />}
        <form className="stack" onSubmit={submit} noValidate>
          <TextField label={t('users.name')} required value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />
          <SelectField label={t('users.role')} value={form.role} onChange={(e) => setForm((f) => ({ ...f, role: e.target.value }))} options={ROLES.map((r) => ({ value: r, label: t(`auth.role.${r}`) }))} />
          {form.role === 'agency' && <TextField label={t('users.agency')} hint={t('users.agency.hint')} required value={form.agency} onChange={(e) => setForm((f) => ({ ...f, agency: e.target.value }))} />}
          <label className="row">
            <input type="checkbox" checked={form.active} onChange={(e) => setForm((f) => ({ ...f, active: e.target.checked }))} />
            {t('users.activeField')}
          </label>
          <Button type="submit" busy={save.isPending} disabled={!form.name || (form.role === 'agency' && !form.agency)}>
            {t('common.save')}
          </Button>
        </form>
      </Card>
      <Card>
        {reset.isSuccess && <Alert kind="success">{t('users.resetSent', { email: reset.data.email })}</Alert>}
        {reset.isError && <ErrorView error={reset.error} />}
        <Button variant="secondary" busy={reset.isPending} disabled={!user.active} onClick={() => reset.mutate()}>
          {t('users.sendReset')}
        </Button>
      </Card>
    </>
  );
}
