// The device's persistent store, in IndexedDB. One database per browser profile holds one account:
//   meta           key/value: 'account' (tokens, user and device ids), 'pts' (absent = never synced)
//   conversations  by id (string): what the chat list shows, held seq, read state, unread count
//   messages       by [cid, seq]: the entries the device keeps (recent ones; older are re-fetched)
//   outbox         by clientMsgId: messages sent but not yet answered
//   profiles       by userId: display names
// Every change an update makes is written with the position it advances in one transaction
// (put()), so a crash never stores a pts or held seq whose effects were lost (protocol §9).
const NAME = 'parley';
const STORES = ['meta', 'conversations', 'messages', 'outbox', 'profiles'];

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export async function open() {
  const r = indexedDB.open(NAME, 1);
  r.onupgradeneeded = () => {
    const d = r.result;
    d.createObjectStore('meta');
    d.createObjectStore('conversations', { keyPath: 'id' });
    d.createObjectStore('messages', { keyPath: ['cid', 'seq'] });
    d.createObjectStore('outbox', { keyPath: 'clientMsgId' });
    d.createObjectStore('profiles', { keyPath: 'userId' });
  };
  return new Db(await req(r));
}

class Db {
  constructor(idb) {
    this.idb = idb;
  }

  async get(store, key) {
    return req(this.idb.transaction(store).objectStore(store).get(key));
  }

  async all(store) {
    return req(this.idb.transaction(store).objectStore(store).getAll());
  }

  /** The entries of one conversation with seq in [from, to], oldest first. */
  async messages(cid, from = 0, to = Number.MAX_SAFE_INTEGER) {
    const range = IDBKeyRange.bound([cid, from], [cid, to]);
    return req(this.idb.transaction('messages').objectStore('messages').getAll(range));
  }

  /**
   * Writes in one transaction. ops: [{store, put: value, key?}] or [{store, del: key}] or
   * [{store, clear: true}].
   */
  async put(ops) {
    if (ops.length === 0) return;
    const tx = this.idb.transaction([...new Set(ops.map((o) => o.store))], 'readwrite');
    for (const o of ops) {
      const s = tx.objectStore(o.store);
      if (o.clear) s.clear();
      else if (o.del !== undefined) s.delete(o.del);
      else if (o.key !== undefined) s.put(o.put, o.key);
      else s.put(o.put);
    }
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  /** Forgets everything about the account except, when asked, its sign-in. */
  async reset(keepAccount) {
    const account = keepAccount ? await this.get('meta', 'account') : undefined;
    const ops = STORES.map((store) => ({ store, clear: true }));
    if (account) ops.push({ store: 'meta', key: 'account', put: account });
    await this.put(ops);
  }
}
