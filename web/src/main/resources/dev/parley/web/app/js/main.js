// Entry point: opens the store, shows the login or the app, and keeps the tabs of this browser
// profile together. Every tab runs its own WebSocket and sync on the one session (the server
// allows several sockets per session, protocol §7.5) over the shared IndexedDB store: the tabs'
// writes are idempotent (entries by (conversation, seq), positions only move forward), so each tab
// converges on the server's state by itself. A BroadcastChannel tells the other tabs when the
// account changes (signed in or out), so they reload instead of using stale tokens.
import { open } from './db.js';
import { Tokens } from './auth.js';
import { Client } from './sync.js';
import { showLogin } from './ui/login.js';
import { Shell } from './ui/shell.js';
import { dropSubscription, renewPush, followNotificationClicks } from './push.js';

const root = document.getElementById('root');
const tabs = 'BroadcastChannel' in window ? new BroadcastChannel('parley') : null;
let db;
let tokens;
let client;

async function signedIn(t) {
  const before = await tokens.current();
  // Another account on this browser profile: nothing of the previous one may remain.
  if (!before || before.userId !== t.userId) await db.reset(false);
  await tokens.store(t);
  tabs?.postMessage('account');
  await startApp(t);
}

async function signedOut() {
  client?.stop();
  client = null;
  await dropSubscription(); // nobody is signed in to be notified
  await db.reset(false);
  tabs?.postMessage('account');
  showLogin(root, signedIn);
}

async function startApp(account) {
  client = new Client(db, tokens, account);
  client.addEventListener('signedout', signedOut);
  await client.load();
  const shell = new Shell(root, client, signedOut);
  shell.mount();
  followNotificationClicks(shell.open);
  client.addEventListener('synced', () => renewPush(client).catch(() => {}), { once: true });
  client.start();
}

async function boot() {
  db = await open();
  tokens = new Tokens(db);
  tabs?.addEventListener('message', async (e) => {
    if (e.data !== 'account') return;
    const now = await tokens.current();
    if ((now?.userId || null) !== (client?.me || null)) location.reload();
  });
  const account = await tokens.current();
  if (account) await startApp(account);
  else showLogin(root, signedIn);
}

boot();
