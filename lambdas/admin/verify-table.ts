import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TableScanner } from '../store/table-scanner';
import { TableVerifier, VerifyReport, confirmed } from './verify';

/**
 * Scan the table with `scanner` and check it (the admin route and `verifyTable` both land here). When the first
 * scan finds something, scan again and keep only the findings both scans show: a Scan is not a snapshot, and a
 * transaction committing between two pages can look half-applied to it. A real inconsistency lasts; a write in
 * flight does not.
 */
export async function verifyWith(scanner: TableScanner): Promise<VerifyReport> {
  const once = async () => {
    const verifier = new TableVerifier();
    await scanner.scan((items) => verifier.add(items));
    return verifier.report();
  };
  const first = await once();
  if (first.consistent) return first;
  return confirmed(first, await once());
}

/** `scimlink verify` as a function: what the tests call after a race or fault storm. */
export function verifyTable(doc: DynamoDBDocumentClient, tableName: string): Promise<VerifyReport> {
  return verifyWith(new TableScanner(doc, tableName));
}
