/**
 * Every message catalog of the app, one line per area. An area keeps its strings beside its code
 * (e.g. web/src/app/worklists/messages.ts exporting `{ es: {...}, en: {...} }` with keys prefixed `worklists.`)
 * and adds one line here. catalogs.test.ts checks that es and en have the same keys and the same {placeholders}.
 */
import { common } from './messages/common.ts';
import { app } from './messages/app.ts';
import { portal } from '../portal/messages.ts';
import { auth } from '../app/auth/messages.ts';
import { users } from '../app/settings/users/messages.ts';
import { worklist } from '../app/worklist/messages.ts';
import { debtor } from '../app/debtor/messages.ts';
import { dashboard } from '../app/dashboard/messages.ts';
import { alerts } from '../app/alerts/messages.ts';
import { settings } from '../app/settings/messages.ts';
import { accounts } from '../app/accounts/messages.ts';
import { imports } from '../app/imports/messages.ts';
import { runs } from '../app/runs/messages.ts';
import { costs } from '../app/settings/costs/messages.ts';

/** One area's strings: Spanish (the default) and English, same keys. */
export interface Catalog {
  es: Record<string, string>;
  en: Record<string, string>;
}

export const catalogs: Record<string, Catalog> = {
  common,
  app,
  portal,
  auth,
  users,
  worklist,
  debtor,
  dashboard,
  alerts,
  settings,
  accounts,
  imports,
  runs,
  costs,
};
