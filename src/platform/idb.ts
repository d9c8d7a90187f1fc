// A tiny key-value store on IndexedDB: the order index is an ArrayBuffer, which storage.local
// cannot hold without a costly base64 round trip. Available in service workers and pages alike.
const DB_NAME = 'ordinanza';
const STORE = 'kv';

let dbPromise: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB open failed'));
  });
  return dbPromise;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB request failed'));
  });
}

export async function idbGet<T>(key: string): Promise<T | undefined> {
  const db = await open();
  return (await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(key))) as T | undefined;
}

/** Writes several keys in one transaction: all or nothing. A key whose value is `undefined` is deleted. */
export async function idbPutAll(entries: Record<string, unknown>): Promise<void> {
  const db = await open();
  const tx = db.transaction(STORE, 'readwrite');
  const store = tx.objectStore(STORE);
  for (const [k, v] of Object.entries(entries)) {
    if (v === undefined) store.delete(k);
    else store.put(v, k);
  }
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('indexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('indexedDB transaction aborted'));
  });
}
