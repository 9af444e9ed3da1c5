import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSecureWindow,
  hardenSession,
  hardenWebContents,
  type SecureWebPreferences,
} from '../../../electron/shell/security';
import { allowedExternalUrl } from '../../../electron/shell/external-links';
import { FakeEvent, FakeSession, FakeShell, FakeWebContents } from './fake-electron';

function hardened(devToolsAllowed = false) {
  const contents = new FakeWebContents();
  const shell = new FakeShell();
  hardenWebContents(contents, { shell, devToolsAllowed });
  return { contents, shell };
}

describe('navigation', () => {
  test('navigation away from app://fieldkit is refused for every navigation event', () => {
    const { contents } = hardened();
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const) {
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'app://other/index.html',
        'http://127.0.0.1:8080/',
        'javascript:alert(1)',
        'not a url',
      ]) {
        assert.equal(contents.navigate(event, url), true, `${event} to ${url} must be refused`);
      }
    }
  });

  test('navigation inside our own origin is allowed', () => {
    const { contents } = hardened();
    assert.equal(contents.navigate('will-navigate', 'app://fieldkit/index.html#/jobs'), false);
    assert.equal(contents.navigate('will-frame-navigate', 'app://fieldkit/'), false);
  });

  test('webviews are never attached', () => {
    const { contents } = hardened();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, { src: 'https://evil.example/' });
    assert.equal(event.defaultPrevented, true);
  });
});

describe('new windows and openExternal', () => {
  test('every window.open is denied; allowlisted https goes to the system browser', () => {
    const { contents, shell } = hardened();
    assert.deepEqual(contents.windowOpenHandler?.({ url: 'https://www.mitel.com/document-center' }), {
      action: 'deny',
    });
    assert.deepEqual(shell.opened, ['https://www.mitel.com/document-center']);
  });

  test('non-allowlisted, non-https or tricky URLs are denied and never opened', () => {
    const { contents, shell } = hardened();
    const refused = [
      'http://www.mitel.com/',
      'https://evil.example/',
      'https://www.mitel.com.evil.example/',
      'https://evil.example/?https://www.mitel.com/',
      'https://user:pw@www.mitel.com/',
      'https://www.mitel.com:8443/',
      'file:///etc/passwd',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://fieldkit/index.html',
      '',
    ];
    for (const url of refused) assert.deepEqual(contents.windowOpenHandler?.({ url }), { action: 'deny' });
    assert.deepEqual(shell.opened, []);
  });

  test('allowedExternalUrl normalises what it lets through', () => {
    assert.equal(allowedExternalUrl('HTTPS://WWW.MITEL.COM/a b'), 'https://www.mitel.com/a%20b');
    assert.equal(allowedExternalUrl('https://www.mitel.com./'), null);
  });
});

describe('DevTools', () => {
  test('closed as soon as opened in packaged builds', () => {
    const { contents } = hardened(false);
    contents.emit('devtools-opened');
    assert.equal(contents.devToolsClosed, 1);
  });

  test('left alone in development', () => {
    const { contents } = hardened(true);
    contents.emit('devtools-opened');
    assert.equal(contents.devToolsClosed, 0);
  });
});

describe('session', () => {
  test('every permission request and check is denied', () => {
    const session = new FakeSession();
    hardenSession(session);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
      'unknown',
    ]) {
      let granted: boolean | undefined;
      session.permissionRequest?.({}, permission, (g) => {
        granted = g;
      });
      assert.equal(granted, false, permission);
      assert.equal(session.permissionCheck?.({}, permission), false, permission);
    }
    assert.equal(session.devicePermission?.({ deviceType: 'usb' }), false);
  });

  test('remote content is blocked; our origin, inline data and DevTools are not', () => {
    const session = new FakeSession();
    hardenSession(session);
    for (const url of [
      'https://cdn.example/x.js',
      'http://127.0.0.1:5173/',
      'ws://127.0.0.1:1/',
      'file:///etc/passwd',
      'app://other/x',
    ]) {
      assert.equal(session.blocks(url), true, url);
    }
    for (const url of [
      'app://fieldkit/index.html',
      'app://fieldkit/assets/a.js',
      'data:image/png;base64,AA==',
      'devtools://devtools/bundled/x',
    ]) {
      assert.equal(session.blocks(url), false, url);
    }
  });
});

test('every window gets the baseline webPreferences, whatever the caller asks for', () => {
  class RecordingWindow {
    constructor(readonly options: { title: string; webPreferences: SecureWebPreferences }) {}
  }
  const { options } = createSecureWindow(RecordingWindow, {
    window: { title: 'Fieldkit' },
    preload: '/p.cjs',
    devTools: false,
  });
  const prefs = options.webPreferences;
  assert.equal(options.title, 'Fieldkit');
  assert.equal(prefs.preload, '/p.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.devTools, false);
  assert.equal(prefs.javascript, true);
  assert.equal('enableBlinkFeatures' in prefs, false);
  assert.equal('partition' in prefs, false);
  const pdf = createSecureWindow(RecordingWindow, {
    window: { title: 'pdf' },
    devTools: false,
    javascript: false,
    partition: 'p',
  });
  assert.equal(pdf.options.webPreferences.javascript, false);
  assert.equal(pdf.options.webPreferences.partition, 'p');
  assert.equal('preload' in pdf.options.webPreferences, false);
});
