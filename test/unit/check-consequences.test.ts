/**
 * `scimlink check`'s status → consequence table: what Entra does with each answer, per operation. The report's
 * advice is only as good as this table.
 */
import { CONSEQUENCE_TABLE, ConsequenceKind, Operation, consequenceOf, wrongContent } from '../../cli/check/consequences';
import { percentiles } from '../../cli/check/percentiles';

describe('consequenceOf', () => {
  it.each<[Operation, number, ConsequenceKind]>([
    // The probe: SPEC §3 — a 404 quarantines; bad credentials quarantine; anything else fails Test Connection.
    ['connection', 404, 'quarantine'],
    ['connection', 401, 'quarantine'],
    ['connection', 403, 'quarantine'],
    ['connection', 500, 'connection-fails'],
    ['connection', 0, 'connection-fails'],
    ['connection', 400, 'connection-fails'],
    // Transient trouble on user operations is retried.
    ['create', 429, 'retry'],
    ['update', 500, 'retry'],
    ['update', 503, 'retry'],
    ['delete', 0, 'retry'],
    ['lookup', 408, 'retry'],
    // 4xx other than 429 are permanent for that user.
    ['create', 400, 'user-fails'],
    ['create', 409, 'user-fails'],
    ['update', 404, 'user-fails'],
    ['update', 412, 'user-fails'],
    ['update', 415, 'user-fails'],
    ['create', 501, 'retry'],
    // ...except credentials, and a filter endpoint that is not there, which hit every user.
    ['update', 401, 'quarantine'],
    ['lookup', 404, 'quarantine'],
    // A write that should have been refused went through.
    ['reject', 201, 'silent-divergence'],
    ['reject', 500, 'retry'],
    ['reject', 400, 'user-fails'],
    // Entra cycles do not read discovery documents.
    ['discovery', 404, 'not-used'],
    ['discovery', 500, 'not-used'],
  ])('%s answered %i → %s', (operation, status, kind) => {
    const c = consequenceOf(operation, status);
    expect(c.kind).toBe(kind);
    expect(c.summary.length).toBeGreaterThan(20);
  });

  it('maps a 2xx with the wrong content by what Entra was doing', () => {
    expect(wrongContent('connection').kind).toBe('connection-fails');
    expect(wrongContent('lookup').kind).toBe('user-fails');
    expect(wrongContent('update').kind).toBe('silent-divergence');
    expect(wrongContent('discovery').kind).toBe('not-used');
  });

  it('publishes a table for help and the README', () => {
    expect(CONSEQUENCE_TABLE.map(([s]) => s)).toEqual(expect.arrayContaining(['probe: 401/403/404', 'no answer, 408, 429, 5xx']));
  });
});

describe('percentiles (nearest rank)', () => {
  it('reports measured values', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1).reverse();
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('copes with few samples and none', () => {
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7 });
    expect(percentiles([3, 1, 2])).toEqual({ p50: 2, p95: 3, p99: 3, max: 3 });
    expect(percentiles([])).toEqual({ p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
