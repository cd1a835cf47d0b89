import {
  type Collector,
  checkKnownKeys,
  expectArray,
  expectString,
  isObject,
  join,
  typeName,
} from './collector.ts';
import { type AccessContext, validateAccess } from './validate-access.ts';
import { validateFilterList } from './validate-filter-list.ts';

const APP_KEYS = ['id', 'name', 'urls', 'catalog', 'access'];
const CATALOG_KEYS = ['description', 'launchUrl', 'icon', 'category'];
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Validates app families and returns the ids declared, for references from dataControls. */
export function validateApps(c: Collector, value: unknown, ctx: AccessContext = {}): Set<string> {
  const ids = new Set<string>();
  if (!expectArray(c, 'apps', value)) return ids;
  value.forEach((app, i) => {
    const path = join('apps', i);
    if (!isObject(app)) {
      c.error(path, `must be an app family { id, name, urls }, got ${typeName(app)}.`);
      return;
    }
    checkKnownKeys(c, path, app, APP_KEYS);
    if (expectString(c, join(path, 'id'), app.id, { required: true, max: 63 })) {
      if (!ID.test(app.id)) {
        c.error(
          join(path, 'id'),
          `"${app.id}" must be lowercase letters, digits and dashes (e.g. "mail").`,
        );
      } else if (ids.has(app.id)) {
        c.error(join(path, 'id'), `"${app.id}" is declared twice; app ids must be unique.`);
      } else ids.add(app.id);
    }
    expectString(c, join(path, 'name'), app.name, { required: true, max: 200 });
    if (app.urls === undefined)
      c.error(join(path, 'urls'), 'is required: list the URL filters of this app family.');
    else validateFilterList(c, join(path, 'urls'), app.urls);
    if (app.catalog !== undefined) validateCatalog(c, join(path, 'catalog'), app.catalog);
    if (app.access !== undefined) validateAccess(c, join(path, 'access'), app.access, ctx);
  });
  return ids;
}

function validateCatalog(c: Collector, path: string, value: unknown): void {
  if (!isObject(value)) {
    c.error(path, `must be { description, launchUrl, icon?, category? }, got ${typeName(value)}.`);
    return;
  }
  checkKnownKeys(c, path, value, CATALOG_KEYS);
  expectString(c, join(path, 'description'), value.description, { required: true, max: 1000 });
  if (expectString(c, join(path, 'launchUrl'), value.launchUrl, { required: true, max: 2048 })) {
    if (!/^https?:\/\/[^/\s]+/i.test(value.launchUrl)) {
      c.error(
        join(path, 'launchUrl'),
        `"${value.launchUrl}" must be an http(s) URL such as "https://mail.example.com/".`,
      );
    }
  }
  if (expectString(c, join(path, 'icon'), value.icon, { max: 100_000 })) {
    if (!/^(https:\/\/|data:image\/(png|svg\+xml|webp|jpeg);)/i.test(value.icon)) {
      c.error(join(path, 'icon'), 'must be an https: URL or a data:image/… URL.');
    }
  }
  expectString(c, join(path, 'category'), value.category, { max: 100 });
}
