// Service worker entry. Every listener is registered synchronously at top level and awaits the one
// initialisation promise, so an event that wakes the worker is never lost.
import type { Runtime } from 'webextension-polyfill';
import { parseRequest, type Request, type ResponseTo } from '../core/messages.ts';
import { browser } from '../platform/browser.ts';
import { Engine } from './engine.ts';
import { watchSettings } from './settings.ts';
import { RETRY_ALARM, SYNC_ALARM, Syncer } from './sync.ts';

const engine = new Engine();
const syncer = new Syncer(engine);
const ready: Promise<void> = engine
  .init()
  .then(() => syncer.schedule())
  .catch((e: unknown) => {
    console.error('Ordinanza failed to initialise', e);
    throw e;
  });

browser.runtime.onInstalled.addListener(() => {
  void ready.then(async () => {
    await engine.reconcile(true);
    await syncer.syncAll();
  });
});

browser.runtime.onStartup.addListener(() => {
  void ready.then(() => syncer.syncAll());
});

browser.alarms.onAlarm.addListener((alarm) => {
  // The keep-alive alarm needs no handler: its event alone keeps a Firefox event page awake.
  if (alarm.name === SYNC_ALARM || alarm.name === RETRY_ALARM) void ready.then(() => syncer.syncAll());
});

watchSettings(() => {
  void ready.then(async () => {
    const before = JSON.stringify(engine.settings.feedUrls);
    await engine.reloadSettings();
    await syncer.schedule();
    if (JSON.stringify(engine.settings.feedUrls) !== before) await syncer.syncAll();
  });
});

function fromOwnPage(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL(''));
}

async function handle<R extends Request>(req: R): Promise<ResponseTo<R>>;
async function handle(req: Request): Promise<ResponseTo<Request>> {
  await ready;
  switch (req.type) {
    case 'lookup':
      return engine.lookup(req.input);
    case 'status':
      return engine.status();
    case 'getSettings':
      return engine.settingsView();
    case 'setSettings':
      return engine.updateSettings(req.patch);
    case 'syncNow':
      await syncer.syncAll();
      return engine.status();
  }
}

browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => {
  const req = parseRequest(msg);
  if (!req || !fromOwnPage(sender)) return undefined;
  return handle(req);
});

// For tests and diagnostics from the worker's console.
Object.assign(globalThis, { ordinanza: { engine, syncer, ready } });
