import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { translated } from './aws-errors';

/**
 * The one place in scimlink that Scans the table: `scimlink verify` (admin route GET /admin/verify, IAM access
 * `scan`) reads every item to cross-check users against their sentinels. Nothing on the SCIM path scans; the
 * SCIM handlers' roles do not even hold `dynamodb:Scan`.
 *
 * Strongly consistent, paginated (1 MB pages), in parallel segments so a big table is read in a fraction of the
 * time; pages are handed over as they arrive, so the caller can reduce them without holding the whole table.
 */
export class TableScanner {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly segments = 4,
  ) {}

  /** Calls `onPage` with every page of items; resolves when every segment is read. */
  async scan(onPage: (items: Record<string, unknown>[]) => void): Promise<void> {
    await Promise.all(Array.from({ length: this.segments }, (_, segment) => this.scanSegment(segment, onPage)));
  }

  private async scanSegment(segment: number, onPage: (items: Record<string, unknown>[]) => void): Promise<void> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      let page;
      page = await translated(
        this.doc.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            Segment: segment,
            TotalSegments: this.segments,
            ExclusiveStartKey,
          }),
        ),
      );
      onPage(page.Items ?? []);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}
