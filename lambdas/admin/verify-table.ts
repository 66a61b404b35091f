import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TableScanner } from '../store/table-scanner';
import { TableVerifier, VerifyReport, confirmed } from './verify';

export interface VerifyOptions {
  /**
   * When the first scan finds something, scan again and keep only the findings both scans show (default true).
   * A Scan is not a snapshot: a transaction committing between two pages can look half-applied to it. A real
   * inconsistency lasts; a write in flight does not.
   */
  confirm?: boolean;
}

/** Scan the table with `scanner` and check it (the admin route and `verifyTable` both land here). */
export async function verifyWith(scanner: TableScanner, options: VerifyOptions = {}): Promise<VerifyReport> {
  const once = async () => {
    const verifier = new TableVerifier();
    await scanner.scan((items) => verifier.add(items));
    return verifier.report();
  };
  const first = await once();
  if (first.consistent || options.confirm === false) return first;
  return confirmed(first, await once());
}

/** `scimlink verify` as a function: what the tests call after a race or fault storm. */
export function verifyTable(doc: DynamoDBDocumentClient, tableName: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return verifyWith(new TableScanner(doc, tableName), options);
}
