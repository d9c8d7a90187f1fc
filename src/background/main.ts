// Service worker entry. Every listener is registered synchronously at top level and awaits the one
// initialisation promise, so an event that wakes the worker is never lost.
import { parseRequest, type Request, type ResponseTo, type Status } from '../core/messages.ts';
import { alarms, hostAccess, message, runtime, setActionWarning } from '../platform/browser.ts';
import { Engine } from './engine.ts';
import { loadStored, readManaged, watchSettings } from './settings.ts';
import { RETRY_ALARM, SYNC_ALARM, Syncer } from './sync.ts';

const engine = new Engine();
const syncer = new Syncer(engine);
/** Diagnostics: milliseconds from the worker's start (its time origin) to each step of its start-up. */
const timings: Record<'storedMs' | 'firstRulesMs' | 'othersMs' | 'readyMs', number | null> = { storedMs: null, firstRulesMs: null, othersMs: null, readyMs: null };
const ready: Promise<void> = loadStored()
  .then(async (stored) => {
    timings.storedMs = performance.now();
    syncer.restore(stored.sync);
    await engine.init(stored);
    timings.firstRulesMs = performance.now();
    // The lists that are off come after the first rules: they are explained, not enforced.
    await engine.loadOthers();
    timings.othersMs = performance.now();
    await syncer.schedule();
    timings.readyMs = performance.now();
    // A list lost with its unreadable index comes back from its feed at once, not at the next alarm
    // (unless its last attempt failed and the retry is not due: every start would download again).
    if ([...engine.unreadableLists].some((j) => syncer.due(j, engine.settings.feedUrls[j]))) {
      void syncWithPolicy().catch((e: unknown) => console.warn('the sync for an unreadable list failed', e));
    }
  })
  .catch((e: unknown) => {
    console.error('Ordinanza failed to initialise', e);
    throw e;
  });

/**
 * The live policy, applied once it is read. The first rules never wait for it (see settings.ts);
 * resolves true when it changed the feed URLs or the sync interval.
 */
function readPolicy(): Promise<boolean> {
  return ready.then(async () => engine.applyPolicy(await readManaged()));
}

async function applyLivePolicy(read: Promise<boolean>): Promise<void> {
  if (await read) {
    await syncer.schedule();
    await syncer.syncAll();
  }
}

const policyRead = readPolicy();
void applyLivePolicy(policyRead).catch((e: unknown) => console.error('Ordinanza could not apply the policy', e));

/**
 * A sync uses the policy's feed URLs, so it waits for the policy, but not for ever: a busy Chromium
 * may not answer for a long time, and a policy that arrives later starts its own sync.
 */
const POLICY_WAIT_MS = 15_000;
async function syncWithPolicy(): Promise<void> {
  await ready;
  await Promise.race([policyRead.catch(() => false), new Promise((r) => setTimeout(r, POLICY_WAIT_MS))]);
  await syncer.syncAll();
}

runtime.onInstalled(() => {
  void ready.then(async () => {
    await engine.reconcile(true);
    await syncWithPolicy();
  });
});

runtime.onStartup(() => {
  void syncWithPolicy();
});

alarms.onAlarm((name) => {
  // The keep-alive alarm needs no handler: its event alone keeps a Firefox event page awake.
  if (name === SYNC_ALARM || name === RETRY_ALARM) void syncWithPolicy();
});

// Settings are written only by the engine (setSettings below); the policy by the organisation.
watchSettings(() => void applyLivePolicy(readPolicy()));

/** Without host access the rules block nothing: say so on the toolbar button, at once and on every change. */
async function showHostAccess(): Promise<boolean> {
  const has = await hostAccess.has();
  await setActionWarning(has ? '' : '!', has ? null : message('noHostAccess'));
  return has;
}
void showHostAccess().catch(() => undefined);
hostAccess.onChange(() => void showHostAccess().catch(() => undefined));

async function status(): Promise<Status> {
  return { ...engine.status(syncer.states), hostAccess: await showHostAccess() };
}

async function handle<R extends Request>(req: R): Promise<ResponseTo<R>>;
async function handle(req: Request): Promise<ResponseTo<Request>> {
  await ready;
  switch (req.type) {
    case 'lookup':
      return engine.lookup(req.input);
    case 'status':
      return status();
    case 'getSettings':
      return engine.settingsView();
    case 'setSettings': {
      const r = await engine.updateSettings(req.patch);
      if (!r.ok) return r;
      // One path for a change of feed address or interval, whatever order storage events come in.
      if (r.syncDue) void syncer.schedule().then(() => syncer.syncAll());
      return { ok: true };
    }
    case 'syncNow':
      await syncer.syncAll();
      return status();
  }
}

runtime.onMessage((msg, sender) => {
  const req = parseRequest(msg);
  if (!req || !runtime.isOwnPage(sender)) return undefined;
  return handle(req);
});

// For tests and diagnostics from the worker's console.
Object.assign(globalThis, { ordinanza: { engine, syncer, ready, policyRead, timings } });
