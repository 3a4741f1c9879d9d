// Debian's Chromium driven by playwright-core (which never downloads a browser), and screenshots at the two
// widths the console is designed for.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.SCIMD_CHROMIUM ?? "/usr/bin/chromium";
export const SHOTS_DIR = resolve(import.meta.dir, "../../test-artifacts/screenshots");
export const WIDTHS = [390, 1280] as const;

export async function launchBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "scimd-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1280, height: 900 },
    locale: "en-GB",
    timezoneId: "UTC",
    colorScheme: "light",
  });
}

/** Full-page screenshots at 390 and 1280 px: test-artifacts/screenshots/console-NAME-WIDTH.png. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const paths: string[] = [];
  // No hover effects in the pictures.
  await page.mouse.move(0, 0);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    // Let the chart redraw at the new width (a ResizeObserver callback, then a frame).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const path = join(SHOTS_DIR, `console-${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    paths.push(path);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  return paths;
}

/** Nothing wider than the viewport: the page never scrolls sideways at 390 px. */
export async function horizontalOverflow(page: Page, width = 390): Promise<number> {
  await page.setViewportSize({ width, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize({ width: 1280, height: 900 });
  return overflow;
}
