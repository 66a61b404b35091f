import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { DOMAIN_GSI } from '../lambdas/store/table';
import { Construct } from 'constructs';

export interface ScimlinkTableProps {
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

/**
 * The single table of the store (docs/architecture.md "Data model"): accounts, integrations, users, externalId index items,
 * count shards and unique-value sentinels, all under `pk`/`sk`. Every lookup Entra makes must be strongly
 * consistent, which a GSI cannot be: the one GSI (`byDomain`) only lists a claimed domain's holders to an operator.
 */
export class ScimlinkTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ScimlinkTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      // On-demand: Entra's traffic is a burst every ~40 minutes and idle in between; provisioned capacity would
      // either throttle the initial cycle or be paid for while idle.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      // AWS-managed key (aws/dynamodb): encrypted at rest with every use of the key visible in CloudTrail, no key
      // policy to maintain and no per-key charge. A customer-managed key would only add the power to revoke
      // DynamoDB's access to the data, which none of our requirements ask for, at the price of a key policy that
      // can lock the functions out of the table.
      encryption: TableEncryption.AWS_MANAGED,
      // Change events: the stream carries each committed write with its before/after image (lib/events.ts).
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      // Provisioning-log items (LOG#<accountId>) expire by themselves after 30 days.
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: props.removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: DOMAIN_GSI.indexName,
      partitionKey: { name: DOMAIN_GSI.partitionKey, type: AttributeType.STRING },
      sortKey: { name: DOMAIN_GSI.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...DOMAIN_GSI.projected],
    });
  }
}
