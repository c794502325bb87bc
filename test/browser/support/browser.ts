/**
 * Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Each call gets a fresh profile directory,
 * removed on close; pages default to a phone (390×844, touch, es-MX). `.ci/run` installs chromium when missing.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots land here (gitignored); CI keeps the folder as an artifact. */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/screenshots', import.meta.url));

export const PHONE = { width: 390, height: 844 } as const;
export const LAPTOP = { width: 1366, height: 900 } as const;

export interface Browser {
  context: BrowserContext;
  /** A new tab; phone-sized unless the browser was launched with another viewport. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium headless with a fresh profile. */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'cobranza-chromium-'));
  const viewport = options.viewport ?? PHONE;
  const phone = viewport.width < 768;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    locale: options.locale ?? 'es-MX',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a full-page screenshot as test-artifacts/screenshots/<test file>--<name>.png and returns its path.
 * `testFile` is usually `import.meta.url`.
 */
export async function screenshot(page: Page, testFile: string, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${basename(fileURLToPath(testFile)).replace(/\.test\.ts$/, '')}--${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Collects what the page logs as errors and uncaught exceptions, so a test can assert the app ran clean
 * (a React error in the console fails a test that would otherwise pass on what is still on screen).
 */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { errors };
}
