import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { PrefixAccess } from '../config/system-definition.js';
import type { WildcardResource } from './nag-acknowledgments.js';

/**
 * Grants declared access to one bucket on exactly its prefixes; nothing else. Object actions are
 * scoped by key pattern; listing by the `s3:prefix` condition. Writes grant PutObject only (CDK's
 * grantWrite would add DeleteObject* and with it the deletion of object versions), plus
 * `extraWriteActions` where a writer needs more (a Distributed Map's ResultWriter). Only
 * `delete` prefixes may delete. Returns the object ARNs granted, each a prefix wildcard, with the
 * reason for cdk-nag.
 */
export function grantPrefixAccess(
  grantee: IGrantable,
  bucket: IBucket,
  bucketName: string,
  prefixes: PrefixAccess | undefined,
  options: { who?: string; extraWriteActions?: readonly string[] } = {},
): WildcardResource[] {
  const wildcards = new Map<string, WildcardResource>();
  const who = options.who ?? 'the function';
  const objects = (list: readonly string[] | undefined) =>
    (list ?? []).map((p) => {
      const resource = bucket.arnForObjects(`${p}*`);
      wildcards.set(`${bucketName}/${p}`, {
        resource,
        reason: `objects under ${p} in the ${bucketName} bucket are created at runtime with keys not known at deploy time (dates, run ids, versions); the grant is scoped to the prefix ${who}'s definition declares`,
      });
      return resource;
    });
  if (prefixes?.read?.length) {
    Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: objects(prefixes.read) });
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      // IfExists: S3 also checks ListBucket, without a prefix, to answer 404 rather than 403
      // for a missing key, and the handlers rely on 404 ("no cursor yet", "no champion yet").
      // A listing that names a prefix is limited to these.
      conditions: { StringLikeIfExists: { 's3:prefix': prefixes.read.map((p) => `${p}*`) } },
    });
  }
  if (prefixes?.write?.length)
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', ...(options.extraWriteActions ?? [])],
      resourceArns: objects(prefixes.write),
    });
  if (prefixes?.delete?.length)
    Grant.addToPrincipal({ grantee, actions: ['s3:DeleteObject'], resourceArns: objects(prefixes.delete) });
  return [...wildcards.values()];
}
