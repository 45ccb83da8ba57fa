import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A resource ARN of a grant that ends in (or contains) a wildcard, and why that is right. */
export interface WildcardResource {
  /** The ARN as the grant names it (may hold tokens: `bucket.arnForObjects('raw/water/*')`). */
  readonly resource: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for exactly the wildcard resources given, on
 * `scope` (a role: its policies are its children), and for nothing else: a wildcard added later
 * is a new finding.
 *
 * cdk-nag 3 matches an acknowledgment by the finding's exact id, and the id of a wildcard
 * resource embeds the resource as the synthesized template writes it. For a bucket of another
 * stack that is an `Fn::ImportValue` of an export name CDK generates only while it prepares the
 * app, after every constructor has run, so the ids are computed in a construct validation, which
 * CDK runs after that and before the validation plugins (cdk-nag) read the acknowledgments.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly WildcardResource[],
): void {
  if (resources.length === 0) return;
  let acknowledged = false;
  scope.node.addValidation({
    validate: () => {
      if (acknowledged) return [];
      acknowledged = true;
      const stack = Stack.of(scope);
      Validations.of(scope).acknowledge(
        ...resources.map(({ resource, reason }) => ({
          id: `AwsSolutions-IAM5[Resource::${flattenReference(stack.resolve(resource))}]`,
          reason,
        })),
      );
      return [];
    },
  });
}

/**
 * A resolved CloudFormation value as cdk-nag writes it into a finding id (its
 * `flattenCfnReference`): `Fn::Join` joined, `Ref` and `Fn::GetAtt` in angle brackets, an
 * `Fn::ImportValue` as its export name. The nag test proves the two agree: a mismatch leaves the
 * finding unacknowledged and the test lists it.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenReference(node.Ref)}>`;
  return JSON.stringify(value);
}
