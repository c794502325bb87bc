import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Alert, Button, Card, ErrorView, Loading, ProgressBar, SelectField, TextField } from '../../ui/index.ts';
import { uploadImport } from './upload.ts';

/** One import as GET /imports lists it. */
interface ImportRow {
  id: number;
  entity: string;
  file_name: string | null;
  status: 'running' | 'completed' | 'validated' | 'rejected' | 'failed';
  dry_run: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  error_count: number;
  file_bytes: number | null;
  bytes_read: number | null;
  started_at: string;
  finished_at: string | null;
  created_by: string | null;
}

interface ImportDetail extends ImportRow {
  errors: Array<{ line: number; column: string; reason: string }>;
}

const ENTITIES = ['debtors', 'obligations', 'payments'] as const;
const STATUS_BADGE: Record<ImportRow['status'], string> = {
  running: 'badge badge--warning',
  completed: 'badge badge--success',
  validated: 'badge',
  rejected: 'badge badge--danger',
  failed: 'badge badge--danger',
};
const POLL_MS = 1000;
/** The history's figures, in column order (each column's header is `imports.col.<name>`). */
const COUNTS = ['rows', 'inserted', 'updated', 'unchanged', 'error_count'] as const;

/** A size in bytes for people: "850 B", "12.4 KB", "3.1 MB". */
function useBytes() {
  const { number } = useI18n();
  return (n: number) => {
    if (n < 1024) return `${number(n)} B`;
    if (n < 1024 * 1024) return `${number(n / 1024, { maximumFractionDigits: 1 })} KB`;
    return `${number(n / (1024 * 1024), { maximumFractionDigits: 1 })} MB`;
  };
}

/**
 * /app/imports — upload a file of debtors, documents or payments (with its progress), follow the import the server
 * then runs in the background (the page can be left and reopened), and read the history with every rejected row.
 */
export default function ImportsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const selected = Number(params.get('import')) || null;
  const show = (id: number | null) => setParams(id === null ? {} : { import: String(id) }, { replace: true });
  return (
    <div className="container stack">
      <h1>{t('imports.title')}</h1>
      <p className="muted">{t('imports.intro')}</p>
      <UploadForm onAccepted={show} />
      {selected !== null && <ImportCard key={selected} id={selected} onClose={() => show(null)} />}
      <History selected={selected} onSelect={show} />
    </div>
  );
}

function UploadForm({ onAccepted }: { onAccepted: (id: number) => void }) {
  const { t } = useI18n();
  const bytes = useBytes();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<(typeof ENTITIES)[number]>('debtors');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [delimiter, setDelimiter] = useState('');
  const [encoding, setEncoding] = useState('utf8');
  const [dateFormat, setDateFormat] = useState('YYYY-MM-DD');
  const [portfolio, setPortfolio] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [accepted, setAccepted] = useState(false);
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api.get<{ data: Array<{ name: string }> }>('/portfolios') });

  // Leaving the page keeps the upload going; closing the tab would cancel it, so the browser asks first.
  const uploading = progress !== null;
  useEffect(() => {
    if (!uploading) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [uploading]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAccepted(false);
    setError(null);
    if (!file) {
      setFileError(t('imports.file.required'));
      return;
    }
    setFileError(null);
    const fields: Record<string, string> = { encoding, date_format: dateFormat, dry_run: String(dryRun) };
    if (delimiter) fields.delimiter = delimiter;
    if (entity === 'obligations' && portfolio.trim()) fields.portfolio = portfolio.trim();
    setProgress({ sent: 0, total: file.size });
    try {
      const result = await uploadImport(entity, fields, file, (sent, total) => setProgress({ sent, total }));
      setAccepted(true);
      void queryClient.invalidateQueries({ queryKey: ['imports'] });
      onAccepted(result.import_id);
    } catch (e) {
      setError(e);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Card title={t('imports.new')}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="bo-filters">
          <SelectField
            label={t('imports.entity')}
            value={entity}
            onChange={(e) => setEntity(e.target.value as (typeof ENTITIES)[number])}
            options={ENTITIES.map((e) => ({ value: e, label: t(`imports.entity.${e}`) }))}
          />
          <TextField
            label={t('imports.file')}
            hint={t('imports.file.hint')}
            type="file"
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
            }}
            error={fileError ?? undefined}
          />
        </div>
        <fieldset className="field stack">
          <legend>{t('imports.options')}</legend>
          <div className="bo-filters">
            <SelectField
              label={t('imports.delimiter')}
              value={delimiter}
              onChange={(e) => setDelimiter(e.target.value)}
              options={[
                { value: '', label: t('imports.delimiter.auto') },
                { value: ',', label: t('imports.delimiter.comma') },
                { value: ';', label: t('imports.delimiter.semicolon') },
              ]}
            />
            <SelectField
              label={t('imports.encoding')}
              value={encoding}
              onChange={(e) => setEncoding(e.target.value)}
              options={[
                { value: 'utf8', label: t('imports.encoding.utf8') },
                { value: 'latin1', label: t('imports.encoding.latin1') },
              ]}
            />
            <SelectField
              label={t('imports.dateFormat')}
              value={dateFormat}
              onChange={(e) => setDateFormat(e.target.value)}
              options={[
                { value: 'YYYY-MM-DD', label: t('imports.dateFormat.iso') },
                { value: 'DD/MM/YYYY', label: t('imports.dateFormat.dmy') },
              ]}
            />
            {entity === 'obligations' && (
              <>
                <TextField label={t('imports.portfolio')} hint={t('imports.portfolio.hint')} list="imports-portfolios" maxLength={100} value={portfolio} onChange={(e) => setPortfolio(e.target.value)} />
                <datalist id="imports-portfolios">
                  {(portfolios.data?.data ?? []).map((p) => (
                    <option key={p.name} value={p.name} />
                  ))}
                </datalist>
              </>
            )}
          </div>
          <label className="choice">
            <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} />
            {t('imports.dryRun')}
          </label>
        </fieldset>
        {progress && (
          <>
            <ProgressBar label={t('imports.uploading')} value={progress.sent} max={Math.max(progress.total, 1)} detail={t('imports.uploaded', { done: bytes(progress.sent), total: bytes(progress.total) })} />
            <p className="muted small">{t('imports.leaveWarning')}</p>
          </>
        )}
        {error !== null && <ErrorView error={error} />}
        {accepted && <Alert kind="success">{t('imports.accepted')}</Alert>}
        <div className="row">
          <Button type="submit" busy={uploading}>
            {t('imports.submit')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** How far a running import got: a share of the file when its size is known, else only the rows read. */
function RunningProgress({ item }: { item: ImportRow }) {
  const { t, number } = useI18n();
  const rows = t('imports.processing.rows', { count: item.rows, rows: number(item.rows) });
  const share = item.file_bytes && item.bytes_read !== null ? item.bytes_read / item.file_bytes : null;
  return (
    <ProgressBar
      label={t('imports.processing')}
      value={share}
      detail={share === null ? (item.rows > 0 ? rows : undefined) : t('imports.processing.percent', { rows, percent: number(share, { style: 'percent', maximumFractionDigits: 0 }) })}
    />
  );
}

/** One import: its progress while it runs (polled), then its outcome and, when rejected, every problem by line. */
function ImportCard({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, dateTime, number, locale } = useI18n();
  const queryClient = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const detail = useQuery({
    queryKey: ['imports', 'detail', id],
    queryFn: () => api.get<ImportDetail>(`/imports/${id}`),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? POLL_MS : false),
  });
  const status = detail.data?.status;
  useEffect(() => {
    // The history shows the outcome as soon as the import ends.
    if (status && status !== 'running') void queryClient.invalidateQueries({ queryKey: ['imports', 'history'] });
  }, [status, queryClient]);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  if (detail.isPending) return <Loading />;
  if (detail.isError) return <ErrorView error={detail.error} retry={() => void detail.refetch()} />;
  const item = detail.data;
  // Each count agrees with its own noun: "1 fila: 1 nueva, 0 actualizadas".
  const counts = { count: item.rows, inserted: t('imports.detail.inserted', { count: item.inserted }), updated: t('imports.detail.updated', { count: item.updated }), unchanged: number(item.unchanged) };
  return (
    <section className="card stack" aria-labelledby={`import-${id}`} data-import={id} data-status={item.status}>
      <div className="spread">
        <h2 id={`import-${id}`} ref={heading} tabIndex={-1}>
          {t('imports.detail', { id, file: item.file_name ?? t('imports.detail.noFile') })}
        </h2>
        <Button variant="link" onClick={onClose}>
          {t('imports.detail.close')}
        </Button>
      </div>
      <p>
        <span className={STATUS_BADGE[item.status]}>{t(`imports.status.${item.status}`)}</span> {t(`imports.entity.${item.entity}`)}
      </p>
      <p className="muted small">
        {t('imports.detail.by', { who: item.created_by ?? '—', when: dateTime(item.started_at) })}
        {item.finished_at && ` · ${t('imports.detail.finished', { when: dateTime(item.finished_at) })}`}
      </p>
      <div aria-live="polite">
        {item.status === 'running' && <RunningProgress item={item} />}
        {item.status === 'completed' && <Alert kind="success">{t('imports.detail.completed', counts)}</Alert>}
        {item.status === 'validated' && <Alert kind="info">{t('imports.detail.validated', counts)}</Alert>}
        {item.status === 'rejected' && <Alert kind="error">{t('imports.detail.rejected', { count: item.error_count })}</Alert>}
        {item.status === 'failed' && <Alert kind="error">{t('imports.detail.failed')}</Alert>}
      </div>
      {item.errors.length > 0 && (
        <>
          <h3>{t('imports.detail.errors')}</h3>
          {item.error_count > item.errors.length && <p className="muted">{t('imports.detail.shown', { shown: item.errors.length, count: item.error_count })}</p>}
          <ul>
            {item.errors.map((e, i) => (
              <li key={i}>{e.line > 0 ? t('imports.detail.line', { line: e.line, column: e.column, reason: e.reason }) : e.reason}</li>
            ))}
          </ul>
          <p>
            <a className="button button--secondary" href={`/imports/${id}/errors?format=csv&language=${locale === 'en' ? 'en' : 'es'}`} download>
              {t('imports.detail.download')}
            </a>
          </p>
        </>
      )}
    </section>
  );
}

/** Every import of the company, newest first; refreshed while one is running. */
function History({ selected, onSelect }: { selected: number | null; onSelect: (id: number) => void }) {
  const { t, dateTime, number } = useI18n();
  const history = useInfiniteQuery({
    queryKey: ['imports', 'history'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ data: ImportRow[]; next_cursor: string | null }>('/imports', { query: { limit: 20, cursor: pageParam } }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.data.some((i) => i.status === 'running')) ? POLL_MS * 2 : false),
  });
  const items = history.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card title={t('imports.history')}>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorView error={history.error} retry={() => void history.refetch()} />
      ) : items.length === 0 ? (
        <p>{t('imports.history.empty')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('imports.col.started')}</th>
                  <th scope="col">{t('imports.col.file')}</th>
                  <th scope="col">{t('imports.col.entity')}</th>
                  <th scope="col">{t('imports.col.status')}</th>
                  {COUNTS.map((c) => (
                    <th key={c} scope="col" className="num">
                      {t(`imports.col.${c}`)}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">{t('imports.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr key={i.id} data-import={i.id} aria-current={i.id === selected ? 'true' : undefined}>
                    <td>{dateTime(i.started_at)}</td>
                    <td>{i.file_name ?? '—'}</td>
                    <td>{t(`imports.entity.${i.entity}`)}</td>
                    <td>
                      <span className={STATUS_BADGE[i.status]}>{t(`imports.status.${i.status}`)}</span>
                    </td>
                    {COUNTS.map((c) => (
                      <td key={c} className="num">
                        {number(i[c])}
                      </td>
                    ))}
                    <td>
                      <Button variant="link" onClick={() => onSelect(i.id)} aria-label={t('imports.view.label', { id: i.id })}>
                        {t('imports.view')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {history.hasNextPage && (
            <Button variant="secondary" busy={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
              {t('imports.history.more')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
