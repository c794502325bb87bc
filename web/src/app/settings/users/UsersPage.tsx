import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { useI18n } from '../../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, SelectField, TextField } from '../../../ui/index.ts';
import { RequireSession } from '../../auth/session.tsx';
import { ROLES, USERS_QUERY, type User } from './api.ts';

/** /app/settings/users — the company's users, and a form to add one. Administrators only. */
export default function UsersPage() {
  return (
    <RequireSession permission="users:manage">
      <Users />
    </RequireSession>
  );
}

function Users() {
  const { t, dateTime } = useI18n();
  const users = useQuery({ queryKey: USERS_QUERY, queryFn: () => api.get<{ data: User[] }>('/users') });
  const [adding, setAdding] = useState(false);
  return (
    <div className="container stack">
      <div className="row">
        <h1>{t('users.title')}</h1>
        <Button variant="secondary" onClick={() => setAdding((v) => !v)} aria-expanded={adding}>
          {t('users.add')}
        </Button>
      </div>
      <p>{t('users.intro')}</p>
      {adding && <NewUser onDone={() => setAdding(false)} />}
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorView error={users.error} retry={() => void users.refetch()} />
      ) : users.data.data.length === 0 ? (
        <p>{t('users.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('users.col.name')}</th>
                <th scope="col">{t('users.col.email')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.status')}</th>
                <th scope="col">{t('users.col.lastLogin')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('users.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.data.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    {t(`auth.role.${u.role}`)}
                    {u.agency ? ` · ${u.agency}` : ''}
                  </td>
                  <td>{u.locked_until ? t('users.locked', { time: dateTime(u.locked_until) }) : u.active ? t('users.active') : t('users.inactive')}</td>
                  <td>{u.last_login_at ? dateTime(u.last_login_at) : t('users.never')}</td>
                  <td>
                    <Link to={`/app/settings/users/${u.id}`} aria-label={`${t('users.edit')} ${u.email}`}>
                      {t('users.edit')}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function NewUser({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', role: 'collector', agency: '', password: '' });
  const [result, setResult] = useState<{ email: string; password: string | null } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<{ user: User; password: string | null }>('/users', {
        email: form.email,
        name: form.name,
        role: form.role,
        ...(form.role === 'agency' && { agency: form.agency }),
        ...(form.password && { password: form.password }),
      }),
    onSuccess: async (r) => {
      setResult({ email: r.user.email, password: r.password });
      setForm({ email: '', name: '', role: 'collector', agency: '', password: '' });
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    create.mutate();
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  return (
    <Card title={t('users.add')}>
      {result && (
        <Alert kind="success">
          <p>{t('users.created', { email: result.email })}</p>
          {result.password && <p>{t('users.generated', { password: result.password })}</p>}
        </Alert>
      )}
      {create.isError && <ErrorView error={create.error} />}
      <form className="stack" onSubmit={submit} noValidate>
        <TextField label={t('users.name')} required value={form.name} onChange={set('name')} />
        <TextField label={t('users.email')} type="email" required value={form.email} onChange={set('email')} />
        <SelectField label={t('users.role')} value={form.role} onChange={set('role')} options={ROLES.map((r) => ({ value: r, label: t(`auth.role.${r}`) }))} />
        {form.role === 'agency' && <TextField label={t('users.agency')} hint={t('users.agency.hint')} required value={form.agency} onChange={set('agency')} />}
        <TextField label={t('users.password')} hint={t('users.password.hint')} type="password" autoComplete="new-password" value={form.password} onChange={set('password')} />
        <div className="row">
          <Button type="submit" busy={create.isPending} disabled={!form.email || !form.name || (form.role === 'agency' && !form.agency)}>
            {t('users.create')}
          </Button>
          <Button variant="secondary" onClick={onDone}>
            {t('common.close')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
