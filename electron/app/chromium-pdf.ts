// PDF rendering outside Electron (CLI, browser host, tests): the system Chromium driven by playwright-core,
// JavaScript off, no network. In the desktop app Platform.printToPdf (Electron's printToPDF) is used instead.
// playwright-core is a development dependency: it is present when Fieldkit runs from its repository
// (npx fieldkit, npm run dev:web, tests) and is loaded only when a PDF is asked for.

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PDF_TIMEOUT_MS = 60_000;

interface PlaywrightCore {
  chromium: {
    launch(options: { executablePath: string; args: string[]; chromiumSandbox: boolean; timeout: number }): Promise<{
      newContext(options: { javaScriptEnabled: boolean; offline: boolean }): Promise<{
        newPage(): Promise<{
          setContent(html: string, options: { waitUntil: 'load'; timeout: number }): Promise<void>;
          pdf(options: {
            format: 'A4';
            printBackground: boolean;
            preferCSSPageSize: boolean;
            outline: boolean;
            tagged: boolean;
          }): Promise<Uint8Array>;
        }>;
      }>;
      close(): Promise<void>;
    }>;
  };
}

async function loadPlaywright(): Promise<PlaywrightCore> {
  const name = 'playwright-core'; // not a literal import, so that the app bundle does not pull it in
  try {
    return (await import(name)) as PlaywrightCore;
  } catch {
    throw new Error(
      'PDF needs Chromium through playwright-core, which is only installed with Fieldkit\'s development dependencies. Run "npm install" in the Fieldkit folder, or create the PDF from the desktop app; the HTML report was saved either way.',
    );
  }
}

export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  return env.FIELDKIT_CHROMIUM ?? '/usr/bin/chromium';
}

/** Renders self-contained HTML to an A4 PDF with the system Chromium. */
export async function chromiumPrintToPdf(html: string, executablePath = chromiumExecutable()): Promise<Uint8Array> {
  const { chromium } = await loadPlaywright();
  const browser = await chromium
    .launch({ executablePath, args: CHROMIUM_ARGS, chromiumSandbox: false, timeout: PDF_TIMEOUT_MS })
    .catch((e: Error) => {
      throw new Error(
        `Chromium could not be started from ${executablePath} (${e.message.split('\n')[0]}). Install Chromium or set FIELDKIT_CHROMIUM to its path; the HTML report was saved either way.`,
      );
    });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout: PDF_TIMEOUT_MS });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      outline: true,
      tagged: true,
    });
  } finally {
    await browser.close();
  }
}
