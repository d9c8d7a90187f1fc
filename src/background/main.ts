// Service worker entry. Every listener is registered synchronously at top level and awaits the one
// initialisation promise, so an event that wakes the worker is never lost.
import { parseRequest, type Request } from '../core/messages.ts';
import type { Runtime } from 'webextension-polyfill';
import { browser } from '../platform/browser.ts';
import { Engine } from './engine.ts';

const engine = new Engine();
const ready: Promise<void> = engine.init().catch((e: unknown) => {
  console.error('Ordinanza failed to initialise', e);
  throw e;
});

browser.runtime.onInstalled.addListener(() => {
  void ready.then(() => engine.reconcile(true));
});

browser.runtime.onStartup.addListener(() => {
  void ready;
});

function fromOwnPage(sender: { id?: string; url?: string }): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL(''));
}

async function handle(req: Request): Promise<unknown> {
  await ready;
  switch (req.type) {
    case 'lookup':
      return engine.lookup(req.input);
    case 'status':
      return engine.status();
  }
}

browser.runtime.onMessage.addListener((msg: unknown, sender: Runtime.MessageSender) => {
  const req = parseRequest(msg);
  if (!req || !fromOwnPage(sender)) return undefined;
  return handle(req);
});

// For tests and diagnostics in the worker's console.
Object.assign(globalThis, { ordinanza: { engine, ready } });
