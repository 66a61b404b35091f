import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** Unacknowledged AwsSolutions findings, one readable line each (`rule at construct path`). */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(undefined).validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.locations?.join(', ') || r.resourceLogicalId}`));
}

export interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
}

/** Every `Validations.acknowledge` in the tree, with where it was made. */
export function acknowledgments(scope: IConstruct): Acknowledgment[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Recorded as { "<namespace>::<rule id>": reason }.
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^\w+::/, ''),
          reason,
        })),
      ),
  );
}
