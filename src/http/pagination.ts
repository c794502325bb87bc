/**
 * Opaque cursors for the API's lists: the query layer hands back the last row's key tuple, and each list route encodes
 * and decodes it with the name of its list and order (`decodeCursor('debtors.name', …)`), so a cursor only ever
 * continues the list that made it (src/modules/portfolio/queries/page.ts).
 */
import { encodeCursor, type Page } from '../modules/portfolio/queries/page.ts';

export { decodeCursor, encodeCursor } from '../modules/portfolio/queries/page.ts';

/** A page as the API returns it, its next cursor bound to `list`. */
export function pageBody<T>(list: string, page: Page<T>): { data: T[]; next_cursor: string | null } {
  return { data: page.rows, next_cursor: encodeCursor(list, page.next) };
}
