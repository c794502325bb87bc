import { Link } from 'react-router';
import { useI18n } from '../../i18n/index.tsx';
import { Card } from '../../ui/index.ts';
import { useSession } from '../auth/session.tsx';
import { appPages } from '../routes.tsx';

/** The back office's landing page: a greeting and the sections the signed-in role may open. */
export default function HomePage() {
  const { t } = useI18n();
  const session = useSession();
  const granted = session.data?.permissions ?? [];
  const sections = appPages.filter((p) => p.nav && p.path !== '' && !p.bare && (!p.permission || granted.includes(p.permission)));
  return (
    <div className="container stack">
      <h1>{t('app.home.title')}</h1>
      <Card>
        <p>{t('app.home.body')}</p>
        <ul>
          {sections.map((p) => (
            <li key={p.path}>
              <Link to={`/app/${p.path}`}>{t(p.nav as string)}</Link>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
