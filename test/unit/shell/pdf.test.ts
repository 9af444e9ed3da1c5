import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDF_PARTITION, isPdfSourceRequest, renderHtmlToPdf, type PdfWindowOptions } from '../../../electron/shell/pdf';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'fk-pdf-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

class FakePdfWindow {
  static created: FakePdfWindow[] = [];
  static hang = false;
  loadedHtml: string | undefined;
  destroyed = false;
  constructor(readonly options: PdfWindowOptions) {
    FakePdfWindow.created.push(this);
  }
  async loadFile(path: string): Promise<void> {
    this.loadedHtml = await readFile(path, 'utf8');
    if (FakePdfWindow.hang) await new Promise(() => undefined);
  }
  readonly webContents = {
    printToPDF: async () => Buffer.from(`%PDF-1.7 ${this.loadedHtml}`),
  };
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
}

describe('renderHtmlToPdf', () => {
  test('prints the HTML in a hidden window with JavaScript off in the PDF session, then cleans up', async () => {
    FakePdfWindow.created = [];
    FakePdfWindow.hang = false;
    const pdf = await renderHtmlToPdf('<h1>Checklist</h1>', FakePdfWindow, root);
    assert.equal(pdf.toString(), '%PDF-1.7 <h1>Checklist</h1>');
    const [window] = FakePdfWindow.created;
    assert.equal(window?.options.show, false);
    assert.equal(window?.options.webPreferences.javascript, false);
    assert.equal(window?.options.webPreferences.sandbox, true);
    assert.equal(window?.options.webPreferences.partition, PDF_PARTITION);
    assert.equal(window?.destroyed, true);
    assert.deepEqual(await readdir(root), [], 'the temporary report file is removed');
  });

  test('gives up after the timeout and still destroys the window', async () => {
    FakePdfWindow.created = [];
    FakePdfWindow.hang = true;
    await assert.rejects(renderHtmlToPdf('<p>x</p>', FakePdfWindow, root, 50), /longer than 0.05 s/);
    assert.equal(FakePdfWindow.created[0]?.destroyed, true);
    assert.deepEqual(await readdir(root), []);
  });
});

test('the PDF session may load only inline data and report files inside its folder', () => {
  assert.equal(isPdfSourceRequest(root, 'data:image/png;base64,AA=='), true);
  assert.equal(isPdfSourceRequest(root, pathToFileURL(join(root, 'report-1', 'report.html')).href), true);
  assert.equal(isPdfSourceRequest(root, pathToFileURL(join(root, '..', 'other', 'x.html')).href), false);
  assert.equal(isPdfSourceRequest(root, pathToFileURL(`${root}-sibling/x.html`).href), false);
  assert.equal(isPdfSourceRequest(root, 'file:///etc/passwd'), false);
  assert.equal(isPdfSourceRequest(root, 'https://cdn.example/logo.png'), false);
});
