/**
 * The audit archive: finished execution histories kept beyond Step Functions' 90 days, in S3 with Object Lock
 * (write once, read many), versioning, encryption, no public access, TLS only, and server access logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AuditArchiveProps {
  /** GOVERNANCE: users with s3:BypassGovernanceRetention can shorten a lock; COMPLIANCE: no one can. */
  readonly retentionMode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Days each object version stays locked. */
  readonly retentionDays: number;
  /**
   * Days the server access logs are kept.
   * @default 365
   */
  readonly accessLogDays?: number;
}

export class AuditArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditArchiveProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) {
      throw new Error(
        `AuditArchive: retentionDays must be a whole number of days >= 1, got ${props.retentionDays}`,
      );
    }
    const secure = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogDays ?? 365) }],
    });

    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secure,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.retentionMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'archive/',
      // Old versions can only go once their lock has passed; keep them as long as the lock lasts.
      lifecycleRules: [{ noncurrentVersionExpiration: retention.plus(Duration.days(1)) }],
    });
  }
}
