/**
 * The peer: an independent SCIM server a user might pick instead — SCIMMY + SCIMMY Express Routers (npm:
 * scimmy, scimmy-routers) on express, with the store most examples use: a plain in-memory Map (plus a userName
 * index so it can answer 409 on a duplicate, as SCIM requires). Filters are evaluated by SCIMMY's own
 * `Filter.match` over the users, as its egress examples do. Bearer token checked on every request.
 * Same IPC protocol as servers/ours.ts. Plain JavaScript: the peer's packages are optional devDependencies.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

const send = (m) => process.send?.(m);
const TOKEN = `peer_${randomUUID()}`;

const users = new Map();
const byUserName = new Map();
const notFound = (id) => new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource, instance) => {
    const data = JSON.parse(JSON.stringify(instance));
    const id = resource.id ?? randomUUID();
    const previous = users.get(id);
    if (resource.id && !previous) throw notFound(id);
    const key = String(data.userName).toLowerCase();
    const holder = byUserName.get(key);
    if (holder !== undefined && holder !== id) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${data.userName} is already in use`);
    if (previous) byUserName.delete(String(previous.userName).toLowerCase());
    const now = new Date().toISOString();
    const user = { ...data, id, meta: { created: previous?.meta.created ?? now, lastModified: now } };
    users.set(id, user);
    byUserName.set(key, id);
    return user;
  })
  .egress((resource) => {
    if (resource.id) {
      const user = users.get(resource.id);
      if (!user) throw notFound(resource.id);
      return user;
    }
    const all = [...users.values()];
    return resource.filter ? resource.filter.match(all) : all;
  })
  .degress((resource) => {
    const user = users.get(resource.id);
    if (!user) throw notFound(resource.id);
    users.delete(resource.id);
    byUserName.delete(String(user.userName).toLowerCase());
  });

const app = express();
app.use(
  '/scim/peer',
  new SCIMMYRouters({
    type: 'bearer',
    handler: (req) => {
      if (req.header('Authorization') !== `Bearer ${TOKEN}`) throw new Error('Authorization failed');
      return 'entra';
    },
  }),
);

const seedBody = (i) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `seed${i}@contoso.com`,
  externalId: `seed-oid-${i}`,
  active: true,
  displayName: `seed User ${i}`,
  name: { givenName: `seed${i}`, familyName: 'Bench' },
  emails: [{ type: 'work', value: `seed${i}@contoso.com`, primary: true }],
  phoneNumbers: [{ type: 'mobile', value: `+1200${String(i).padStart(7, '0')}` }],
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  send({ type: 'ready', name: 'SCIMMY 1.x + scimmy-routers on express (in-memory Map)', tenantUrl: `http://127.0.0.1:${port}/scim/peer`, token: TOKEN });
});

// A bench that died must not leave its server behind.
process.on('disconnect', () => process.exit(0));

const seeded = [];
process.on('message', async (m) => {
  try {
    if (m.type === 'stop') {
      server.close();
      server.closeAllConnections?.();
      process.exit(0);
    }
    if (m.type === 'seed') {
      const t = Date.now();
      // Through SCIMMY's own resource API (validation + the ingress handler), not HTTP.
      for (let i = m.from; i < m.to; i++) {
        const user = await new SCIMMY.Resources.User().write(seedBody(i));
        seeded.push({ id: user.id, userName: user.userName });
      }
      const sample = Array.from({ length: m.sampleSize }, () => seeded[Math.floor(Math.random() * seeded.length)]);
      send({ type: 'seeded', total: seeded.length, ms: Date.now() - t, sample });
    }
  } catch (e) {
    send({ type: 'error', message: String(e?.stack ?? e) });
  }
});
